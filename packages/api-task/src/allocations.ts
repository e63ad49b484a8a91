import { randomUUID } from 'node:crypto';
import type { Automation, Core } from '@botgate/core';
import { ApiTaskError } from './errors.js';

export interface Allocation {
  id: string;
  fileId: number;
  automationId: string;
  runAsUserOrNone: string | null;
  concurrencyLimit: number;
}

interface AllocationRow {
  id: string;
  file_id: number;
  automation_id: string;
  run_as_user_or_none: string | null;
  concurrency_limit: number;
  created_at?: number;
  updated_at?: number;
}

const toAllocation = (row: AllocationRow): Allocation => ({
  id: row.id,
  fileId: Number(row.file_id),
  automationId: row.automation_id,
  runAsUserOrNone: row.run_as_user_or_none,
  concurrencyLimit: Number(row.concurrency_limit),
});

/**
 * "Add API Task to Cloud": which automations may run in real time, each with its concurrency
 * limit. Execution reads them from memory (refreshed every `cacheMs`), so the hot path makes no
 * database round trip; a change made through this process is seen at once.
 */
export const createAllocations = (core: Core, { cacheMs = 2000 } = {}) => {
  const table = () => core.db<AllocationRow>('api_task_allocations');
  const cache = new Map<string, { allocation: Allocation | undefined; loadedAt: number }>();

  const load = async (id: string): Promise<Allocation | undefined> => {
    const row = await table().where({ id }).first();
    const allocation = row ? toAllocation(row) : undefined;
    cache.set(id, { allocation, loadedAt: Date.now() });
    return allocation;
  };

  return {
    /** Creates or updates the allocation of the automation with this `fileId`. */
    async upsert(automation: Automation, runAsUserOrNone: string | null, concurrencyLimit: number): Promise<Allocation> {
      const now = Date.now();
      await table()
        .insert({ id: randomUUID(), file_id: automation.fileId, automation_id: automation.id, run_as_user_or_none: runAsUserOrNone, concurrency_limit: concurrencyLimit, created_at: now, updated_at: now } as AllocationRow)
        .onConflict('file_id')
        .merge(['run_as_user_or_none', 'concurrency_limit', 'updated_at']);
      const allocation = toAllocation((await table().where({ file_id: automation.fileId }).first()) as AllocationRow);
      cache.set(allocation.id, { allocation, loadedAt: now });
      return allocation;
    },
    async page(offset: number, length: number): Promise<{ list: Allocation[]; total: number }> {
      const [counted] = (await table().count({ total: '*' })) as Array<{ total: number | string }>;
      const total = counted?.total ?? 0;
      const rows = await table().orderBy('file_id').offset(offset).limit(length);
      return { list: rows.map(toAllocation), total: Number(total) };
    },
    async byFileId(fileId: number): Promise<Allocation | undefined> {
      const row = await table().where({ file_id: fileId }).first();
      return row ? toAllocation(row) : undefined;
    },
    /** The allocation for the execute path: from memory while fresh. */
    async get(id: string): Promise<Allocation> {
      const cached = cache.get(id);
      const allocation = cached && Date.now() - cached.loadedAt < cacheMs ? cached.allocation : await load(id);
      if (!allocation) throw new ApiTaskError('NOT_FOUND', 'this API Task is not allocated (any more)');
      return allocation;
    },
  };
};

export type Allocations = ReturnType<typeof createAllocations>;
