import { randomUUID } from 'node:crypto';
import { BotgateError, type Core } from '@botgate/core';
import { UipathError } from './errors.js';

export interface Folder {
  id: number;
  key: string;
  displayName: string;
}

interface FolderRow {
  id: number;
  key: string;
  display_name: string;
}

const toFolder = (row: FolderRow): Folder => ({ id: Number(row.id), key: row.key, displayName: row.display_name });

/** Where a request names none: Orchestrator's `Shared`. */
export const defaultFolderName = 'Shared';

/** Orchestrator's folders (organization units): releases are published into one, jobs run in one. */
export const createFolders = (core: Core) => {
  const store = core.store('uipath');
  const table = () => store.table<FolderRow & { created_at: number }>('uipath_folders');
  const byName = async (name: string): Promise<Folder | undefined> => {
    const [row] = await store.query<FolderRow>('SELECT * FROM uipath_folders WHERE display_name = ?', [name]);
    return row && toFolder(row);
  };
  return {
    byName,
    async add(name: string): Promise<Folder & { added: boolean }> {
      if (!/^[^/\\]{1,200}$/.test(name))
        throw new BotgateError('INVALID_CONFIG', `a folder name is 1 to 200 characters without / or \\, not "${name}"`);
      const existing = await byName(name);
      if (existing) return { ...existing, added: false };
      await table()
        .insert({ key: randomUUID(), display_name: name, created_at: Date.now() })
        .onConflict('display_name')
        .ignore();
      return { ...((await byName(name)) as Folder), added: true };
    },
    async list(): Promise<Folder[]> {
      return (await table().orderBy('id')).map(toFolder);
    },
    /** A folder by name, for the CLI: the default when none is given. */
    async named(name: string | undefined): Promise<Folder> {
      const folder = await byName(name ?? defaultFolderName);
      if (!folder)
        throw new BotgateError('INVALID_CONFIG', `no folder "${name}"; add it with botgate uipath folder add`);
      return folder;
    },
    /**
     * The folder a request runs in: `X-UIPATH-OrganizationUnitId` (its Id), or
     * `X-UIPATH-FolderPath` (its name), or `Shared`.
     */
    async ofRequest(unitId: string | undefined, folderPath: string | undefined): Promise<Folder> {
      if (unitId !== undefined && unitId !== '') {
        const id = /^\d{1,9}$/.test(unitId.trim()) ? Number(unitId.trim()) : NaN;
        const [row] = Number.isNaN(id)
          ? []
          : await store.query<FolderRow>('SELECT * FROM uipath_folders WHERE id = ?', [id]);
        if (!row)
          throw new UipathError(
            'FOLDER_NOT_FOUND',
            `Folder does not exist or the user does not have access to the folder (X-UIPATH-OrganizationUnitId: ${unitId}).`,
          );
        return toFolder(row);
      }
      const name = folderPath === undefined || folderPath === '' ? defaultFolderName : folderPath.replace(/^\/+/, '');
      const folder = await byName(name);
      if (!folder)
        throw new UipathError(
          'FOLDER_NOT_FOUND',
          `Folder does not exist or the user does not have access to the folder (X-UIPATH-FolderPath: ${name}).`,
        );
      return folder;
    },
  };
};

export type Folders = ReturnType<typeof createFolders>;
