import { BotgateError, type Core } from '@botgate/core';
import { hashSecret, newSecret } from './secrets.js';

/** Robocorp's names: `read_processes` lists processes, `write_work_items` makes work items, uploads their files and retries them. */
export const permissions = [
  'trigger_processes',
  'read_runs',
  'read_work_items',
  'read_processes',
  'write_work_items',
] as const;
export type Permission = (typeof permissions)[number];

export interface WorkspaceKey {
  name: string;
  permissions: Permission[];
  createdAt: Date;
}

interface KeyRow {
  name: string;
  key_hash: string;
  permissions: string;
  created_at: number | string;
}

const toKey = (row: KeyRow): WorkspaceKey => ({
  name: row.name,
  permissions: JSON.parse(row.permissions),
  createdAt: new Date(Number(row.created_at)),
});

/** Workspace API keys of the process-v1 API (`Authorization: RC-WSKEY <key>`), kept as hashes. */
export const createWorkspaceKeys = (core: Core) => {
  const table = () => core.store('process-api').table<KeyRow>('process_api_keys');
  return {
    async add(name: string, wanted: string[]): Promise<WorkspaceKey & { key: string }> {
      if (!/^[\w.-]{1,100}$/.test(name))
        throw new BotgateError('INVALID_CONFIG', `key name "${name}": use 1 to 100 letters, digits, _ . -`);
      const unknown = wanted.filter((p) => !(permissions as readonly string[]).includes(p));
      if (wanted.length === 0 || unknown.length > 0) {
        throw new BotgateError(
          'INVALID_CONFIG',
          `--permissions: ${wanted.length === 0 ? 'none given' : `unknown ${unknown.join(', ')}`}; choose from ${permissions.join(', ')}`,
        );
      }
      if (await table().where({ name }).first())
        throw new BotgateError('INVALID_CONFIG', `a key named "${name}" exists; remove it first`);
      const key = newSecret();
      const row = {
        name,
        key_hash: hashSecret(key),
        permissions: JSON.stringify([...new Set(wanted)]),
        created_at: Date.now(),
      };
      await table().insert(row);
      return { ...toKey(row), key };
    },
    async list(): Promise<WorkspaceKey[]> {
      return (await table().orderBy('name')).map(toKey);
    },
    async remove(name: string): Promise<WorkspaceKey> {
      const row = await table().where({ name }).first();
      if (!row) throw new BotgateError('INVALID_CONFIG', `no key named "${name}"`);
      await table().where({ name }).delete();
      return toKey(row);
    },
    /**
     * The key a presented secret belongs to. Looked up by its SHA-256: the database compares
     * hashes, so timing says nothing about the key itself.
     */
    async authenticate(presented: string): Promise<WorkspaceKey | undefined> {
      const row = await table()
        .where({ key_hash: hashSecret(presented) })
        .first();
      return row ? toKey(row) : undefined;
    },
  };
};

export type WorkspaceKeys = ReturnType<typeof createWorkspaceKeys>;
