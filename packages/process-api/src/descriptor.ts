import { deliveryCommands, type AdapterCommand, type AdapterDescriptor, type Core } from '@botgate/core';
import { deliveryLogOf } from './webhooks/create-webhook-dispatcher.js';
import { processApiMigrations } from './migrations/index.js';
import { createProcesses, type Process } from './processes.js';
import { createWorkspaceKeys, permissions, type WorkspaceKey } from './workspace-keys.js';
import { processApiOpenApi } from './contract.js';
import { triggerCurl } from './trigger-curl.js';
import { workItemFolder } from './work-items.js';

/** Commands that print URLs need the server's address; the CLI passes what it knows. */
export interface ProcessApiCommandContext {
  baseUrl: string;
  workspaceId?: string | undefined;
}

const processesOf = (core: Core, context: ProcessApiCommandContext) => createProcesses(core, context.workspaceId);

export const createProcessApiCommands = (context: ProcessApiCommandContext): AdapterDescriptor['commands'] => {
  const secret: AdapterCommand<{
    workspaceId: string;
    processId: string;
    automationId: string;
    secret: string;
    curl: string;
  }> = {
    path: ['secret'],
    description: 'generate (or rotate) the Process API secret of an automation; shown once, with a ready curl line',
    args: [{ name: 'automation', description: 'automation id' }],
    async run(core, [automationId]) {
      const processes = processesOf(core, context);
      const { process, secret } = await processes.rotateSecret(automationId as string);
      const workspaceId = await processes.workspaceId();
      const curl = triggerCurl(context.baseUrl, workspaceId, process.processId, secret);
      return { workspaceId, processId: process.processId, automationId: process.automationId, secret, curl };
    },
    format: (r) =>
      `workspaceId  ${r.workspaceId}\nprocessId    ${r.processId}\nsecret       ${r.secret}   (shown once; a new one replaces it at once)\n\n${r.curl}`,
  };
  const remove: AdapterCommand<Process> = {
    path: ['delete'],
    description: 'delete the Process API secret of an automation: its API access stops at once',
    args: [{ name: 'automation', description: 'automation id' }],
    run: (core, [automationId]) => processesOf(core, context).deleteSecret(automationId as string),
    format: (p) => `Process API access of ${p.automationId} (process ${p.processId}) is disabled`,
  };
  const list: AdapterCommand<{
    workspaceId: string;
    processes: Array<Omit<Process, 'secretHash' | 'webhookSecret'> & { apiAccess: boolean }>;
  }> = {
    path: ['list'],
    description: 'processes with their ids, API access and webhooks',
    async run(core) {
      const processes = processesOf(core, context);
      const all = await processes.list();
      return {
        workspaceId: await processes.workspaceId(),
        processes: all.map(({ secretHash, webhookSecret: _secret, ...p }) => ({
          ...p,
          apiAccess: secretHash !== null,
        })),
      };
    },
    format: (r) =>
      [
        `workspace ${r.workspaceId}`,
        ...r.processes.map(
          (p) =>
            `${p.processId}  ${p.automationId.padEnd(16)} API ${p.apiAccess ? 'on ' : 'off'}${p.webhookUrl ? `  webhook ${p.webhookUrl}` : ''}`,
        ),
      ].join('\n'),
  };
  const keyAdd: AdapterCommand<WorkspaceKey & { key: string }> = {
    path: ['key', 'add'],
    description: `create a workspace key for the process-v1 API (permissions: ${permissions.join(', ')}); shown once`,
    args: [{ name: 'name', description: 'a name for the key' }],
    options: [{ name: 'permissions', description: 'comma-separated permissions' }],
    run: (core, [name], options) =>
      createWorkspaceKeys(core).add(
        name as string,
        (options.permissions ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    format: (k) =>
      `key ${k.name} (${k.permissions.join(', ')}):\n${k.key}\n(shown once; send it as Authorization: RC-WSKEY <key>)`,
  };
  const keyList: AdapterCommand<WorkspaceKey[]> = {
    path: ['key', 'list'],
    description: 'workspace keys and their permissions',
    run: (core) => createWorkspaceKeys(core).list(),
    format: (keys) =>
      keys.length === 0
        ? 'no workspace keys'
        : keys
            .map((k) => `${k.name.padEnd(20)} ${k.permissions.join(', ')}  (created ${k.createdAt.toISOString()})`)
            .join('\n'),
  };
  const keyRemove: AdapterCommand<WorkspaceKey> = {
    path: ['key', 'remove'],
    description: 'delete a workspace key: it stops working at once',
    args: [{ name: 'name', description: "the key's name" }],
    run: (core, [name]) => createWorkspaceKeys(core).remove(name as string),
    format: (k) => `key ${k.name} removed`,
  };
  const webhookSet: AdapterCommand<{ automationId: string; processId: string; url: string; secret: string }> = {
    path: ['webhook', 'set'],
    description: 'send a signed event to URL when a run of the automation completes; prints the signing secret once',
    args: [
      { name: 'automation', description: 'automation id' },
      { name: 'url', description: 'http(s) URL receiving the events' },
    ],
    async run(core, [automationId, url]) {
      const { process, secret } = await processesOf(core, context).setWebhook(automationId as string, url as string);
      return {
        automationId: process.automationId,
        processId: process.processId,
        url: process.webhookUrl as string,
        secret,
      };
    },
    format: (r) =>
      `webhook of ${r.automationId}: ${r.url}\nsigning secret ${r.secret}   (x-rc-signature = HMAC-SHA256 hex of the body; shown once)`,
  };
  const webhookRemove: AdapterCommand<Process> = {
    path: ['webhook', 'remove'],
    description: 'stop sending completion events for the automation',
    args: [{ name: 'automation', description: 'automation id' }],
    run: (core, [automationId]) => processesOf(core, context).removeWebhook(automationId as string),
    format: (p) => `webhook of ${p.automationId} removed`,
  };
  return [
    secret,
    remove,
    list,
    keyAdd,
    keyList,
    keyRemove,
    webhookSet,
    webhookRemove,
    ...deliveryCommands(['webhook'], 'webhook', deliveryLogOf),
  ];
};

export const createProcessApiDescriptor = (context: ProcessApiCommandContext): AdapterDescriptor => ({
  name: 'process-api',
  migrations: processApiMigrations,
  migrationTable: 'process_api_migrations',
  commands: createProcessApiCommands(context),
  openApi: processApiOpenApi,
  // A job's run, its completion webhook deliveries and their attempts.
  async removeJobRows(tx, jobIds) {
    // Fresh subqueries each time: a knex builder is changed by being used.
    const runs = () => tx.table('process_api_runs').whereIn('job_id', jobIds).select('run_id');
    const deliveries = () => tx.table('process_api_deliveries').whereIn('run_id', runs()).select('id');
    // A run's work items go with it, and the files they were uploaded with.
    const items = (await tx.table('process_api_work_items').whereIn('run_id', runs()).select('id')) as Array<{
      id: string;
    }>;
    const rows = {
      process_api_delivery_attempts: await tx
        .table('process_api_delivery_attempts')
        .whereIn('delivery_id', deliveries())
        .delete(),
      process_api_deliveries: await tx.table('process_api_deliveries').whereIn('run_id', runs()).delete(),
      process_api_work_items: await tx.table('process_api_work_items').whereIn('run_id', runs()).delete(),
      process_api_runs: await tx.table('process_api_runs').whereIn('job_id', jobIds).delete(),
    };
    return { rows, folders: items.map((item) => workItemFolder(item.id)) };
  },
});
