import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BotgateError, type Core } from '@botgate/core';

export interface ExternalApp {
  clientId: string;
  name: string;
  scope: string;
  createdAt: Date;
}

interface AppRow {
  client_id: string;
  name: string;
  secret_hash: string;
  scope: string;
  created_at: number | string;
}

/** A secret of 32 random bytes needs no slow hash: SHA-256 of it cannot be searched back. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const toApp = (row: AppRow): ExternalApp => ({
  clientId: row.client_id,
  name: row.name,
  scope: row.scope,
  createdAt: new Date(Number(row.created_at)),
});

/** The scopes an app is given unless the operator names others: what the job API needs. */
export const defaultScope = 'OR.Jobs OR.Execution OR.Folders';

/** UiPath's external applications: OAuth confidential clients that sign in with client credentials. */
export const createApps = (core: Core) => {
  const store = core.store('uipath');
  const table = () => store.table<AppRow>('uipath_apps');
  return {
    /** A new app and its secret, which is shown this once and kept only as its hash. */
    async add(name: string, scope = defaultScope): Promise<ExternalApp & { clientSecret: string }> {
      if (name.trim() === '' || name.length > 200)
        throw new BotgateError('INVALID_CONFIG', 'an app name is 1 to 200 characters');
      const clientSecret = randomBytes(32).toString('base64url');
      const row: AppRow = {
        client_id: randomUUID(),
        name,
        secret_hash: sha256(clientSecret),
        scope,
        created_at: Date.now(),
      };
      await table().insert(row);
      return { ...toApp(row), clientSecret };
    },
    async list(): Promise<ExternalApp[]> {
      return (await table().orderBy('created_at')).map(toApp);
    },
    async remove(clientId: string): Promise<ExternalApp> {
      const row = await table().where({ client_id: clientId }).first();
      if (!row) throw new BotgateError('INVALID_CONFIG', `no external app with client id ${clientId}`);
      await store.transaction(async (tx) => {
        await tx.table('uipath_apps').where({ client_id: clientId }).delete();
        // Its tokens end with it.
        await tx.table('uipath_tokens').where({ subject_kind: 'app', subject: clientId }).delete();
      });
      return toApp(row);
    },
    /** The app these client credentials prove, or undefined. */
    async verify(clientId: string, clientSecret: string): Promise<ExternalApp | undefined> {
      const [row] = await store.query<AppRow>('SELECT * FROM uipath_apps WHERE client_id = ?', [clientId]);
      const given = Buffer.from(sha256(clientSecret));
      const kept = Buffer.from(row?.secret_hash ?? sha256(''));
      return row && timingSafeEqual(given, kept) ? toApp(row) : undefined;
    },
    async find(clientId: string): Promise<ExternalApp | undefined> {
      const [row] = await store.query<AppRow>('SELECT * FROM uipath_apps WHERE client_id = ?', [clientId]);
      return row && toApp(row);
    },
  };
};

export type Apps = ReturnType<typeof createApps>;
