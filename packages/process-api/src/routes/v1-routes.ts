import { jobPaths, type Core, type Job } from '@botgate/core';
import { describeRequest, sendJobFile } from '@botgate/http';
import type { Request, Response } from 'express';
import { authenticateWorkspaceKey } from '../authenticate.js';
import { ProcessApiError } from '../errors.js';
import type { Processes } from '../processes.js';
import { declaredInputs, derivedId, runView, type Run, type Runs } from '../runs.js';
import type { WorkspaceKeys } from '../workspace-keys.js';
import { idempotencyKeyOf, payloadOf } from './read-payload.js';

export interface V1Deps {
  core: Core;
  processes: Processes;
  runs: Runs;
  keys: WorkspaceKeys;
}

const findRun = async (runs: Runs, processId: string, req: Request): Promise<{ run: Run; job: Job }> => {
  const { runId } = req.params as { runId: string };
  const found = await runs.find(processId, runId);
  if (!found) throw new ProcessApiError('NOT_FOUND', `no run ${runId} of process ${processId}`);
  return found;
};

/** `POST …/runs`: one run; the body is the payload, or `{ "variables": payload }`. */
export const v1Trigger = ({ processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process } = await authenticateWorkspaceKey(req, keys, processes, 'trigger_processes');
  const { run } = await runs.start(process, payloadOf(req.body, { unwrapVariables: true }), { idempotencyKey: idempotencyKeyOf(req) });
  describeRequest(res, { automationId: process.automationId, jobId: run.jobId });
  res.json({ id: run.runId, workItemIds: [run.workItemId] });
};

/** `POST …/runs-batch`: a JSON array, one run per element. Every element is checked before any run starts. */
export const v1TriggerBatch = ({ core, processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process } = await authenticateWorkspaceKey(req, keys, processes, 'trigger_processes');
  if (!Array.isArray(req.body) || req.body.length === 0) throw new ProcessApiError('BAD_REQUEST', 'the body must be a non-empty JSON array of payloads');
  if (req.body.length > 1000) throw new ProcessApiError('PAYLOAD_TOO_LARGE', 'at most 1000 runs per batch');
  const payloads = (req.body as unknown[]).map((item, index) => payloadOf(item, { unwrapVariables: true }, `element ${index}`));
  // All or nothing: every element is checked before the first run is queued.
  payloads.forEach((payload) => declaredInputs(core, process, payload));
  const key = idempotencyKeyOf(req);
  const started = [];
  for (const [index, payload] of payloads.entries()) {
    started.push(await runs.start(process, payload, { idempotencyKey: key === undefined ? undefined : `${key}#${index}` }));
  }
  res.json({ data: started.map(({ run }) => ({ id: run.runId, workItemIds: [run.workItemId] })) });
};

export const v1GetRun = ({ core, processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process, workspaceId } = await authenticateWorkspaceKey(req, keys, processes, 'read_runs');
  const { run, job } = await findRun(runs, process.processId, req);
  res.json(runView(run, job, await core.jobs.attempts(job), process, workspaceId));
};

export const v1ListRuns = ({ core, processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process, workspaceId } = await authenticateWorkspaceKey(req, keys, processes, 'read_runs');
  const text = req.query.limit ?? '10';
  const limit = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) throw new ProcessApiError('BAD_REQUEST', 'limit must be a whole number from 1 to 100');
  const found = await runs.list(process.processId, limit + 1);
  const data = await Promise.all(found.slice(0, limit).map(async ({ run, job }) => runView(run, job, await core.jobs.attempts(job), process, workspaceId)));
  res.json({ next: null, has_more: found.length > limit, data });
};

/** `GET …/runs/:runId/work-items`: the run's input work item, then those the robot wrote. */
export const v1WorkItems = ({ processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process } = await authenticateWorkspaceKey(req, keys, processes, 'read_work_items');
  const { run, job } = await findRun(runs, process.processId, req);
  const includeData = req.query.includeData === 'true';
  const state = job.state === 'succeeded' ? 'COMPLETED' : job.state === 'queued' ? 'PENDING' : job.state === 'running' ? 'IN_PROGRESS' : 'FAILED';
  const input = {
    id: run.workItemId,
    processRunId: run.runId,
    state,
    files: job.inputFiles.map((f) => ({ name: f.name, size: f.size })),
    ...(includeData ? { payload: job.workItem ?? {} } : {}),
  };
  const outputs = job.outputWorkItems.map((item, index) => ({
    id: derivedId(run.runId, 'output-work-item', index),
    processRunId: run.runId,
    state: 'PENDING',
    files: item.files.map((name) => ({ name })),
    ...(includeData ? { payload: item.payload } : {}),
  }));
  res.json({ next: null, has_more: false, data: [input, ...outputs] });
};

const artifactsOf = (run: Run, job: Job) => job.outputFiles.map((file) => ({ id: derivedId(run.runId, 'artifact', file.name), fileName: file.name, size: file.size }));

/** `GET …/runs/:runId/artifacts`: the run's output files, each with its download path. */
export const v1Artifacts = ({ processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process, workspaceId } = await authenticateWorkspaceKey(req, keys, processes, 'read_runs');
  const { run, job } = await findRun(runs, process.processId, req);
  const base = `/process-v1/workspaces/${workspaceId}/processes/${process.processId}/runs/${run.runId}/artifacts`;
  res.json({
    next: null,
    has_more: false,
    data: artifactsOf(run, job).map((a) => ({ ...a, downloadPath: `${base}/${a.id}/${a.fileName.split('/').map(encodeURIComponent).join('/')}` })),
  });
};

/** `GET …/runs/:runId/artifacts/:artifactId/<name>`: one output file. */
export const v1DownloadArtifact = ({ processes, runs, keys }: V1Deps) => async (req: Request, res: Response) => {
  const { process } = await authenticateWorkspaceKey(req, keys, processes, 'read_runs');
  const { run, job } = await findRun(runs, process.processId, req);
  const { artifactId } = req.params as { artifactId: string };
  const artifact = artifactsOf(run, job).find((a) => a.id === artifactId);
  if (!artifact) throw new ProcessApiError('NOT_FOUND', `run ${run.runId} has no artifact ${artifactId}`);
  await sendJobFile(res, jobPaths(job.workDir).outputDir, artifact.fileName, () => new ProcessApiError('NOT_FOUND', `artifact ${artifactId} is no longer on disk`));
};
