import type { AdapterCommand, AdapterDescriptor } from '@botgate/core';
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
  format: (u) => `user ${u.username} (${u.role}), id ${u.id}\napiKey ${u.apiKey}   (shown once; POST /v1/authentication {"username","apiKey"})`,
};

const list: AdapterCommand<User[]> = {
  path: ['users', 'list'],
  root: true,
  description: 'api-task users and their roles',
  run: (core) => createUsers(core).list(),
  format: (users) => (users.length === 0 ? 'no users' : users.map((u) => `${String(u.id).padStart(4)}  ${u.username.padEnd(20)} ${u.role}`).join('\n')),
};

const remove: AdapterCommand<User> = {
  path: ['users', 'remove'],
  root: true,
  description: 'remove a user: its logins and token refreshes stop',
  args: [{ name: 'name', description: 'user name' }],
  run: (core, [name]) => createUsers(core).remove(name as string),
  format: (u) => `user ${u.username} removed`,
};

export const apiTaskDescriptor: AdapterDescriptor = {
  name: 'api-task',
  migrations: apiTaskMigrations,
  migrationTable: 'api_task_migrations',
  commands: [add, list, remove],
  openApi: apiTaskOpenApi,
};
