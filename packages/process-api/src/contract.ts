import { openApiDocument, type RouteDoc } from '@botgate/http';
import { z } from 'zod';

const error = z.object({ error: z.string(), message: z.string() });
const failure = (description: string) => ({ description, schema: error });
const common = {
  400: failure('A malformed body or parameter'),
  401: failure('No or a wrong secret or key'),
  404: failure('No such workspace, process or run'),
};
const keyFailures = { ...common, 403: failure('The workspace key lacks the permission this call needs') };

const workspaceId = z.string().meta({ description: 'The workspace id' });
const processId = z.string().meta({ description: 'The process id, shown when its API access is enabled' });
const runId = z.string().meta({ description: 'A run id a trigger answered' });
const processParams = z.object({ workspaceId, processId });
const runParams = processParams.extend({ runId });
const idempotency = z.object({ 'Idempotency-Key': z.string().min(1).max(200).optional().meta({ description: 'A retried trigger with the same key answers the same run' }) });
const workItem = z.record(z.string(), z.unknown()).meta({ description: 'The work item payload: any JSON object' });
const secretQuery = z.object({ 'robocloud-process-secret': z.string().optional().meta({ description: 'The process secret, when a header cannot be set' }) });

const runState = z.enum(['INI', 'IP', 'COMPL']);
const result = z.enum(['OK', 'ERR']).nullable();
const legacyRun = z.object({ id: z.string(), result, state: runState, errorCode: z.string(), duration: z.number(), workspaceId: z.string() });
const run = z.object({
  id: z.string(),
  result,
  state: runState,
  errorCode: z.string(),
  workspaceId: z.string(),
  processId: z.string(),
  processName: z.string(),
  duration: z.number(),
  robotRuns: z
    .array(z.object({ id: z.string(), state: runState, result, errorCode: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable() }))
    .meta({ description: 'One robot run per attempt (retries, runs cut short by a node stopping), first to last' }),
  runNo: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
const page = <T extends z.ZodType>(item: T) => z.object({ next: z.null(), has_more: z.boolean(), data: z.array(item) });
const started = z.object({ id: z.string(), workItemIds: z.array(z.string()) });

const legacy = '/workspace-v1/workspaces/:workspaceId/processes/:processId';
const v1 = '/process-v1/workspaces/:workspaceId/processes/:processId';

/** A trigger that could not be recorded is refused, never answered as queued. */
const storageFailures = {
  503: failure('The run could not be recorded: the database or disk cannot be written, or botgate is shutting down'),
  507: failure('The run could not be recorded: the disk is full'),
};

export const processApiContract = {
  legacyTrigger: {
    method: 'post',
    path: `${legacy}/runs`,
    operation: 'trigger',
    summary: 'Start a process run (process secret)',
    description: 'The JSON body is the run’s work item. The secret goes in the `robocloud-process-secret` header, or the query parameter of that name.',
    security: ['processSecret', 'processSecretQuery'],
    params: processParams,
    query: secretQuery,
    headers: idempotency,
    body: { content: { 'application/json': workItem }, required: false },
    responses: {
      200: {
        description: 'The run is queued',
        schema: z.object({ message: z.literal('OK'), processRunId: z.string(), processId: z.string(), workspaceId: z.string(), workItemId: z.string() }),
      },
      ...common,
      413: failure('The body is over the limit'),
      415: failure('A body that is not JSON'),
      ...storageFailures,
    },
  },
  legacyGetRun: {
    method: 'get',
    path: `${legacy}/runs/:runId`,
    operation: 'status',
    summary: 'A run’s state, result and duration (process secret)',
    security: ['processSecret', 'processSecretQuery'],
    params: runParams,
    query: secretQuery,
    responses: { 200: { description: 'The run', schema: legacyRun }, ...common },
  },
  trigger: {
    method: 'post',
    path: `${v1}/runs`,
    operation: 'trigger',
    summary: 'Start a process run (workspace key)',
    description: 'The body is the work item payload, or `{ "variables": payload }`.',
    security: ['workspaceKey'],
    params: processParams,
    headers: idempotency,
    body: { content: { 'application/json': workItem }, required: false },
    responses: { 200: { description: 'The run is queued', schema: started }, ...keyFailures, 413: failure('The body is over the limit'), 415: failure('A body that is not JSON'), ...storageFailures },
  },
  listRuns: {
    method: 'get',
    path: `${v1}/runs`,
    operation: 'list',
    summary: 'The process’s latest runs',
    security: ['workspaceKey'],
    params: processParams,
    query: z.object({ limit: z.string().regex(/^\d+$/).optional().meta({ description: '1 to 100, default 10' }) }),
    responses: { 200: { description: 'Runs, newest first', schema: page(run) }, ...keyFailures },
  },
  triggerBatch: {
    method: 'post',
    path: `${v1}/runs-batch`,
    operation: 'trigger',
    summary: 'Start one run per payload',
    description: 'Every element is checked before the first run is queued: all or nothing.',
    security: ['workspaceKey'],
    params: processParams,
    headers: idempotency,
    body: { content: { 'application/json': z.array(workItem).min(1).max(1000) } },
    responses: { 200: { description: 'The runs are queued', schema: z.object({ data: z.array(started) }) }, ...keyFailures, 413: failure('Over 1000 runs or over the body limit'), ...storageFailures },
  },
  getRun: {
    method: 'get',
    path: `${v1}/runs/:runId`,
    operation: 'status',
    summary: 'A run',
    security: ['workspaceKey'],
    params: runParams,
    responses: { 200: { description: 'The run', schema: run }, ...keyFailures },
  },
  workItems: {
    method: 'get',
    path: `${v1}/runs/:runId/work-items`,
    operation: 'other',
    summary: 'The run’s input and output work items',
    security: ['workspaceKey'],
    params: runParams,
    query: z.object({ includeData: z.enum(['true', 'false']).optional() }),
    responses: {
      200: {
        description: 'The input work item, then those the robot wrote',
        schema: page(z.object({ id: z.string(), processRunId: z.string(), state: z.string(), files: z.array(z.object({ name: z.string(), size: z.number().optional() })), payload: z.unknown().optional() })),
      },
      ...keyFailures,
    },
  },
  artifacts: {
    method: 'get',
    path: `${v1}/runs/:runId/artifacts`,
    operation: 'other',
    summary: 'The run’s output files',
    security: ['workspaceKey'],
    params: runParams,
    responses: { 200: { description: 'Artifacts with their download paths', schema: page(z.object({ id: z.string(), fileName: z.string(), size: z.number(), downloadPath: z.string() })) }, ...keyFailures },
  },
  downloadArtifact: {
    method: 'get',
    path: `${v1}/runs/:runId/artifacts/:artifactId/*name`,
    operation: 'other',
    summary: 'Download an artifact',
    security: ['workspaceKey'],
    params: runParams.extend({ artifactId: z.string(), name: z.string().meta({ description: 'The file name' }) }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' }, ...keyFailures },
  },
} satisfies Record<string, RouteDoc>;

/** The OpenAPI 3.1 document of the process-api adapter's routes. */
export const processApiOpenApi = () =>
  openApiDocument(
    'process-api',
    { title: 'botgate process-api (Robocorp Process API)', version: '1', description: 'Robocorp Cloud’s Process API: start runs with a process secret or a workspace key, read their state and results.' },
    Object.values(processApiContract),
    {
      processSecret: { type: 'apiKey', in: 'header', name: 'robocloud-process-secret' },
      processSecretQuery: { type: 'apiKey', in: 'query', name: 'robocloud-process-secret' },
      workspaceKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`RC-WSKEY <key>`' },
    },
  );
