import { silentLogger, type Core, type Logger } from '@botgate/core';
import { mountRoutes, operation } from '@botgate/http';
import { Router } from 'express';
import { processApiContract } from './contract.js';
import { createProcessApiErrorHandler, ProcessApiError } from './errors.js';
import { createProcesses } from './processes.js';
import { legacyGetRun, legacyTrigger } from './routes/legacy-routes.js';
import { readJsonBody } from './routes/read-payload.js';
import { v1Artifacts, v1DownloadArtifact, v1GetRun, v1ListRuns, v1Trigger, v1TriggerBatch, v1WorkItems } from './routes/v1-routes.js';
import { createRuns } from './runs.js';
import { createWorkspaceKeys } from './workspace-keys.js';

export interface ProcessApiOptions {
  /** The workspace every automation belongs to. @default an id made once and kept in the database */
  workspaceId?: string | undefined;
  /** Bytes of a JSON request body. @default 1048576 (1 MiB) */
  bodyLimit?: number;
  /** @default a silent logger */
  logger?: Logger;
}

/**
 * Robocorp's Process API over a botgate core: the per-process-secret API of the contract under
 * `/workspace-v1`, and the workspace-key API under `/process-v1`. Mount it at the root. Completion
 * webhooks are sent by `createWebhookDispatcher`, started beside it.
 */
export const createProcessApiRouter = (core: Core, options: ProcessApiOptions = {}): Router => {
  const processes = createProcesses(core, options.workspaceId);
  const runs = createRuns(core);
  const keys = createWorkspaceKeys(core);
  const deps = { core, processes, runs, keys };
  const json = readJsonBody(options.bodyLimit ?? 1024 * 1024, core.options.jsonDepth);
  const router = Router();
  for (const base of ['/workspace-v1', '/process-v1']) router.use(base, operation('process-api', 'other'));

  mountRoutes(router, 'process-api', [
    { ...processApiContract.legacyTrigger, before: json, handler: legacyTrigger(processes, runs) },
    { ...processApiContract.legacyGetRun, handler: legacyGetRun(processes, runs) },
    { ...processApiContract.trigger, before: json, handler: v1Trigger(deps) },
    { ...processApiContract.listRuns, handler: v1ListRuns(deps) },
    { ...processApiContract.triggerBatch, before: json, handler: v1TriggerBatch(deps) },
    { ...processApiContract.getRun, handler: v1GetRun(deps) },
    { ...processApiContract.workItems, handler: v1WorkItems(deps) },
    { ...processApiContract.artifacts, handler: v1Artifacts(deps) },
    { ...processApiContract.downloadArtifact, handler: v1DownloadArtifact(deps) },
  ]);

  for (const base of ['/workspace-v1', '/process-v1']) {
    router.use(base, (req, _res, next) => next(new ProcessApiError('NOT_FOUND', `no Process API route ${req.method} ${req.originalUrl.split('?')[0]}`)));
    router.use(base, createProcessApiErrorHandler(options.logger ?? silentLogger, core.storage));
  }
  return router;
};
