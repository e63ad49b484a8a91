import { randomBytes } from 'node:crypto';
import type { Core } from '@botgate/core';
import type { DirectoryUser, UserDirectory } from '@botgate/http';
import { sha256, type Apps, type ExternalApp } from './apps.js';
import { UipathError } from './errors.js';

/** Who a bearer token speaks for; an application's token holds the scopes it was granted. */
export type Caller =
  { kind: 'user'; user: DirectoryUser } | { kind: 'app'; app: ExternalApp; scopes: ReadonlySet<string> };

interface TokenRow {
  subject_kind: 'user' | 'app';
  subject: string;
  access_stamp: string | null;
  scope: string | null;
  expires_at: number | string;
}

const notAuthenticated = () => new UipathError('UNAUTHORIZED', 'You are not authenticated!');

/**
 * Orchestrator's bearer tokens: random, kept as their hash with whom they speak for and until
 * when. Every call looks its token up, then its user or app, so a removed app, a removed user or
 * a user whose password or role changed is refused on the next call, on every node.
 */
export const createTokens = (core: Core, apps: Apps, directory: () => UserDirectory | undefined) => {
  const store = core.store('uipath');
  const issue = async (row: Omit<TokenRow, 'expires_at'>, lifetimeMs: number): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await store.transaction(async (tx) => {
      await tx.table('uipath_tokens').where('expires_at', '<', now).delete();
      await tx.table('uipath_tokens').insert({ ...row, token_hash: sha256(token), expires_at: now + lifetimeMs });
    });
    return token;
  };
  return {
    forUser: (user: DirectoryUser, lifetimeMs: number) =>
      issue(
        { subject_kind: 'user', subject: String(user.id), access_stamp: user.accessStamp, scope: null },
        lifetimeMs,
      ),
    /** A token of the scopes granted now, a part of the app's. */
    forApp: (app: ExternalApp, granted: readonly string[], lifetimeMs: number) =>
      issue({ subject_kind: 'app', subject: app.clientId, access_stamp: null, scope: granted.join(' ') }, lifetimeMs),
    /** The caller of `Authorization: Bearer <token>`, or UNAUTHORIZED (401, which makes UiPath's client sign in again). */
    async check(authorization: string | undefined): Promise<Caller> {
      const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) throw notAuthenticated();
      const [row] = await store.query<TokenRow>(
        'SELECT subject_kind, subject, access_stamp, scope, expires_at FROM uipath_tokens WHERE token_hash = ?',
        [sha256(match[1] as string)],
      );
      if (!row || Number(row.expires_at) <= Date.now()) throw notAuthenticated();
      if (row.subject_kind === 'app') {
        const app = await apps.find(row.subject);
        if (!app) throw notAuthenticated();
        // Never more than the app has now: a scope taken from it ends with the next call.
        const now = new Set(app.scope.split(/\s+/));
        return { kind: 'app', app, scopes: new Set((row.scope ?? '').split(/\s+/).filter((s) => now.has(s))) };
      }
      const user = await directory()?.find(Number(row.subject));
      if (!user || user.accessStamp !== row.access_stamp) throw notAuthenticated();
      return { kind: 'user', user };
    },
  };
};

export type Tokens = ReturnType<typeof createTokens>;

/**
 * Orchestrator's scopes of external applications: a call needs one of `scopes`, or the same with
 * `.Read` when it only reads. A user's token is the user's, whose role the route checks itself.
 */
export const requireScope = (caller: Caller, scopes: readonly string[], reads: boolean): void => {
  if (caller.kind === 'user') return;
  const accepted = reads
    ? scopes.flatMap((scope) => [scope, `${scope}.Read`])
    : scopes.flatMap((scope) => [scope, `${scope}.Write`]);
  if (!accepted.some((scope) => caller.scopes.has(scope)))
    throw new UipathError('FORBIDDEN', `You are not authorized! This call needs the scope ${accepted.join(' or ')}.`);
};
