import { idempotencyKeyHeader, openApiDocument, type RouteDoc } from '@botgate/http';
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
const idempotency = z.object({ 'Idempotency-Key': idempotencyKeyHeader });
const workItem = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).meta({
  description:
    'The work item payload: a JSON object, or an array (one work item whose payload is that array; [] is an empty payload)',
});
const secretQuery = z.object({
  'robocloud-process-secret': z
    .string()
    .optional()
    .meta({ description: 'The process secret, when a header cannot be set' }),
});

const runState = z.enum(['INI', 'IP', 'COMPL']);
const result = z.enum(['OK', 'ERR']).nullable();
const legacyRun = z.object({
  id: z.string(),
  result,
  state: runState,
  errorCode: z.string(),
  duration: z.number(),
  workspaceId: z.string(),
});
const robotRun = z.object({
  id: z.string(),
  runId: z.string(),
  stepId: z.string(),
  runNo: z.number().meta({ description: 'The attempt it is, from 1' }),
  state: runState,
  result,
  errorCode: z.string(),
  duration: z.number(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
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
    .array(robotRun)
    .meta({ description: 'One robot run per attempt (retries, runs cut short by a node stopping), first to last' }),
  runNo: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
const page = <T extends z.ZodType>(item: T) => z.object({ next: z.null(), has_more: z.boolean(), data: z.array(item) });
const pagedBy = <T extends z.ZodType>(item: T) =>
  z.object({
    next: z.string().nullable().meta({ description: 'The whole URL of the next page; null on the last' }),
    has_more: z.boolean(),
    data: z.array(item),
  });
const started = z.object({ id: z.string(), workItemIds: z.array(z.string()) });

const workItemState = z.enum(['NEW', 'PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED']);
const processWorkItem = z.object({
  id: z.string(),
  state: workItemState,
  createTs: z.string(),
  stateTs: z.string(),
  workspaceId: z.string(),
  processId: z.string(),
  processName: z.string(),
  processRunId: z.string().nullable(),
  processRunNo: z.number().nullable(),
  activityRunId: z.string().nullable().meta({ description: 'The robot run (step run) that has or had it' }),
  files: z.array(z.object({ name: z.string(), size: z.number() })),
  payload: z.unknown().optional().meta({ description: 'With includeData=true' }),
});
const processView = z.object({
  id: z.string(),
  name: z.string(),
  workspaceId: z.string(),
  apiAccess: z.boolean().meta({ description: 'Whether the process has a workspace-v1 secret' }),
});
const workItemParams = processParams.extend({ workItemId: z.string() });
const robotRunParams = runParams.extend({ robotRunId: z.string() });
const includeData = z.object({
  includeData: z
    .enum(['true', 'false'], { error: 'includeData must be true or false' })
    .optional()
    .meta({ description: 'Whether each item carries its payload and files' }),
});
const limitRule = 'limit must be a whole number from 1 to 100';
const limit = z
  .string({ error: limitRule })
  .regex(/^\d+$/, limitRule)
  .refine((text) => Number(text) >= 1 && Number(text) <= 100, limitRule)
  .optional()
  .meta({ description: '1 to 100; default 10' });
const limitQuery = z.object({ limit });
/** A page's cursor: the number the page before ends on. */
const cursor = (rule: string, description: string) =>
  z.string({ error: rule }).regex(/^\d+$/, rule).optional().meta({ description });
const conflict = { 409: failure('The work item or run is in the wrong state for this call') };

const workspace = '/process-v1/workspaces/:workspaceId';
const legacy = '/workspace-v1/workspaces/:workspaceId/processes/:processId';
const v1 = `${workspace}/processes/:processId`;

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
    description:
      'The JSON body is the run’s work item. The secret goes in the `robocloud-process-secret` header, or the query parameter of that name.',
    security: ['processSecret', 'processSecretQuery'],
    params: processParams,
    query: secretQuery,
    headers: idempotency,
    body: { content: { 'application/json': workItem }, required: false },
    responses: {
      200: {
        description: 'The run is queued',
        schema: z.object({
          message: z.literal('OK'),
          processRunId: z.string(),
          processId: z.string(),
          workspaceId: z.string(),
          workItemId: z.string(),
        }),
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
    responses: {
      200: { description: 'The run is queued', schema: started },
      ...keyFailures,
      413: failure('The body is over the limit'),
      415: failure('A body that is not JSON'),
      ...storageFailures,
    },
  },
  listRuns: {
    method: 'get',
    path: `${v1}/runs`,
    operation: 'list',
    summary: 'The process’s latest runs',
    security: ['workspaceKey'],
    params: processParams,
    query: limitQuery.extend({
      cursor: cursor(
        'cursor must come from the next URL of the page before',
        'As the next URL of the page before carries it',
      ),
    }),
    responses: { 200: { description: 'Runs, newest first, a page at a time', schema: pagedBy(run) }, ...keyFailures },
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
    responses: {
      200: { description: 'The runs are queued', schema: z.object({ data: z.array(started) }) },
      ...keyFailures,
      413: failure('Over 1000 runs or over the body limit'),
      ...storageFailures,
    },
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
    query: includeData,
    responses: {
      200: {
        description:
          'The input work items, then those the robot wrote (their files by name, each with its download path)',
        schema: page(
          z.union([
            processWorkItem,
            z.object({
              id: z.string(),
              processRunId: z.string(),
              state: z.string(),
              files: z.array(
                z.object({ name: z.string(), size: z.number().optional(), downloadPath: z.string().optional() }),
              ),
              payload: z.unknown().optional(),
            }),
          ]),
        ),
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
    responses: {
      200: {
        description: 'Artifacts with their download paths',
        schema: page(z.object({ id: z.string(), fileName: z.string(), size: z.number(), downloadPath: z.string() })),
      },
      ...keyFailures,
    },
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
  workItemFile: {
    method: 'get',
    path: `${v1}/runs/:runId/work-items/:workItemId/files/:fileName`,
    operation: 'other',
    summary: 'Download a file of one of the run’s work items, input or output, by its name',
    security: ['workspaceKey'],
    params: runParams.extend({ workItemId: z.string(), fileName: z.string() }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' }, ...keyFailures },
  },
  runRequest: {
    method: 'post',
    path: `${v1}/run-request`,
    operation: 'trigger',
    summary: 'Start a run: with an empty work item (type default), or over work items made before (type workItemIds)',
    description: 'A body without a Content-Type is read as JSON, as `RPA.Robocorp.Process` sends it.',
    security: ['workspaceKey'],
    params: processParams,
    headers: idempotency,
    body: {
      content: {
        'application/json': z.union([
          z.object({ type: z.literal('default') }),
          z.object({ type: z.literal('workItemIds'), workItemIds: z.array(z.string()).min(1).max(1000) }),
        ]),
      },
    },
    responses: {
      200: { description: 'The run started', schema: started },
      ...keyFailures,
      ...conflict,
      ...storageFailures,
    },
  },
  stopRun: {
    method: 'post',
    path: `${v1}/runs/:runId/stop`,
    operation: 'cancel',
    summary: 'Stop a run: a queued one never starts, a running one is stopped',
    security: ['workspaceKey'],
    params: runParams,
    body: {
      content: {
        'application/json': z.object({
          set_remaining_work_items_as_done: z.boolean().optional(),
          terminate_ongoing_activity_runs: z.boolean().optional(),
          reason: z.string().optional(),
        }),
      },
      required: false,
    },
    responses: {
      200: { description: 'Accepted', schema: z.object({ accepted: z.boolean() }) },
      ...keyFailures,
      409: failure('The run has ended already'),
    },
  },
  robotRuns: {
    method: 'get',
    path: `${v1}/runs/:runId/robotRuns`,
    operation: 'status',
    summary: 'The run’s robot runs, one per attempt',
    security: ['workspaceKey'],
    params: runParams,
    responses: { 200: { description: 'A bare array', schema: z.array(robotRun) }, ...keyFailures },
  },
  robotRun: {
    method: 'get',
    path: `${v1}/runs/:runId/robotRuns/:robotRunId`,
    operation: 'status',
    summary: 'One robot run',
    security: ['workspaceKey'],
    params: robotRunParams,
    responses: { 200: { description: 'The robot run', schema: robotRun }, ...keyFailures },
  },
  robotRunArtifacts: {
    method: 'get',
    path: `${v1}/runs/:runId/robotRuns/:robotRunId/artifacts`,
    operation: 'other',
    summary: 'The files a robot run left (the run’s last attempt holds them)',
    security: ['workspaceKey'],
    params: robotRunParams,
    responses: {
      200: {
        description: 'A bare array',
        schema: z.array(z.object({ id: z.string(), fileName: z.string(), fileSize: z.number() })),
      },
      ...keyFailures,
    },
  },
  robotRunArtifactLink: {
    method: 'get',
    path: `${v1}/runs/:runId/robotRuns/:robotRunId/artifacts/:artifactId/*fileName`,
    operation: 'other',
    summary: 'A URL to download an artifact from, needing no key (valid 10 minutes)',
    security: ['workspaceKey'],
    params: robotRunParams.extend({ artifactId: z.string(), fileName: z.string() }),
    responses: { 200: { description: 'The URL, as a JSON string', schema: z.string() }, ...keyFailures },
  },
  signedDownload: {
    method: 'get',
    path: '/process-v1/downloads/:grant/*name',
    operation: 'other',
    summary: 'Download the file a signed URL names',
    params: z.object({ grant: z.string(), name: z.string() }),
    responses: {
      200: { description: 'The file', contentType: 'application/octet-stream' },
      403: failure('A forged or expired grant'),
      404: failure('The file is no longer kept'),
    },
  },
  listProcesses: {
    method: 'get',
    path: `${workspace}/processes`,
    operation: 'other',
    summary: 'The workspace’s processes',
    security: ['workspaceKey'],
    params: z.object({ workspaceId }),
    responses: { 200: { description: 'Every process', schema: page(processView) }, ...keyFailures },
  },
  getProcess: {
    method: 'get',
    path: v1,
    operation: 'other',
    summary: 'One process',
    security: ['workspaceKey'],
    params: processParams,
    responses: { 200: { description: 'The process', schema: processView }, ...keyFailures },
  },
  workspaceRuns: {
    method: 'get',
    path: `${workspace}/pruns`,
    operation: 'status',
    summary: 'The newest runs of every process of the workspace',
    security: ['workspaceKey'],
    params: z.object({ workspaceId }),
    query: limitQuery,
    responses: { 200: { description: 'A bare array, newest first', schema: z.array(run) }, ...keyFailures },
  },
  createWorkItem: {
    method: 'post',
    path: `${v1}/work-items`,
    operation: 'other',
    summary: 'Make a work item that waits for a run (run-request)',
    security: ['workspaceKey'],
    params: processParams,
    body: { content: { 'application/json': z.object({ payload: z.unknown().optional() }) } },
    responses: {
      200: { description: 'Its id', schema: z.object({ id: z.string() }) },
      ...keyFailures,
      ...storageFailures,
    },
  },
  listWorkItems: {
    method: 'get',
    path: `${v1}/work-items`,
    operation: 'other',
    summary: 'The process’s work items, oldest first',
    security: ['workspaceKey'],
    params: processParams,
    query: includeData.extend({
      limit,
      cursor: cursor('cursor must be the nextCursor of the page before', 'The nextCursor of the page before'),
    }),
    responses: {
      200: { description: 'A page', schema: pagedBy(processWorkItem).extend({ nextCursor: z.string().nullable() }) },
      ...keyFailures,
    },
  },
  getWorkItem: {
    method: 'get',
    path: `${v1}/work-items/:workItemId`,
    operation: 'other',
    summary: 'One work item',
    security: ['workspaceKey'],
    params: workItemParams,
    query: includeData,
    responses: { 200: { description: 'The work item', schema: processWorkItem }, ...keyFailures },
  },
  retryWorkItem: {
    method: 'post',
    path: `${v1}/work-items/:workItemId/retry`,
    operation: 'trigger',
    summary: 'Process a FAILED work item again, in a new run',
    security: ['workspaceKey'],
    params: workItemParams,
    responses: {
      200: { description: 'The work item, in its new run', schema: processWorkItem },
      ...keyFailures,
      ...conflict,
      ...storageFailures,
    },
  },
  requestUpload: {
    method: 'post',
    path: `${v1}/work-items/:workItemId/files/upload`,
    operation: 'other',
    summary: 'Where and how to upload a file of a work item (a pre-signed POST)',
    description:
      'A body without a Content-Type is read as JSON, as `RPA.Robocorp.Process` sends it. Post `fields` and then the file (part `file`) to `url`, as multipart/form-data, within 10 minutes, once.',
    security: ['workspaceKey'],
    params: workItemParams,
    body: { content: { 'application/json': z.object({ fileName: z.string(), fileSize: z.number().int().min(0) }) } },
    responses: {
      200: {
        description: 'The upload URL and its form fields',
        schema: z.object({ url: z.string(), fields: z.object({ grant: z.string() }) }),
      },
      ...keyFailures,
      ...conflict,
      413: failure('fileSize is over the upload limit'),
    },
  },
  upload: {
    method: 'post',
    path: '/process-v1/uploads',
    operation: 'other',
    summary:
      'Receive a work item file posted with the fields of its upload request (no key: the grant is the credential)',
    body: {
      content: { 'multipart/form-data': z.object({ grant: z.string(), file: z.string().meta({ format: 'binary' }) }) },
    },
    responses: {
      204: { description: 'Kept with the work item' },
      400: failure('No file, or no fields'),
      403: failure('A forged, expired or used grant'),
      404: failure('The work item is gone'),
      409: failure('The work item is in a run already'),
      413: failure('The file is larger than its grant'),
      ...storageFailures,
    },
  },
} satisfies Record<string, RouteDoc>;

/** The OpenAPI 3.1 document of the process-api adapter's routes. */
export const processApiOpenApi = () =>
  openApiDocument(
    'process-api',
    {
      title: 'botgate process-api (Robocorp Process API)',
      version: '1',
      description:
        'Robocorp Cloud’s Process API: start runs with a process secret or a workspace key, read their state and results.',
    },
    Object.values(processApiContract),
    {
      processSecret: { type: 'apiKey', in: 'header', name: 'robocloud-process-secret' },
      processSecretQuery: { type: 'apiKey', in: 'query', name: 'robocloud-process-secret' },
      workspaceKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`RC-WSKEY <key>`' },
    },
  );
