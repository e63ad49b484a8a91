import type { Database } from './database.js';

/**
 * Gives every automation id its `fileId`, once: a pinned one from the manifest, or the next free
 * number. Ids live in the database so every node (and every restart) answers the same number.
 */
export const syncAutomations = async (
  db: Database,
  automations: ReadonlyArray<{ id: string; fileId: number | undefined }>,
): Promise<Map<string, number>> => {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.transaction(async (tx) => {
        const rows: Array<{ id: string; file_id: number }> = await tx('automations').select('id', 'file_id');
        const byId = new Map(rows.map((r) => [r.id, Number(r.file_id)]));
        const taken = new Set(byId.values());
        for (const automation of automations) {
          const current = byId.get(automation.id);
          if (automation.fileId !== undefined && current !== automation.fileId) {
            const owner = rows.find((r) => Number(r.file_id) === automation.fileId && r.id !== automation.id);
            if (owner)
              throw new Error(`fileId ${automation.fileId} of "${automation.id}" is already used by "${owner.id}"`);
            if (current === undefined)
              await tx('automations').insert({ id: automation.id, file_id: automation.fileId, created_at: Date.now() });
            else await tx('automations').where({ id: automation.id }).update({ file_id: automation.fileId });
            taken.add(automation.fileId);
            byId.set(automation.id, automation.fileId);
          } else if (current === undefined) {
            let next = Math.max(0, ...taken) + 1;
            while (taken.has(next)) next++;
            await tx('automations').insert({ id: automation.id, file_id: next, created_at: Date.now() });
            taken.add(next);
            byId.set(automation.id, next);
          }
        }
      });
      break;
    } catch (error) {
      // Two nodes starting at once can pick the same next number; the unique index refuses one,
      // which retries. On SQLite a read transaction that then writes is refused at once when
      // another process writes (no busy wait can help it): it retries too, after a moment.
      const message = (error as Error).message;
      if (attempt >= 10 || !/unique|duplicate|database is locked|SQLITE_BUSY/i.test(message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    }
  }
  const rows: Array<{ id: string; file_id: number }> = await db('automations').select('id', 'file_id');
  return new Map(rows.map((r) => [r.id, Number(r.file_id)]));
};
