import type { Core } from '@botgate/core';
import {
  automationNamed,
  baseUrlOf,
  parseInput,
  type ConsolePanel,
  automationParams,
  consoleFailure,
} from '@botgate/http';
import { cardOf, keysPage } from './console-views.js';
import { z } from 'zod';
import { createProcesses } from './processes.js';
import { triggerCurl } from './trigger-curl.js';
import { createWorkspaceKeys, permissions } from './workspace-keys.js';

const newKey = z.object({ name: z.string().min(1).max(100), permissions: z.array(z.enum(permissions)).min(1) });

const keyView = (key: { name: string; permissions: readonly string[]; createdAt: Date }) => ({
  name: key.name,
  permissions: key.permissions,
  createdAt: key.createdAt.toISOString(),
});

/** Robocorp's "Process API access" and workspace keys in the console. */
export const createProcessApiPanel = (
  core: Core,
  { workspaceId, publicUrl }: { workspaceId?: string | undefined; publicUrl?: string | undefined },
): ConsolePanel => {
  const processes = createProcesses(core, workspaceId);
  const keys = createWorkspaceKeys(core);
  return {
    section: 'processApi',
    async exposure() {
      const [all, workspace] = await Promise.all([processes.list(), processes.workspaceId()]);
      const byAutomation = new Map(all.map((process) => [process.automationId, process]));
      return Object.fromEntries(
        core.catalog.list().map((automation) => {
          const process = byAutomation.get(automation.id);
          const data = {
            workspaceId: workspace,
            processId: process?.processId ?? null,
            hasSecret: (process?.secretHash ?? null) !== null,
          };
          return [automation.id, { data, card: cardOf(automation.id, data) }];
        }),
      );
    },
    pages: [keysPage],
    routes: [
      {
        method: 'post',
        path: '/automations/:id/process-api/secret',
        operation: 'expose',
        summary: 'A new Process API secret (shown once) and a ready curl line',
        params: automationParams,
        responses: { 200: { description: 'The secret' }, 404: consoleFailure('No such automation') },
        access: 'anyone',
        async handler(req, res, input) {
          const { process, secret } = await processes.rotateSecret(automationNamed(core, input.params.id).id);
          const workspace = await processes.workspaceId();
          res.json({
            workspaceId: workspace,
            processId: process.processId,
            secret,
            curl: triggerCurl(baseUrlOf(req, publicUrl), workspace, process.processId, secret),
          });
        },
      },
      {
        method: 'delete',
        path: '/automations/:id/process-api/secret',
        operation: 'expose',
        summary: 'Delete the Process API secret: its access ends at once',
        params: automationParams,
        responses: { 204: { description: 'Done' }, 404: consoleFailure('No such automation') },
        access: 'anyone',
        async handler(_req, res, input) {
          await processes.deleteSecret(automationNamed(core, input.params.id).id);
          res.status(204).end();
        },
      },
      {
        method: 'get',
        path: '/keys',
        operation: 'admin',
        summary: 'The Process API workspace keys',
        responses: { 200: { description: 'The keys' } },
        access: 'admin',
        async handler(_req, res) {
          res.json((await keys.list()).map(keyView));
        },
      },
      {
        method: 'post',
        path: '/keys',
        operation: 'admin',
        summary: 'A new workspace key (`Authorization: RC-WSKEY …`); shown in this answer only',
        body: { content: { 'application/json': newKey } },
        responses: { 201: { description: 'The key' }, 400: consoleFailure('A bad key') },
        access: 'admin',
        async handler(req, res) {
          const body = parseInput(newKey, req.body, 'body');
          const key = await keys.add(body.name, body.permissions);
          res.status(201).json({ ...keyView(key), key: key.key });
        },
      },
      {
        method: 'delete',
        path: '/keys/:name',
        operation: 'admin',
        summary: 'Remove a workspace key: its access ends at once',
        params: z.object({ name: z.string() }),
        responses: { 204: { description: 'Done' }, 404: consoleFailure('No such key') },
        access: 'admin',
        async handler(_req, res, input) {
          await keys.remove(String(input.params.name));
          res.status(204).end();
        },
      },
    ],
  };
};
