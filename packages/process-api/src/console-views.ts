import type { CardAction, PanelCard, PanelPage } from '@botgate/http';
import { permissions } from './workspace-keys.js';

/** Robocorp's "Process API access": the process, and a secret made (shown once), rotated or deleted. */
export const cardOf = (id: string, process: { processId: string | null; hasSecret: boolean }): PanelCard => {
  const path = `/automations/${encodeURIComponent(id)}/process-api/secret`;
  const make: CardAction = {
    label: process.hasSecret ? 'Rotate secret' : 'Generate secret',
    method: 'POST',
    path,
    shows: [
      { label: 'secret (shown once)', field: 'secret', testId: `secret-${id}` },
      { label: 'curl', field: 'curl', testId: `secret-curl-${id}` },
    ],
  };
  return {
    title: 'Robocorp Process API',
    notes: [`process ${process.processId ?? '—'} · ${process.hasSecret ? 'secret set' : 'no secret'}`],
    values: [],
    actions: process.hasSecret ? [make, { label: 'Delete secret', method: 'DELETE', path }] : [make],
  };
};

export const keysPage: PanelPage = {
  path: 'keys',
  title: 'API keys',
  access: 'admin',
  intro: 'Workspace keys of the Process API, sent as Authorization: RC-WSKEY <key>.',
  list: {
    path: '/keys',
    key: 'name',
    columns: [
      { field: 'name', label: 'Name' },
      { field: 'permissions', label: 'Permissions', format: 'list' },
      { field: 'createdAt', label: 'Since', format: 'time' },
    ],
  },
  add: {
    path: '/keys',
    submit: 'Add key',
    fields: [
      { name: 'name', label: 'New key name', kind: 'text', placeholder: 'key name', required: true },
      {
        name: 'permissions',
        label: 'Permissions',
        kind: 'choices',
        options: [...permissions],
        initial: ['trigger_processes', 'read_runs'],
      },
    ],
    shows: { label: 'key {name} (shown once)', field: 'key', testId: 'new-workspace-key' },
  },
  remove: { label: 'Revoke', path: '/keys/{name}' },
};
