import { BotgateError } from '../errors.js';
import type { Database } from '../queue/database.js';
import { syncAutomations } from '../queue/sync-automations.js';
import type { Automation } from './automation.js';
import { defaultRepositoryPath } from './default-repository-path.js';
import { loadCatalog } from './load-catalog.js';

export interface Catalog {
  list(): Automation[];
  /** @throws BotgateError AUTOMATION_NOT_FOUND */
  get(id: string): Automation;
  find(id: string): Automation | undefined;
  findByFileId(fileId: number): Automation | undefined;
  findByRepositoryPath(path: string): Automation | undefined;
}

export const createCatalog = async (db: Database, catalogDir: string): Promise<Catalog> => {
  const loaded = await loadCatalog(catalogDir);
  let fileIds: Map<string, number>;
  try {
    fileIds = await syncAutomations(db, loaded);
  } catch (error) {
    throw new BotgateError('INVALID_MANIFEST', `automation ids: ${(error as Error).message}`, {}, { cause: error });
  }
  const automations: Automation[] = loaded.map((a) => ({
    ...a,
    fileId: fileIds.get(a.id) as number,
    repositoryPath: a.repositoryPath ?? defaultRepositoryPath(a.id),
  }));
  const byId = new Map(automations.map((a) => [a.id, a]));
  const byFileId = new Map(automations.map((a) => [a.fileId, a]));
  // Windows-style repository paths are compared case-insensitively, as the vendor's are.
  const byPath = new Map(automations.map((a) => [a.repositoryPath.toLowerCase(), a]));
  return {
    list: () => [...automations],
    find: (id) => byId.get(id),
    get(id) {
      const automation = byId.get(id);
      if (!automation)
        throw new BotgateError('AUTOMATION_NOT_FOUND', `no automation "${id}" in the catalog`, { automationId: id });
      return automation;
    },
    findByFileId: (fileId) => byFileId.get(fileId),
    findByRepositoryPath: (path) => byPath.get(path.toLowerCase()),
  };
};
