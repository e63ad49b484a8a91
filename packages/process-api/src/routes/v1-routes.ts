import { jobPaths, type Core, type Job } from '@botgate/core';
import { describeRequest, idempotencyKeyOf, parseInput, sendJobFile, type InputOf } from '@botgate/http';
import type { processApiContract } from '../contract.js';
import { z } from 'zod';
import type { Request, Response } from 'express';
import { authenticateWorkspaceKey } from '../authenticate.js';
import { ProcessApiError } from '../errors.js';
import type { Processes } from '../processes.js';
import type { FileGrants } from '../file-grants.js';
import { declaredInputs, derivedId, runView, type Run, type Runs } from '../runs.js';
import { workItemStateOf, workItemView } from '../work-item-view.js';
import type { WorkItem, WorkItems } from '../work-items.js';
import type { Permission, WorkspaceKeys } from '../workspace-keys.js';
import { payloadOf } from './read-payload.js';

export interface V1Deps {
  core: Core;
  processes: Processes;
  runs: Runs;
  keys: WorkspaceKeys;
  workItems: WorkItems;
  grants: FileGrants;
  /** Bytes of one work-item file. */
  uploadLimit: number;
  /** Where this server is reached, for the URLs it hands out (uploads, downloads, next pages). */
  baseUrl: (req: Request) => string;
}

/** A page's `limit` as its route's schema checked it (1 to 100); 10 when not given. */
export const pageLimit = (query: { limit?: string | undefined }): number => Number(query.limit ?? 10);

const findRun = async (
  runs: Runs,
  processId: string,
  { runId }: { runId: string },
): Promise<{ run: Run; job: Job }> => {
  const found = await runs.find(processId, runId);
  if (!found) throw new ProcessApiError('NOT_FOUND', `no run ${runId} of process ${processId}`);
  return found;
};

/** The run a call names, once the call's key has passed its check for `permission` on the run's process. */
const authorizedRun = async (
  deps: Pick<V1Deps, 'keys' | 'processes' | 'runs'>,
  req: Request,
  params: { workspaceId: string; processId: string; runId: string },
  permission: Permission,
) => {
  const { process, workspaceId } = await authenticateWorkspaceKey(req, params, deps, permission);
  return { process, workspaceId, ...(await findRun(deps.runs, process.processId, params)) };
};

/** `POST …/runs`: one run; the body is the payload, or `{ "variables": payload }`. */
export const v1Trigger =
  ({ processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.trigger>) => {
    const { process } = await authenticateWorkspaceKey(req, input.params, { keys, processes }, 'trigger_processes');
    const { run } = await runs.start(
      process,
      { payload: payloadOf(req.body, { unwrapVariables: true }) },
      { idempotencyKey: idempotencyKeyOf(req) },
    );
    describeRequest(res, { automationId: process.automationId, jobId: run.jobId });
    res.json({ id: run.runId, workItemIds: [run.workItemId] });
  };

/** `POST …/runs-batch`: a JSON array, one run per element. Every element is checked before any run starts. */
export const v1TriggerBatch =
  ({ core, processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.triggerBatch>) => {
    const { process } = await authenticateWorkspaceKey(req, input.params, { keys, processes }, 'trigger_processes');
    if (!Array.isArray(req.body) || req.body.length === 0)
      throw new ProcessApiError('BAD_REQUEST', 'the body must be a non-empty JSON array of payloads');
    if (req.body.length > 1000) throw new ProcessApiError('PAYLOAD_TOO_LARGE', 'at most 1000 runs per batch');
    const payloads = (req.body as unknown[]).map((item, index) =>
      payloadOf(item, { unwrapVariables: true }, `element ${index}`),
    );
    // All or nothing: every element is checked before the first run is queued.
    payloads.forEach((payload) => declaredInputs(core, process, payload));
    const key = idempotencyKeyOf(req);
    const started = [];
    for (const [index, payload] of payloads.entries()) {
      started.push(
        await runs.start(process, { payload }, { idempotencyKey: key === undefined ? undefined : `${key}#${index}` }),
      );
    }
    res.json({ data: started.map(({ run }) => ({ id: run.runId, workItemIds: [run.workItemId] })) });
  };

export const v1GetRun =
  ({ core, processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.getRun>) => {
    const { process, workspaceId, run, job } = await authorizedRun(
      { keys, processes, runs },
      req,
      input.params,
      'read_runs',
    );
    res.json(runView(run, job, await core.jobs.attempts(job), process, workspaceId));
  };

/**
 * `GET …/runs?limit=&cursor=`: newest first, a page at a time; `next` is the whole URL of the
 * next page (null on the last), `cursor` there the run number the page ended before.
 */
export const v1ListRuns =
  ({ core, processes, runs, keys, baseUrl }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.listRuns>) => {
    const { process, workspaceId } = await authenticateWorkspaceKey(
      req,
      input.params,
      { keys, processes },
      'read_runs',
    );
    const { cursor } = input.query;
    const limit = pageLimit(input.query);
    const found = await runs.list(process.processId, limit + 1, cursor === undefined ? undefined : Number(cursor));
    const page = found.slice(0, limit);
    const data = await Promise.all(
      page.map(async ({ run, job }) => runView(run, job, await core.jobs.attempts(job), process, workspaceId)),
    );
    const hasMore = found.length > limit;
    const next = hasMore
      ? `${baseUrl(req)}${req.baseUrl}${req.path}?${new URLSearchParams({ limit: String(limit), cursor: String(page.at(-1)?.run.runNo) })}`
      : null;
    res.json({ next, has_more: hasMore, data });
  };

/** `GET …/runs/:runId/work-items`: the run's input work items, then those the robot wrote (each file downloadable under its name). */
export const v1WorkItems =
  ({ processes, runs, keys, workItems }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.workItems>) => {
    const { process, workspaceId, ...found } = await authorizedRun(
      { keys, processes, runs },
      req,
      input.params,
      'read_work_items',
    );
    const { run, job } = found;
    const includeData = input.query.includeData === 'true';
    const items = await workItems.ofRun(run.runId);
    // Runs from before work items had rows of their own: the job's work item.
    const inputs =
      items.length > 0
        ? items.map((item) => workItemView(item, found, process, workspaceId, includeData))
        : [
            {
              id: run.workItemId,
              processRunId: run.runId,
              state: workItemStateOf(job),
              files: job.inputFiles.map((f) => ({ name: f.name, size: f.size })),
              ...(includeData ? { payload: job.workItem ?? {} } : {}),
            },
          ];
    const base = `/process-v1/workspaces/${workspaceId}/processes/${process.processId}/runs/${run.runId}/work-items`;
    const outputs = job.outputWorkItems.map((item, index) => {
      const id = derivedId(run.runId, 'output-work-item', index);
      return {
        id,
        processRunId: run.runId,
        state: 'PENDING',
        files: item.files.map((file) => ({
          name: file.name,
          downloadPath: `${base}/${id}/files/${encodeURIComponent(file.name)}`,
        })),
        ...(includeData ? { payload: item.payload } : {}),
      };
    });
    res.json({ next: null, has_more: false, data: [...inputs, ...outputs] });
  };

/** `GET …/runs/:runId/work-items/:workItemId/files/:fileName`: a file of one of the run's work items, input or output, by its name. */
export const v1WorkItemFile =
  ({ processes, runs, keys, workItems }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.workItemFile>) => {
    const { run, job } = await authorizedRun({ keys, processes, runs }, req, input.params, 'read_work_items');
    const { workItemId, fileName } = input.params;
    const missing = () =>
      new ProcessApiError('NOT_FOUND', `work item ${workItemId} of run ${run.runId} has no file "${fileName}"`);
    const index = job.outputWorkItems.findIndex(
      (_item, i) => derivedId(run.runId, 'output-work-item', i) === workItemId,
    );
    if (index >= 0) {
      const file = job.outputWorkItems[index]?.files.find((f) => f.name === fileName);
      if (!file) throw missing();
      await sendJobFile(res, job.workDir, file.path, missing);
      return;
    }
    const item = (await workItems.ofRun(run.runId)).find((i) => i.id === workItemId);
    const stored = item?.files.find((f) => f.name === fileName);
    if (!item || !stored) throw missing();
    await sendJobFile(res, workItems.folderOf(item), stored.name, missing);
  };

const artifactsOf = (run: Run, job: Job) =>
  job.outputFiles.map((file) => ({
    id: derivedId(run.runId, 'artifact', file.name),
    fileName: file.name,
    size: file.size,
  }));

/** `GET …/runs/:runId/artifacts`: the run's output files, each with its download path. */
export const v1Artifacts =
  ({ processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.artifacts>) => {
    const { process, workspaceId, run, job } = await authorizedRun(
      { keys, processes, runs },
      req,
      input.params,
      'read_runs',
    );
    const base = `/process-v1/workspaces/${workspaceId}/processes/${process.processId}/runs/${run.runId}/artifacts`;
    res.json({
      next: null,
      has_more: false,
      data: artifactsOf(run, job).map((a) => ({
        ...a,
        downloadPath: `${base}/${a.id}/${a.fileName.split('/').map(encodeURIComponent).join('/')}`,
      })),
    });
  };

/** `GET …/runs/:runId/artifacts/:artifactId/<name>`: one output file. */
export const v1DownloadArtifact =
  ({ processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.downloadArtifact>) => {
    const { run, job } = await authorizedRun({ keys, processes, runs }, req, input.params, 'read_runs');
    const { artifactId } = input.params;
    const artifact = artifactsOf(run, job).find((a) => a.id === artifactId);
    if (!artifact) throw new ProcessApiError('NOT_FOUND', `run ${run.runId} has no artifact ${artifactId}`);
    await sendJobFile(
      res,
      jobPaths(job.workDir).outputDir,
      artifact.fileName,
      () => new ProcessApiError('NOT_FOUND', `artifact ${artifactId} is no longer on disk`),
    );
  };

export const runRequestBody = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('default') }),
    z.object({
      type: z.literal('workItemIds'),
      workItemIds: z
        .array(z.string().min(1))
        .min(1, 'name at least one work item')
        .max(1000, 'at most 1000 work items'),
    }),
  ],
  {
    error:
      'type must be "default" (a run with an empty work item) or "workItemIds" (with workItemIds: the ids of work items made before)',
  },
);

/**
 * `POST …/run-request`: `{ "type": "default" }` starts a run with an empty work item;
 * `{ "type": "workItemIds", "workItemIds": […] }` one run over work items made before, none of
 * which may be in a run already.
 */
export const v1RunRequest =
  ({ processes, runs, keys, workItems }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.runRequest>) => {
    const { process } = await authenticateWorkspaceKey(req, input.params, { keys, processes }, 'trigger_processes');
    const body = parseInput(runRequestBody, req.body ?? {}, 'body');
    let started;
    if (body.type === 'default')
      started = await runs.start(process, { payload: {} }, { idempotencyKey: idempotencyKeyOf(req) });
    else {
      const ids = [...new Set(body.workItemIds)];
      const items = await workItems.findMany(process.processId, ids);
      const unknown = ids.filter((id) => !items.some((item) => item.id === id));
      if (unknown.length > 0)
        throw new ProcessApiError('NOT_FOUND', `no work item ${unknown.join(', ')} in process ${process.processId}`);
      const busy = items.filter((item) => item.runId !== null);
      if (busy.length > 0)
        throw new ProcessApiError(
          'CONFLICT',
          `work item ${busy.map((item) => item.id).join(', ')} is in a run already`,
        );
      // In the order asked for.
      started = await runs.start(
        process,
        { items: ids.map((id) => items.find((item) => item.id === id) as WorkItem), takenFrom: null },
        { idempotencyKey: idempotencyKeyOf(req) },
      );
    }
    describeRequest(res, { automationId: process.automationId, jobId: started.run.jobId });
    res.json({
      id: started.run.runId,
      workItemIds: body.type === 'default' ? [started.run.workItemId] : [...new Set(body.workItemIds)],
    });
  };

export const stopBody = z.object({
  set_remaining_work_items_as_done: z.boolean().optional(),
  terminate_ongoing_activity_runs: z.boolean().optional(),
  reason: z.string().max(1000).optional(),
});

/** `POST …/runs/:runId/stop`: cancels the run: a queued one never starts, a running one is stopped (its process killed). */
export const v1StopRun =
  ({ core, processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.stopRun>) => {
    const { process } = await authenticateWorkspaceKey(req, input.params, { keys, processes }, 'trigger_processes');
    parseInput(stopBody, req.body ?? {}, 'body');
    const { job } = await findRun(runs, process.processId, input.params);
    describeRequest(res, { automationId: process.automationId, jobId: job.id });
    await core.jobs.cancel(job.id);
    res.json({ accepted: true });
  };
