import type { Core } from '@botgate/core';
import { automationNamed, automationParams, consoleFailure, parseInput, type ConsolePanel } from '@botgate/http';
import { z } from 'zod';
import { createApps, type ExternalApp } from './apps.js';
import { appsPage, cardOf, foldersPage } from './console-views.js';
import { createFolders, defaultFolderName } from './folders.js';
import { createReleases } from './releases.js';

const newApp = z.object({
  name: z.string().min(1).max(200),
  scope: z
    .array(z.enum(['OR.Jobs', 'OR.Execution', 'OR.Folders']))
    .min(1)
    .optional(),
});
const newFolder = z.object({ name: z.string().min(1).max(200) });

const appView = (app: ExternalApp) => ({
  clientId: app.clientId,
  name: app.name,
  scope: app.scope,
  createdAt: app.createdAt.toISOString(),
});

/** UiPath's releases (in Shared), external applications and folders in the console. */
export const createUipathPanel = (core: Core): ConsolePanel => {
  const apps = createApps(core);
  const folders = createFolders(core);
  const releases = createReleases(core, folders);
  return {
    section: 'uipath',
    async exposure({ operator }) {
      const shared = await folders.named(defaultFolderName);
      const published = new Map((await releases.list(shared.id)).map((release) => [release.automationId, release]));
      return Object.fromEntries(
        core.catalog.list().map((automation) => {
          const release = published.get(automation.id);
          const data = release ? { key: release.key, id: release.id, folder: release.folder.displayName } : null;
          return [automation.id, { data, card: cardOf(automation.id, data, operator.role === 'admin') }];
        }),
      );
    },
    pages: [appsPage, foldersPage],
    routes: [
      {
        method: 'post',
        path: '/automations/:id/uipath/release',
        operation: 'expose',
        summary: 'Publish the automation as a release in the folder Shared',
        params: automationParams,
        responses: { 200: { description: 'The release' }, 404: consoleFailure('No such automation') },
        access: 'admin',
        async handler(_req, res, input) {
          const release = await releases.publish(automationNamed(core, input.params.id).id, undefined);
          res.json({ key: release.key, id: release.id, folder: release.folder.displayName });
        },
      },
      {
        method: 'delete',
        path: '/automations/:id/uipath/release',
        operation: 'expose',
        summary: 'Take the automation’s release out of Shared; its jobs stay',
        params: automationParams,
        responses: { 204: { description: 'Done' }, 404: consoleFailure('Not published') },
        access: 'admin',
        async handler(_req, res, input) {
          await releases.unpublish(automationNamed(core, input.params.id).id, undefined);
          res.status(204).end();
        },
      },
      {
        method: 'get',
        path: '/uipath/apps',
        operation: 'admin',
        summary: 'The UiPath external applications (never their secrets)',
        responses: { 200: { description: 'The applications' } },
        access: 'admin',
        async handler(_req, res) {
          res.json((await apps.list()).map(appView));
        },
      },
      {
        method: 'post',
        path: '/uipath/apps',
        operation: 'admin',
        summary: 'A new external application; its client secret is in this answer only',
        body: { content: { 'application/json': newApp } },
        responses: {
          201: { description: 'The application and its secret' },
          400: consoleFailure('A bad name or scope'),
        },
        access: 'admin',
        async handler(req, res) {
          const body = parseInput(newApp, req.body, 'body');
          const app = await apps.add(body.name, body.scope?.join(' '));
          res.status(201).json({ ...appView(app), clientSecret: app.clientSecret });
        },
      },
      {
        method: 'delete',
        path: '/uipath/apps/:clientId',
        operation: 'admin',
        summary: 'Remove an external application: its tokens are refused from the next call',
        params: z.object({ clientId: z.string() }),
        responses: { 204: { description: 'Done' }, 400: consoleFailure('No such application') },
        access: 'admin',
        async handler(_req, res, input) {
          await apps.remove(String(input.params.clientId));
          res.status(204).end();
        },
      },
      {
        method: 'get',
        path: '/uipath/folders',
        operation: 'admin',
        summary: 'The UiPath folders',
        responses: { 200: { description: 'The folders' } },
        access: 'admin',
        async handler(_req, res) {
          res.json(await folders.list());
        },
      },
      {
        method: 'post',
        path: '/uipath/folders',
        operation: 'admin',
        summary: 'A new UiPath folder',
        body: { content: { 'application/json': newFolder } },
        responses: { 201: { description: 'The folder' }, 400: consoleFailure('A bad name') },
        access: 'admin',
        async handler(req, res) {
          const folder = await folders.add(parseInput(newFolder, req.body, 'body').name);
          res.status(201).json({ id: folder.id, key: folder.key, displayName: folder.displayName });
        },
      },
    ],
  };
};
