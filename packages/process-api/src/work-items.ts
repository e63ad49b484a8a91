import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Core, InputFile, JsonValue, StoreTransaction } from '@botgate/core';
import { ProcessApiError } from './errors.js';
import { newId } from './new-id.js';

export interface WorkItemFile {
  name: string;
  size: number;
}

export interface WorkItem {
  seq: number;
  id: string;
  processId: string;
  /** The run that has it (the last one, after a retry); null while it waits for one. */
  runId: string | null;
  payload: JsonValue;
  files: WorkItemFile[];
  createdAt: Date;
}

interface WorkItemRow {
  seq: number;
  id: string;
  process_id: string;
  run_id: string | null;
  payload: string;
  files: string;
  created_at: number | string;
}

/** Where a work item's files are kept, relative to the data folder. */
export const workItemFolder = (id: string): string => join('process-api', 'work-items', id);

const toWorkItem = (row: WorkItemRow): WorkItem => ({
  seq: Number(row.seq),
  id: row.id,
  processId: row.process_id,
  runId: row.run_id,
  payload: JSON.parse(row.payload) as JsonValue,
  files: JSON.parse(row.files) as WorkItemFile[],
  createdAt: new Date(Number(row.created_at)),
});

/**
 * A process's work items: rows of their own, their files in `<dataDir>/process-api/work-items/<id>/`.
 * A run takes items in its own transaction, and only items no run has: two runs never share one.
 */
export const createWorkItems = (core: Core) => {
  const store = core.store('process-api');
  const table = () => store.table<WorkItemRow>('process_api_work_items');
  const folderOf = (id: string) => join(core.options.dataDir, workItemFolder(id));

  return {
    /** A work item waiting for a run (`POST …/work-items`). */
    async create(processId: string, payload: JsonValue): Promise<WorkItem> {
      const row = {
        id: newId(),
        process_id: processId,
        run_id: null,
        payload: JSON.stringify(payload),
        files: '[]',
        created_at: Date.now(),
      };
      const [inserted] = (await table().insert(row).returning('*')) as WorkItemRow[];
      return toWorkItem(inserted as WorkItemRow);
    },
    /** The item a trigger's run is made with, in that run's transaction. */
    async insertForRun(
      tx: StoreTransaction,
      processId: string,
      id: string,
      runId: string,
      payload: JsonValue,
    ): Promise<void> {
      tx.insert('process_api_work_items', {
        id,
        process_id: processId,
        run_id: runId,
        payload: JSON.stringify(payload),
        files: '[]',
        created_at: Date.now(),
      });
    },
    /**
     * Gives these items to a run, in its transaction: each must still be without a run (or, for
     * a retry, in the run it failed in), else the whole run is refused.
     */
    async take(tx: StoreTransaction, ids: readonly string[], runId: string, from: string | null): Promise<void> {
      const query = tx.table('process_api_work_items').whereIn('id', ids);
      const taken = await (from === null ? query.whereNull('run_id') : query.where({ run_id: from })).update({
        run_id: runId,
      });
      if (taken !== ids.length)
        throw new ProcessApiError('CONFLICT', 'a work item was taken by another run meanwhile; nothing was started');
    },
    async find(processId: string, id: string): Promise<WorkItem | undefined> {
      const row = await table().where({ process_id: processId, id }).first();
      return row ? toWorkItem(row) : undefined;
    },
    async findMany(processId: string, ids: readonly string[]): Promise<WorkItem[]> {
      return (await table().where({ process_id: processId }).whereIn('id', ids)).map(toWorkItem);
    },
    async ofRun(runId: string): Promise<WorkItem[]> {
      return (await table().where({ run_id: runId }).orderBy('seq')).map(toWorkItem);
    },
    /** One page, oldest first, after the item `afterSeq` (a cursor); `limit + 1` read to know whether more follow. */
    async page(processId: string, afterSeq: number, limit: number): Promise<{ items: WorkItem[]; hasMore: boolean }> {
      const rows = await table()
        .where({ process_id: processId })
        .andWhere('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit + 1);
      return { items: rows.slice(0, limit).map(toWorkItem), hasMore: rows.length > limit };
    },
    /** The item's files, for a run's job (copied: the item keeps them for a retry). */
    inputFiles(item: WorkItem): InputFile[] {
      return item.files.map((file) => ({ name: file.name, path: join(folderOf(item.id), file.name) }));
    },
    /** The folder an item's files are kept in. */
    folderOf: (item: WorkItem) => folderOf(item.id),
    /**
     * Keeps an uploaded file with an item that no run has yet; a file of the same name is
     * replaced. The temp file is moved into place only once the row says so.
     */
    async addFile(
      item: WorkItem,
      name: string,
      temp: string,
      size: number,
      inTransaction: (tx: StoreTransaction) => Promise<void>,
    ): Promise<void> {
      await mkdir(folderOf(item.id), { recursive: true });
      const staged = join(folderOf(item.id), `.upload-${randomUUID()}`);
      await rename(temp, staged);
      try {
        await store.transaction(async (tx) => {
          const row = (await tx.table<WorkItemRow>('process_api_work_items').where({ id: item.id }).first()) as
            WorkItemRow | undefined;
          if (!row || row.run_id !== null)
            throw new ProcessApiError(
              'CONFLICT',
              `work item ${item.id} is in a run already; files are added before its run starts`,
            );
          const files = (JSON.parse(row.files) as WorkItemFile[]).filter((file) => file.name !== name);
          await tx
            .table('process_api_work_items')
            .where({ id: item.id })
            .update({ files: JSON.stringify([...files, { name, size }]) });
          await inTransaction(tx);
          await rename(staged, join(folderOf(item.id), name));
        });
      } finally {
        await rm(staged, { force: true });
      }
    },
  };
};

export type WorkItems = ReturnType<typeof createWorkItems>;
