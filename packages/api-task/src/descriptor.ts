import { BotgateError, deliveryCommands, type AdapterCommand, type AdapterDescriptor } from '@botgate/core';
import { deliveryLogOf } from './callback-dispatcher.js';
import { createAllocations, type Allocation } from './allocations.js';
import { apiTaskOpenApi } from './contract.js';
import { createUsers, roles, type User } from './auth/users.js';
import { apiTaskMigrations } from './migrations/index.js';

const add: AdapterCommand<User & { apiKey: string }> = {
  path: ['users', 'add'],
  root: true,
  description: `add an api-task user (--role ${roles.join('|')}); prints its API key once`,
  args: [{ name: 'name', description: 'user name' }],
  options: [
    { name: 'role', description: roles.join(' or ') },
    { name: 'password', description: 'a password for POST /v1/authentication (optional; the API key works without)' },
  ],
  run: (core, [name], options) => createUsers(core).add(name as string, options.role ?? '', options.password),
  format: (u) =>
    `user ${u.username} (${u.role}), id ${u.id}\napiKey ${u.apiKey}   (shown once; POST /v1/authentication {"username","apiKey"})`,
};

const list: AdapterCommand<User[]> = {
  path: ['users', 'list'],
  root: true,
  description: 'api-task users and their roles',
  run: (core) => createUsers(core).list(),
  format: (users) =>
    users.length === 0
      ? 'no users'
      : users.map((u) => `${String(u.id).padStart(4)}  ${u.username.padEnd(20)} ${u.role}`).join('\n'),
};

const remove: AdapterCommand<User> = {
  path: ['users', 'remove'],
  root: true,
  description: 'remove a user: its tokens, execution tokens and console sessions are refused from the next call on',
  args: [{ name: 'name', description: 'user name' }],
  run: (core, [name]) => createUsers(core).remove(name as string),
  format: (u) => `user ${u.username} removed`,
};

const update: AdapterCommand<User> = {
  path: ['users', 'update'],
  root: true,
  description: "change a user's role or password; every token and console session it holds ends",
  args: [{ name: 'name', description: 'user name' }],
  options: [
    { name: 'role', description: roles.join(' or ') },
    { name: 'password', description: 'a new password' },
  ],
  run: (core, [name], options) =>
    createUsers(core).update(name as string, { role: options.role, password: options.password }),
  format: (u) => `user ${u.username} (${u.role}) updated; its earlier tokens and sessions are refused`,
};

const newKey: AdapterCommand<User & { apiKey?: string }> = {
  path: ['users', 'new-key'],
  root: true,
  description: 'give a user a new API key (printed once); the old key, its tokens and sessions end',
  args: [{ name: 'name', description: 'user name' }],
  run: (core, [name]) => createUsers(core).update(name as string, { newApiKey: true }),
  format: (u) =>
    `user ${u.username}: new apiKey ${u.apiKey ?? ''}   (shown once; the old key and its tokens are refused)`,
};

const signOut: AdapterCommand<User> = {
  path: ['users', 'sign-out'],
  root: true,
  description: 'end every token, execution token and console session of a user, changing nothing else',
  args: [{ name: 'name', description: 'user name' }],
  run: (core, [name]) => createUsers(core).update(name as string, {}),
  format: (u) => `user ${u.username} signed out everywhere`,
};

const deallocate: AdapterCommand<Allocation> = {
  path: ['deallocate'],
  description: 'remove the real-time allocation of an API Task: the execution tokens handed out for it are refused',
  args: [{ name: 'fileId', description: "the automation's fileId" }],
  async run(core, [fileId]) {
    const removed = /^\d+$/.test(fileId ?? '') ? await createAllocations(core).remove(Number(fileId)) : undefined;
    if (!removed) throw new BotgateError('INVALID_CONFIG', `no allocation has fileId "${fileId}"`);
    return removed;
  },
  format: (a) => `fileId ${a.fileId} (${a.automationId}) deallocated`,
};

export const apiTaskDescriptor: AdapterDescriptor = {
  name: 'api-task',
  migrations: apiTaskMigrations,
  migrationTable: 'api_task_migrations',
  commands: [
    add,
    list,
    remove,
    update,
    newKey,
    signOut,
    deallocate,
    ...deliveryCommands(['callback'], 'deploy callback', deliveryLogOf),
  ],
  openApi: apiTaskOpenApi,
  // A deploy's record goes with its job.
  async removeJobRows(tx, jobIds) {
    const deployments = () => tx.table('api_task_deployments').whereIn('job_id', jobIds).select('deployment_id');
    const callbacks = () => tx.table('api_task_callbacks').whereIn('deployment_id', deployments()).select('id');
    return {
      rows: {
        api_task_callback_attempts: await tx
          .table('api_task_callback_attempts')
          .whereIn('delivery_id', callbacks())
          .delete(),
        api_task_callbacks: await tx.table('api_task_callbacks').whereIn('deployment_id', deployments()).delete(),
        api_task_deployments: await tx.table('api_task_deployments').whereIn('job_id', jobIds).delete(),
      },
    };
  },
};
