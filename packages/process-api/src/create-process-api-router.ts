import { silentLogger, type Core, type Logger } from '@botgate/core';
import { mountRoutes, operation } from '@botgate/http';
import { join } from 'node:path';
import { type Request, Router } from 'express';
import { processApiContract } from './contract.js';
import { createProcessApiErrorHandler, ProcessApiError } from './errors.js';
import { createProcesses } from './processes.js';
import { legacyGetRun, legacyTrigger } from './routes/legacy-routes.js';
import { readJsonBody } from './routes/read-payload.js';
import {
  signedDownload,
  v1GetRobotRun,
  v1ListRobotRuns,
  v1RobotRunArtifactLink,
  v1RobotRunArtifacts,
} from './routes/robot-run-routes.js';
import { uploadReceiver } from './routes/upload-receiver.js';
import {
  v1Artifacts,
  v1DownloadArtifact,
  v1GetRun,
  v1ListRuns,
  v1RunRequest,
  v1StopRun,
  v1Trigger,
  v1TriggerBatch,
  v1WorkItemFile,
  v1WorkItems,
  type V1Deps,
} from './routes/v1-routes.js';
import {
  v1CreateWorkItem,
  v1GetWorkItem,
  v1ListWorkItems,
  v1RequestUpload,
  v1RetryWorkItem,
} from './routes/work-item-routes.js';
import { v1GetProcess, v1ListProcesses, v1WorkspaceRuns } from './routes/workspace-routes.js';
import { createFileGrants } from './file-grants.js';
import { createRuns } from './runs.js';
import { createWorkItems } from './work-items.js';
import { createWorkspaceKeys } from './workspace-keys.js';

export interface ProcessApiOptions {
  /** The workspace every automation belongs to. @default an id made once and kept in the database */
  workspaceId?: string | undefined;
  /** Bytes of a JSON request body. @default 1048576 (1 MiB) */
  bodyLimit?: number;
  /** Bytes of one work-item file. @default 52428800 (50 MiB) */
  uploadLimit?: number;
  /** Base of the URLs handed out (uploads, downloads, next pages). @default the address each request came to */
  publicUrl?: string | undefined;
  /** @default a silent logger */
  logger?: Logger;
}

/** The two APIs' roots: every path under them answers in the Process API's error shape. */
export const processApiPaths = ['/workspace-v1', '/process-v1'] as const;

/**
 * Robocorp's Process API over a botgate core: the per-process-secret API of the contract under
 * `/workspace-v1`, and the workspace-key API under `/process-v1`. Mount it at the root. Completion
 * webhooks are sent by `createWebhookDispatcher`, started beside it.
 */
export const createProcessApiRouter = (core: Core, options: ProcessApiOptions = {}): Router => {
  const processes = createProcesses(core, options.workspaceId);
  const workItems = createWorkItems(core);
  const runs = createRuns(core, workItems);
  const keys = createWorkspaceKeys(core);
  const grants = createFileGrants(core);
  const uploadLimit = options.uploadLimit ?? 50 * 1024 * 1024;
  const baseUrl = (req: Request) =>
    (options.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '');
  const deps: V1Deps = { core, processes, runs, keys, workItems, grants, uploadLimit, baseUrl };
  const json = readJsonBody(options.bodyLimit ?? 1024 * 1024, core.options.jsonDepth);
  // What RPA.Robocorp.Process sends with data=json.dumps(…): JSON without a Content-Type.
  const untypedJson = readJsonBody(options.bodyLimit ?? 1024 * 1024, core.options.jsonDepth, { untyped: true });
  const router = Router();
  for (const base of processApiPaths) router.use(base, operation('process-api', 'other'));

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
    { ...processApiContract.workItemFile, handler: v1WorkItemFile(deps) },
    { ...processApiContract.runRequest, before: untypedJson, handler: v1RunRequest(deps) },
    { ...processApiContract.stopRun, before: untypedJson, handler: v1StopRun(deps) },
    { ...processApiContract.robotRuns, handler: v1ListRobotRuns(deps) },
    { ...processApiContract.robotRun, handler: v1GetRobotRun(deps) },
    { ...processApiContract.robotRunArtifacts, handler: v1RobotRunArtifacts(deps) },
    { ...processApiContract.robotRunArtifactLink, handler: v1RobotRunArtifactLink(deps) },
    { ...processApiContract.signedDownload, handler: signedDownload(deps, grants) },
    { ...processApiContract.listProcesses, handler: v1ListProcesses(deps) },
    { ...processApiContract.getProcess, handler: v1GetProcess(deps) },
    { ...processApiContract.workspaceRuns, handler: v1WorkspaceRuns(deps) },
    { ...processApiContract.createWorkItem, before: json, handler: v1CreateWorkItem(deps) },
    { ...processApiContract.listWorkItems, handler: v1ListWorkItems(deps) },
    { ...processApiContract.getWorkItem, handler: v1GetWorkItem(deps) },
    { ...processApiContract.retryWorkItem, before: untypedJson, handler: v1RetryWorkItem(deps) },
    { ...processApiContract.requestUpload, before: untypedJson, handler: v1RequestUpload(deps) },
    {
      ...processApiContract.upload,
      ...uploadReceiver(grants, workItems, join(core.options.dataDir, 'process-api', 'uploads'), uploadLimit),
    },
  ]);

  for (const base of processApiPaths) {
    router.use(base, (req, _res, next) =>
      next(new ProcessApiError('NOT_FOUND', `no Process API route ${req.method} ${req.originalUrl.split('?')[0]}`)),
    );
    router.use(base, createProcessApiErrorHandler(options.logger ?? silentLogger, core.storage));
  }
  return router;
};
