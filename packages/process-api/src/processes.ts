import { randomUUID } from 'node:crypto';
import { BotgateError, type Core, type HeldStamp } from '@botgate/core';
import { hashSecret, newSecret } from './secrets.js';

export interface Process {
  automationId: string;
  processId: string;
  name: string;
  secretHash: string | null;
  secretCreatedAt: Date | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

/** The change-stamp topic of every process row: a status lookup reads its stamp with the run (`Runs.jobOf`). */
export const processesTopic = 'process-api:processes';

interface ProcessRow {
  automation_id: string;
  process_id: string;
  secret_hash: string | null;
  secret_created_at: number | string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  webhook_created_at?: number | string | null;
}

/**
 * Robocorp's workspace and processes over the catalog: one workspace (its id from configuration,
 * or made once), and per automation a process id made once, its Process API secret and webhook.
 */
export const createProcesses = (core: Core, configuredWorkspaceId?: string) => {
  const store = core.store('process-api');
  const table = () => store.table<ProcessRow>('process_api_processes');
  // Every call of the Process API reads its process (the secret, the webhook). They are kept in
  // memory while the topic's stamp stands still; every write below moves it, so a rotated or
  // deleted secret is refused from the next call on, on every node (and when the CLI wrote it).
  const byId = core.stamps.cache<ProcessRow | null>(processesTopic);
  const update = (automationId: string, set: Partial<ProcessRow>) =>
    core.stamps.change(processesTopic, (tx) =>
      tx('process_api_processes').where({ automation_id: automationId }).update(set),
    );
  let ready: Promise<string> | undefined;
  // The workspace id once `ready` has it, for `peek`, which cannot wait.
  let settled: string | undefined;

  const setUp = async (): Promise<string> => {
    const rows = core.catalog.list().map((a) => ({ automation_id: a.id, process_id: randomUUID() }));
    if (rows.length > 0)
      await core.stamps.change(processesTopic, (tx) =>
        tx('process_api_processes').insert(rows).onConflict('automation_id').ignore(),
      );
    if (configuredWorkspaceId !== undefined) return configuredWorkspaceId;
    await core
      .store('process-api')
      .table('process_api_settings')
      .insert({ key: 'workspace_id', value: randomUUID() })
      .onConflict('key')
      .ignore();
    return ((await store.table('process_api_settings').where({ key: 'workspace_id' }).first()) as { value: string })
      .value;
  };

  /** The workspace id, once every automation has its process row. */
  const workspaceId = (): Promise<string> => {
    ready ??= setUp().then(
      (id) => (settled = id),
      (error: unknown) => {
        ready = undefined;
        throw error;
      },
    );
    return ready;
  };

  const toProcess = (row: ProcessRow): Process => ({
    automationId: row.automation_id,
    processId: row.process_id,
    name: core.catalog.find(row.automation_id)?.name ?? row.automation_id,
    secretHash: row.secret_hash,
    secretCreatedAt: row.secret_created_at === null ? null : new Date(Number(row.secret_created_at)),
    webhookUrl: row.webhook_url,
    webhookSecret: row.webhook_secret,
  });

  const byAutomation = async (automationId: string): Promise<Process> => {
    core.catalog.get(automationId);
    await workspaceId();
    return toProcess((await table().where({ automation_id: automationId }).first()) as ProcessRow);
  };

  return {
    workspaceId,
    byAutomation,
    /**
     * A process of the catalog with this id, or undefined. `stamp`: the processes' change stamp,
     * when the caller's own statement has just read it (`Runs.jobOf`).
     */
    async find(processId: string, stamp?: number): Promise<Process | undefined> {
      await workspaceId();
      const row = await byId.get(
        processId,
        async () => {
          const [found] = await store.query<ProcessRow>('SELECT * FROM process_api_processes WHERE process_id = ?', [
            processId,
          ]);
          return found ?? null;
        },
        stamp,
      );
      return row && core.catalog.find(row.automation_id) ? toProcess(row) : undefined;
    },
    /**
     * The process as this node keeps it, unchecked, with the stamp to confirm in the write that
     * acts on it (`StampedCache.peek`); undefined where `find` must answer.
     */
    peek(processId: string): { process: Process; workspaceId: string; held: HeldStamp } | undefined {
      const kept = byId.peek(processId);
      if (settled === undefined || !kept?.value || !core.catalog.find(kept.value.automation_id)) return undefined;
      return { process: toProcess(kept.value), workspaceId: settled, held: kept.held };
    },
    async list(): Promise<Process[]> {
      await workspaceId();
      const rows = await table()
        .whereIn(
          'automation_id',
          core.catalog.list().map((a) => a.id),
        )
        .orderBy('automation_id');
      return rows.map(toProcess);
    },
    /** Generates (or rotates) a process's secret; the old one stops working at once. Shown once, kept hashed. */
    async rotateSecret(automationId: string): Promise<{ process: Process; secret: string }> {
      await byAutomation(automationId);
      const secret = newSecret();
      await update(automationId, { secret_hash: hashSecret(secret), secret_created_at: Date.now() });
      return { process: await byAutomation(automationId), secret };
    },
    async deleteSecret(automationId: string): Promise<Process> {
      const process = await byAutomation(automationId);
      if (process.secretHash === null)
        throw new BotgateError('AUTOMATION_NOT_FOUND', `"${automationId}" has no Process API secret`, { automationId });
      await update(automationId, { secret_hash: null, secret_created_at: null });
      return byAutomation(automationId);
    },
    /** Sets a completion webhook; answers the shared secret for its signatures. */
    async setWebhook(automationId: string, url: string): Promise<{ process: Process; secret: string }> {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new BotgateError('INVALID_CONFIG', `"${url}" is not a URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        throw new BotgateError('INVALID_CONFIG', `webhook URL must be http(s), got ${parsed.protocol}`);
      await byAutomation(automationId);
      const secret = newSecret();
      await update(automationId, { webhook_url: parsed.href, webhook_secret: secret, webhook_created_at: Date.now() });
      return { process: await byAutomation(automationId), secret };
    },
    async removeWebhook(automationId: string): Promise<Process> {
      await byAutomation(automationId);
      await update(automationId, { webhook_url: null, webhook_secret: null, webhook_created_at: null });
      return byAutomation(automationId);
    },
  };
};

export type Processes = ReturnType<typeof createProcesses>;
