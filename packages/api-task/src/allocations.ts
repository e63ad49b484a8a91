import { randomUUID } from 'node:crypto';
import type { Automation, Core } from '@botgate/core';
import { accessTopic } from './auth/users.js';

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
 * limit. Every change moves the access stamp, so execution, which reads allocations through the
 * stamped cache of its token's verdict, sees it on the next call on every node.
 */
export const createAllocations = (core: Core) => {
  const table = () => core.store('api-task').table<AllocationRow>('api_task_allocations');

  return {
    /** Creates or updates the allocation of the automation with this `fileId`. */
    async upsert(
      automation: Automation,
      runAsUserOrNone: string | null,
      concurrencyLimit: number,
    ): Promise<Allocation> {
      const now = Date.now();
      const row = await core.stamps.change(accessTopic, async (tx) => {
        await tx<AllocationRow>('api_task_allocations')
          .insert({
            id: randomUUID(),
            file_id: automation.fileId,
            automation_id: automation.id,
            run_as_user_or_none: runAsUserOrNone,
            concurrency_limit: concurrencyLimit,
            created_at: now,
            updated_at: now,
          } as AllocationRow)
          .onConflict('file_id')
          .merge(['run_as_user_or_none', 'concurrency_limit', 'updated_at']);
        return (await tx<AllocationRow>('api_task_allocations')
          .where({ file_id: automation.fileId })
          .first()) as AllocationRow;
      });
      return toAllocation(row);
    },
    /** Removes the allocation of this `fileId`: the execution tokens handed out for it are refused from the next call on. */
    async remove(fileId: number): Promise<Allocation | undefined> {
      return core.stamps.change(accessTopic, async (tx) => {
        const row = await tx<AllocationRow>('api_task_allocations').where({ file_id: fileId }).first();
        if (row) await tx('api_task_allocations').where({ id: row.id }).delete();
        return row ? toAllocation(row) : undefined;
      });
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
    async find(id: string): Promise<Allocation | undefined> {
      const row = await table().where({ id }).first();
      return row ? toAllocation(row) : undefined;
    },
  };
};

export type Allocations = ReturnType<typeof createAllocations>;
