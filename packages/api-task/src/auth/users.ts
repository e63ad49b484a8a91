import { randomBytes } from 'node:crypto';
import { BotgateError, type Core } from '@botgate/core';
import { hashSecret, verifySecret } from './password-hash.js';
import type { Role } from './tokens.js';

export const roles: readonly Role[] = ['admin', 'developer'];

const newApiKey = (): string => randomBytes(32).toString('base64url');

export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
  /** Moves with every change of role or credentials; tokens signed under another stamp are refused. */
  accessStamp: string;
  /** A sign-in with `multipleLogin: false` at this time (whole seconds, as tokens say when they were issued) ended the user tokens issued before it. */
  singleLoginSince: number | null;
}

/** The stamp topic of everything api-task access is checked against: users, allocations, signed-out tokens. */
export const accessTopic = 'api-task-access';

interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string | null;
  api_key_hash: string;
  created_at: number | string;
  access_stamp: string;
  single_login_since?: number | string | null;
}

const toUser = (row: UserRow): User => ({
  id: Number(row.id),
  username: row.username,
  role: row.role,
  createdAt: new Date(Number(row.created_at)),
  accessStamp: row.access_stamp,
  singleLoginSince:
    row.single_login_since === null || row.single_login_since === undefined ? null : Number(row.single_login_since),
});

export const newAccessStamp = (): string => randomBytes(12).toString('base64url');

const checkRole = (role: string): Role => {
  if (!(roles as readonly string[]).includes(role))
    throw new BotgateError('INVALID_CONFIG', `--role must be ${roles.join(' or ')}, not "${role}"`);
  return role as Role;
};

const checkPassword = (password: string): string => {
  if (password.length < 8) throw new BotgateError('INVALID_CONFIG', '--password: use at least 8 characters');
  return password;
};

/** Automation Anywhere's users: an admin allocates, a developer generates execution URLs. */
export const createUsers = (core: Core) => {
  const table = () => core.store('api-task').table<UserRow>('api_task_users');
  const existing = async (username: string): Promise<UserRow> => {
    const row = await table().where({ username }).first();
    if (!row) throw new BotgateError('INVALID_CONFIG', `no user "${username}"`);
    return row;
  };
  return {
    /** Adds a user; answers its API key, which is shown once and kept only as a hash. */
    async add(username: string, role: string, password?: string): Promise<User & { apiKey: string }> {
      if (!/^[\w.@-]{1,200}$/.test(username))
        throw new BotgateError('INVALID_CONFIG', `user name "${username}": use letters, digits, _ . @ -`);
      checkRole(role);
      if (password !== undefined) checkPassword(password);
      if (await table().where({ username }).first())
        throw new BotgateError('INVALID_CONFIG', `user "${username}" exists; remove it first`);
      const apiKey = newApiKey();
      const row = {
        username,
        role: role as Role,
        password_hash: password === undefined ? null : await hashSecret(password),
        api_key_hash: await hashSecret(apiKey),
        created_at: Date.now(),
        // A fresh stamp even where SQLite hands a removed user's id to a new one: the old tokens name the old stamp.
        access_stamp: newAccessStamp(),
      };
      const [inserted] = (await core.stamps.change(accessTopic, (tx) =>
        tx<UserRow>('api_task_users').insert(row).returning('*'),
      )) as UserRow[];
      return { ...toUser(inserted as UserRow), apiKey };
    },
    async list(): Promise<User[]> {
      return (await table().orderBy('username')).map(toUser);
    },
    /** Removes a user: every token and console session it holds is refused from the next call on. */
    async remove(username: string): Promise<User> {
      const row = await existing(username);
      await core.stamps.change(accessTopic, (tx) => tx('api_task_users').where({ id: row.id }).delete());
      return toUser(row);
    },
    /**
     * Changes a user's role or password, or makes it a new API key (answered once). Any update,
     * even of nothing, ends every token and console session signed before it.
     */
    async update(
      username: string,
      changes: { role?: string | undefined; password?: string | undefined; newApiKey?: boolean | undefined },
    ): Promise<User & { apiKey?: string }> {
      const row = await existing(username);
      const apiKey = changes.newApiKey ? newApiKey() : undefined;
      const set: Partial<UserRow> = { access_stamp: newAccessStamp() };
      if (changes.role !== undefined) set.role = checkRole(changes.role);
      if (changes.password !== undefined) set.password_hash = await hashSecret(checkPassword(changes.password));
      if (apiKey !== undefined) set.api_key_hash = await hashSecret(apiKey);
      await core.stamps.change(accessTopic, (tx) => tx('api_task_users').where({ id: row.id }).update(set));
      return { ...toUser({ ...row, ...set }), ...(apiKey === undefined ? {} : { apiKey }) };
    },
    /** Ends the user tokens issued in earlier seconds than now: a sign-in with `multipleLogin: false`. */
    async startSingleLogin(user: User): Promise<User> {
      const since = Math.floor(Date.now() / 1000) * 1000;
      await core.stamps.change(accessTopic, (tx) =>
        tx('api_task_users').where({ id: user.id }).update({ single_login_since: since }),
      );
      return { ...user, singleLoginSince: since };
    },
    async find(id: number): Promise<User | undefined> {
      const row = await table().where({ id }).first();
      return row ? toUser(row) : undefined;
    },
    /** The user these credentials prove, or undefined; as slow for an unknown name as for a wrong secret. */
    async verify(username: string, credentials: { password?: string; apiKey?: string }): Promise<User | undefined> {
      const row = await table().where({ username }).first();
      const ok =
        credentials.password !== undefined
          ? await verifySecret(credentials.password, row?.password_hash)
          : await verifySecret(credentials.apiKey ?? '', row?.api_key_hash);
      return ok && row ? toUser(row) : undefined;
    },
  };
};

export type Users = ReturnType<typeof createUsers>;
