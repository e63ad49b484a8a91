import type { PanelCard, PanelPage } from '@botgate/http';
import { defaultScope } from './apps.js';

/** UiPath's release of an automation in the folder Shared: published (its key shown), or not; only an admin publishes. */
export const cardOf = (id: string, release: { key: string; id: number } | null, admin: boolean): PanelCard => {
  const path = `/automations/${encodeURIComponent(id)}/uipath/release`;
  return {
    title: 'UiPath Orchestrator',
    notes: [release ? `published in Shared as release ${release.id}` : 'not published'],
    values: release ? [{ label: 'ReleaseKey', value: release.key, testId: `release-key-${id}` }] : [],
    actions: !admin
      ? []
      : release
        ? [{ label: 'Unpublish', method: 'DELETE', path }]
        : [{ label: 'Publish', method: 'POST', path }],
  };
};

const scopes = ['OR.Jobs', 'OR.Execution', 'OR.Folders'];

export const appsPage: PanelPage = {
  path: 'uipath-apps',
  title: 'UiPath apps',
  access: 'admin',
  intro:
    'External applications of the UiPath API: OAuth client credentials at POST /identity_/connect/token. The secret is shown once.',
  list: {
    path: '/uipath/apps',
    key: 'clientId',
    columns: [
      { field: 'name', label: 'Name' },
      { field: 'clientId', label: 'Client id' },
      { field: 'scope', label: 'Scope' },
      { field: 'createdAt', label: 'Since', format: 'time' },
    ],
  },
  add: {
    path: '/uipath/apps',
    submit: 'Add application',
    fields: [
      { name: 'name', label: 'New application name', kind: 'text', placeholder: 'application name', required: true },
      { name: 'scope', label: 'Scope', kind: 'choices', options: scopes, initial: defaultScope.split(' ') },
    ],
    shows: { label: 'client secret of {name} (shown once)', field: 'clientSecret', testId: 'new-uipath-secret' },
  },
  remove: { label: 'Remove', path: '/uipath/apps/{clientId}' },
};

export const foldersPage: PanelPage = {
  path: 'uipath-folders',
  title: 'UiPath folders',
  access: 'admin',
  intro:
    'Callers choose a folder by X-UIPATH-OrganizationUnitId (its Id) or X-UIPATH-FolderPath (its name); Shared when they name none.',
  list: {
    path: '/uipath/folders',
    key: 'id',
    columns: [
      { field: 'id', label: 'Id' },
      { field: 'displayName', label: 'Name' },
      { field: 'key', label: 'Key' },
    ],
  },
  add: {
    path: '/uipath/folders',
    submit: 'Add folder',
    fields: [{ name: 'name', label: 'New folder name', kind: 'text', placeholder: 'folder name', required: true }],
    shows: { label: 'folder {displayName}: Id', field: 'id', testId: 'new-uipath-folder' },
  },
};
