import { randomBytes } from 'node:crypto';
import { BotgateError, type Core } from '@botgate/core';
import { hashSecret, verifySecret } from './password-hash.js';
import type { Role } from './tokens.js';

export const roles: readonly Role[] = ['admin', 'developer'];

export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
}

interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string | null;
  api_key_hash: string;
  created_at: number | string;
}

const toUser = (row: UserRow): User => ({ id: Number(row.id), username: row.username, role: row.role, createdAt: new Date(Number(row.created_at)) });

/** Automation Anywhere's users: an admin allocates, a developer generates execution URLs. */
export const createUsers = (core: Core) => {
  const table = () => core.db<UserRow>('api_task_users');
  return {
    /** Adds a user; answers its API key, which is shown once and kept only as a hash. */
    async add(username: string, role: string, password?: string): Promise<User & { apiKey: string }> {
      if (!/^[\w.@-]{1,200}$/.test(username)) throw new BotgateError('INVALID_CONFIG', `user name "${username}": use letters, digits, _ . @ -`);
      if (!(roles as readonly string[]).includes(role)) throw new BotgateError('INVALID_CONFIG', `--role must be ${roles.join(' or ')}, not "${role}"`);
      if (password !== undefined && password.length < 8) throw new BotgateError('INVALID_CONFIG', '--password: use at least 8 characters');
      if (await table().where({ username }).first()) throw new BotgateError('INVALID_CONFIG', `user "${username}" exists; remove it first`);
      const apiKey = randomBytes(32).toString('base64url');
      const row = {
        username,
        role: role as Role,
        password_hash: password === undefined ? null : await hashSecret(password),
        api_key_hash: await hashSecret(apiKey),
        created_at: Date.now(),
      };
      const [inserted] = (await table().insert(row).returning('*')) as UserRow[];
      return { ...toUser(inserted as UserRow), apiKey };
    },
    async list(): Promise<User[]> {
      return (await table().orderBy('username')).map(toUser);
    },
    async remove(username: string): Promise<User> {
      const row = await table().where({ username }).first();
      if (!row) throw new BotgateError('INVALID_CONFIG', `no user "${username}"`);
      await table().where({ username }).delete();
      return toUser(row);
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
