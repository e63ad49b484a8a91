import { BotgateError, deliveryCommands, type AdapterCommand, type AdapterDescriptor } from '@botgate/core';
import { createApps, defaultScope, type ExternalApp } from './apps.js';
import { uipathOpenApi } from './contract.js';
import { createFolders, type Folder } from './folders.js';
import { uipathMigrations } from './migrations/index.js';
import { createReleases, type Release } from './releases.js';
import { deliveryLogOf } from './webhooks/create-webhook-dispatcher.js';
import { createWebhooks, jobEvents, type Webhook } from './webhooks/webhooks.js';

const folderOption = { name: 'folder', description: 'the folder (default Shared)' };

const publish: AdapterCommand<Release & { added: boolean }> = {
  path: ['publish'],
  description: 'publish an automation as a release in a folder, and print its ReleaseKey',
  args: [{ name: 'automation', description: 'automation id (the release’s ProcessKey)' }],
  options: [folderOption],
  run: (core, [automationId], options) =>
    createReleases(core, createFolders(core)).publish(automationId as string, options.folder),
  format: (release) =>
    `${release.automationId} in ${release.folder.displayName}: ReleaseKey ${release.key} (Id ${release.id})${release.added ? '' : ' (already published)'}`,
};

const unpublish: AdapterCommand<Release> = {
  path: ['unpublish'],
  description: 'take a release out of its folder (its jobs stay)',
  args: [{ name: 'automation', description: 'automation id' }],
  options: [folderOption],
  run: (core, [automationId], options) =>
    createReleases(core, createFolders(core)).unpublish(automationId as string, options.folder),
  format: (release) => `${release.automationId} unpublished from ${release.folder.displayName}`,
};

const list: AdapterCommand<Release[]> = {
  path: ['list'],
  description: 'the releases of every folder, with their keys',
  run: (core) => createReleases(core, createFolders(core)).list(),
  format: (releases) =>
    releases.length === 0
      ? 'no automation is published; botgate uipath publish AUTOMATION'
      : releases.map((r) => `${r.key}  ${r.folder.displayName}/${r.automationId}  (Id ${r.id})`).join('\n'),
};

const folderAdd: AdapterCommand<Folder & { added: boolean }> = {
  path: ['folder', 'add'],
  description: 'add a folder; callers name it by X-UIPATH-OrganizationUnitId (its Id) or X-UIPATH-FolderPath',
  args: [{ name: 'name', description: 'the folder’s name' }],
  run: (core, [name]) => createFolders(core).add(name as string),
  format: (folder) =>
    `folder ${folder.displayName}: Id ${folder.id}, Key ${folder.key}${folder.added ? '' : ' (already there)'}`,
};

const folderList: AdapterCommand<Folder[]> = {
  path: ['folder', 'list'],
  description: 'the folders, with their Ids',
  run: (core) => createFolders(core).list(),
  format: (folders) => folders.map((f) => `${f.id}  ${f.displayName}  ${f.key}`).join('\n'),
};

const appAdd: AdapterCommand<ExternalApp & { clientSecret: string }> = {
  path: ['app', 'add'],
  description: 'add an external application (OAuth client credentials); its secret is shown once',
  args: [{ name: 'name', description: 'the application’s name' }],
  options: [{ name: 'scope', description: `the scopes it may ask for (default "${defaultScope}")` }],
  run: (core, [name], options) => createApps(core).add(name as string, options.scope),
  format: (app) =>
    `${app.name}\n  client id      ${app.clientId}\n  client secret  ${app.clientSecret}  (shown once)\n  scope          ${app.scope}`,
};

const appList: AdapterCommand<ExternalApp[]> = {
  path: ['app', 'list'],
  description: 'the external applications (never their secrets)',
  run: (core) => createApps(core).list(),
  format: (apps) =>
    apps.length === 0
      ? 'no external application'
      : apps.map((a) => `${a.clientId}  ${a.name}  (${a.scope})`).join('\n'),
};

const appRemove: AdapterCommand<ExternalApp> = {
  path: ['app', 'remove'],
  description: 'remove an external application; its tokens are refused from the next call',
  args: [{ name: 'client-id', description: 'the application’s client id' }],
  run: (core, [clientId]) => createApps(core).remove(clientId as string),
  format: (app) => `${app.name} (${app.clientId}) removed`,
};

const webhookAdd: AdapterCommand<Webhook> = {
  path: ['webhook', 'add'],
  description: `add a webhook told of job ends (${jobEvents.join(', ')}), signed with X-UiPath-Signature when it has a secret`,
  args: [{ name: 'url', description: 'where to POST each event' }],
  options: [
    { name: 'secret', description: 'the HMAC-SHA256 key of X-UiPath-Signature' },
    { name: 'events', description: `comma-separated event types (default all: ${jobEvents.join(',')})` },
  ],
  run: (core, [url], options) =>
    createWebhooks(core).add({
      url: url as string,
      secret: options.secret,
      events: options.events
        ?.split(',')
        .map((event) => event.trim())
        .filter(Boolean),
    }),
  format: (webhook) => `webhook ${webhook.id}: ${webhook.url} (${webhook.events.join(', ')})`,
};

const webhookList: AdapterCommand<Array<Omit<Webhook, 'secret'> & { secret: boolean }>> = {
  path: ['webhook', 'list'],
  description: 'the webhooks (never their secrets)',
  run: async (core) =>
    (await createWebhooks(core).list()).map((webhook) => ({ ...webhook, secret: webhook.secret !== null })),
  format: (webhooks) =>
    webhooks.length === 0
      ? 'no webhook'
      : webhooks.map((w) => `${w.id}  ${w.url}  ${w.events.join(',')}${w.secret ? '  (signed)' : ''}`).join('\n'),
};

const webhookRemove: AdapterCommand<Webhook> = {
  path: ['webhook', 'remove'],
  description: 'remove a webhook; its deliveries not yet made are not sent',
  args: [{ name: 'id', description: 'the webhook’s Id' }],
  run: async (core, [id]) => {
    const removed = await createWebhooks(core).remove(Number(id));
    if (!removed) throw new BotgateError('INVALID_CONFIG', `no webhook ${id}`);
    return removed;
  },
  format: (webhook) => `webhook ${webhook.id} (${webhook.url}) removed`,
};

export const uipathDescriptor: AdapterDescriptor = {
  name: 'uipath',
  migrations: uipathMigrations,
  migrationTable: 'uipath_migrations',
  commands: [
    publish,
    unpublish,
    list,
    folderAdd,
    folderList,
    appAdd,
    appList,
    appRemove,
    webhookAdd,
    webhookList,
    webhookRemove,
    ...deliveryCommands(['webhook'], 'webhook', deliveryLogOf),
  ],
  openApi: uipathOpenApi,
  removeJobRows: async (tx, jobIds) => {
    // Fresh subqueries each time: a knex builder is changed by being used.
    const deliveries = () => tx.table('uipath_deliveries').whereIn('job_id', jobIds).select('id');
    return {
      rows: {
        uipath_delivery_attempts: await tx
          .table('uipath_delivery_attempts')
          .whereIn('delivery_id', deliveries())
          .delete(),
        uipath_deliveries: await tx.table('uipath_deliveries').whereIn('job_id', jobIds).delete(),
        uipath_jobs: await tx.table('uipath_jobs').whereIn('job_id', jobIds).delete(),
      },
    };
  },
};
