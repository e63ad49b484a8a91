import { randomUUID } from 'node:crypto';
import { BotgateError, type Automation, type Core, type VariableType } from '@botgate/core';
import type { Folder, Folders } from './folders.js';

export interface Release {
  id: number;
  key: string;
  automationId: string;
  folder: Folder;
}

interface ReleaseRow {
  id: number;
  key: string;
  folder_id: number;
  automation_id: string;
  folder_key: string;
  folder_name: string;
}

const toRelease = (row: ReleaseRow): Release => ({
  id: Number(row.id),
  key: row.key,
  automationId: row.automation_id,
  folder: { id: Number(row.folder_id), key: row.folder_key, displayName: row.folder_name },
});

const selectReleases = `SELECT r.id, r.key, r.folder_id, r.automation_id, f.key AS folder_key, f.display_name AS folder_name
  FROM uipath_releases r JOIN uipath_folders f ON f.id = r.folder_id`;

/** The .NET type Orchestrator shows an argument of each botgate type as. */
const dotNetTypes: Readonly<Record<VariableType, string>> = {
  STRING: 'System.String',
  NUMBER: 'System.Double',
  BOOLEAN: 'System.Boolean',
  DATETIME: 'System.DateTime',
  LIST: 'System.Object[]',
  DICTIONARY: 'System.Collections.Generic.Dictionary`2[[System.String],[System.Object]]',
  TABLE: 'System.Data.DataTable',
  RECORD: 'System.Collections.Generic.Dictionary`2[[System.String],[System.Object]]',
  FILE: 'System.String',
};

/** `Arguments` of a release: its inputs and outputs, each a JSON text as Orchestrator gives them. */
export const argumentsOf = (automation: Automation): { Input: string | null; Output: string | null } => {
  const inputs = Object.entries(automation.inputs).map(([name, declared]) => ({
    name,
    type: dotNetTypes[declared.type],
    required: declared.required,
    hasDefault: declared.default !== undefined,
  }));
  const outputs = Object.entries(automation.outputs).map(([name, type]) => ({
    name,
    type: dotNetTypes[type],
    required: false,
    hasDefault: false,
  }));
  return {
    Input: inputs.length > 0 ? JSON.stringify(inputs) : null,
    Output: outputs.length > 0 ? JSON.stringify(outputs) : null,
  };
};

/** Releases: catalog automations published into folders, each under a stable Key. */
export const createReleases = (core: Core, folders: Folders) => {
  const store = core.store('uipath');
  const table = () => store.table('uipath_releases');
  const find = async (folderId: number, automationId: string): Promise<Release | undefined> => {
    const [row] = await store.query<ReleaseRow>(`${selectReleases} WHERE r.folder_id = ? AND r.automation_id = ?`, [
      folderId,
      automationId,
    ]);
    return row && toRelease(row);
  };
  return {
    async publish(automationId: string, folderName: string | undefined): Promise<Release & { added: boolean }> {
      core.catalog.get(automationId);
      const folder = await folders.named(folderName);
      const existing = await find(folder.id, automationId);
      if (existing) return { ...existing, added: false };
      await table()
        .insert({ key: randomUUID(), folder_id: folder.id, automation_id: automationId, created_at: Date.now() })
        .onConflict(['folder_id', 'automation_id'])
        .ignore();
      return { ...((await find(folder.id, automationId)) as Release), added: true };
    },
    async unpublish(automationId: string, folderName: string | undefined): Promise<Release> {
      const folder = await folders.named(folderName);
      const existing = await find(folder.id, automationId);
      if (!existing)
        throw new BotgateError(
          'AUTOMATION_NOT_FOUND',
          `"${automationId}" is not published in the folder ${folder.displayName}`,
          { automationId },
        );
      // Its jobs keep their release's id: they still show its name.
      await table().where({ id: existing.id }).delete();
      return existing;
    },
    /** Every release, or a folder's, whose automation is in the catalog. */
    async list(folderId?: number): Promise<Release[]> {
      const rows =
        folderId === undefined
          ? await store.query<ReleaseRow>(`${selectReleases} ORDER BY r.id`, [])
          : await store.query<ReleaseRow>(`${selectReleases} WHERE r.folder_id = ? ORDER BY r.id`, [folderId]);
      return rows.map(toRelease).filter((release) => core.catalog.find(release.automationId));
    },
    async byKey(key: string): Promise<Release | undefined> {
      const [row] = await store.query<ReleaseRow>(`${selectReleases} WHERE r.key = ?`, [key]);
      return row && core.catalog.find(row.automation_id) ? toRelease(row) : undefined;
    },
  };
};

export type Releases = ReturnType<typeof createReleases>;
