import { variableTypes } from '@botgate/core';
import { idempotencyKeyHeader, openApiDocument, type RouteDoc } from '@botgate/http';
import { z } from 'zod';
import { accessDetailsBody } from './routes/access-details.js';
import { createBody, listBody } from './routes/allocation-routes.js';
import { credentials } from './execution-access.js';
import { listQuery } from './list-query.js';
import { deployBody, manageBody } from './routes/deploy-routes.js';
import { refreshBody } from './routes/authentication.js';

const error = z
  .object({ code: z.string(), details: z.string(), message: z.string() })
  .meta({ description: "Automation Anywhere's error body" });
const failure = (description: string) => ({ description, schema: error });

/** The failures of a call made with a user's token. */
const userCallFailures = (forbidden: string) => ({
  400: failure('A malformed body'),
  401: failure('No or an invalid token'),
  403: failure(forbidden),
});
const userToken = ['X-Authorization', 'bearer'];

const typedValue: z.ZodType = z
  .object({ type: z.enum(variableTypes) })
  .catchall(z.unknown())
  .meta({
    description:
      'A typed variable: `{ "type": "STRING", "string": "…" }`, `{ "type": "NUMBER", "number": "42" }`, LIST, DICTIONARY, TABLE, FILE, …',
  });

const user = z.object({
  id: z.number(),
  username: z.string(),
  roles: z.array(z.object({ id: z.number(), name: z.enum(['admin', 'developer']) })),
  createdOn: z.string(),
});

const listRequest = { content: { 'application/json': listQuery }, required: false };
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ page: z.object({ offset: z.number(), total: z.number(), totalFilter: z.number() }), list: z.array(item) });
const fileRecord = z.object({
  id: z.string(),
  parentId: z.string(),
  name: z.string(),
  path: z.string(),
  type: z.string(),
  workspaceType: z.string(),
  description: z.string(),
  version: z.string(),
  locked: z.boolean(),
  folder: z.boolean(),
});
const runAsUser = z.object({ id: z.string(), username: z.string() });
const activity = z.object({
  id: z.string(),
  deploymentId: z.string(),
  automationId: z.string(),
  automationName: z.string(),
  automationPriority: z.string(),
  type: z.string(),
  fileId: z.string(),
  fileName: z.string(),
  filePath: z.string(),
  status: z.enum(['DEPLOYED', 'RUNNING', 'COMPLETED', 'RUN_FAILED', 'RUN_TIMED_OUT', 'RUN_ABORTED']),
  message: z.string(),
  progress: z.number(),
  userId: z.string(),
  userName: z.string(),
  createdBy: z.string(),
  createdOn: z.string(),
  modifiedOn: z.string(),
  startDateTime: z.string(),
  endDateTime: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  callbackInfo: z.string(),
  botOutVariables: z.object({ values: z.record(z.string(), typedValue) }),
});
const readFailures = { 400: failure('A malformed body, filter or sort'), 401: failure('No or an invalid token') };

const sendToken = 'send the token to check as ?token=';

export const apiTaskContract = {
  authenticate: {
    method: 'post',
    path: '/v1/authentication',
    operation: 'authenticate',
    summary: 'Authenticate a user',
    description:
      'A JWT for a user, from a password or an API key. Repeated failures from one address are refused with 429.',
    body: { content: { 'application/json': credentials } },
    responses: {
      200: { description: 'The token and the user', schema: z.object({ token: z.string(), user }) },
      400: failure('A malformed body'),
      401: failure('Wrong user name or credentials'),
      429: failure('Too many failed logins'),
    },
  },
  refresh: {
    method: 'post',
    path: '/v1/authentication/token',
    operation: 'authenticate',
    summary: 'Refresh a token',
    body: { content: { 'application/json': refreshBody } },
    responses: {
      200: { description: 'A fresh token', schema: z.object({ token: z.string() }) },
      400: failure('A malformed body'),
      401: failure('The token is invalid or expired'),
    },
  },
  validate: {
    method: 'get',
    path: '/v1/authentication/token',
    operation: 'authenticate',
    summary: 'Whether a user token is valid',
    query: z.object({
      token: z.string({ error: sendToken }).min(1, sendToken).meta({ description: 'The token to check' }),
    }),
    responses: {
      200: {
        description: 'Valid now (signed, unexpired, not signed out, its user unchanged) or not',
        schema: z.object({ valid: z.boolean() }),
      },
      400: failure('No token given'),
    },
  },
  logout: {
    method: 'post',
    path: '/v1/authentication/logout',
    operation: 'authenticate',
    summary: 'Sign a user token out: it is refused from now on, on every node',
    security: userToken,
    responses: { 204: { description: 'Signed out' }, 401: failure('No or an invalid token') },
  },
  listFiles: {
    method: 'post',
    path: '/v2/repository/workspaces/:workspaceType/files/list',
    operation: 'list',
    summary: 'The repository’s bots: the catalog’s automations in the public workspace',
    description:
      'Filter (`eq`, `ne`, `lt`, `le`, `gt`, `ge`, `substring`, `and`, `or`, `not`), sort and page as the Control Room takes them. The private workspace is empty.',
    security: userToken,
    params: z.object({ workspaceType: z.string().meta({ description: 'public or private' }) }),
    body: listRequest,
    responses: {
      200: { description: 'One page', schema: pageOf(fileRecord) },
      ...readFailures,
      404: failure('No such workspace'),
    },
  },
  getFile: {
    method: 'get',
    path: '/v2/repository/files/:fileId',
    operation: 'other',
    summary: 'One repository file',
    security: userToken,
    params: z.object({ fileId: z.string() }),
    responses: {
      200: { description: 'The file', schema: fileRecord },
      401: failure('No or an invalid token'),
      404: failure('No such file'),
    },
  },
  listRunAsUsers: {
    method: 'post',
    path: '/v1/devices/runasusers/list',
    operation: 'list',
    summary: 'The users bots run as (their ids are what deploy’s runAsUserIds take)',
    security: userToken,
    body: listRequest,
    responses: { 200: { description: 'One page', schema: pageOf(runAsUser) }, ...readFailures },
  },
  listDevices: {
    method: 'post',
    path: '/v2/devices/list',
    operation: 'list',
    summary: 'The devices that run bots: the node answering',
    security: userToken,
    body: listRequest,
    responses: {
      200: {
        description: 'One page',
        schema: pageOf(
          z.object({
            id: z.string(),
            type: z.string(),
            hostName: z.string(),
            nickname: z.string(),
            status: z.string(),
            botAgentVersion: z.string(),
            userId: z.string(),
            defaultUsers: z.array(runAsUser),
          }),
        ),
      },
      ...readFailures,
    },
  },
  deploy: {
    method: 'post',
    path: '/v3/automations/deploy',
    operation: 'trigger',
    summary: 'Deploy a bot: queue a run of the automation of fileId with typed botInput',
    description:
      'Answered once the run is recorded. `callbackInfo.url` gets a POST when the run ends (`callbackInfo.headers` as its headers).',
    security: userToken,
    headers: z.object({ 'Idempotency-Key': idempotencyKeyHeader }),
    body: { content: { 'application/json': deployBody } },
    responses: {
      200: { description: 'The deploy', schema: z.object({ deploymentId: z.string(), automationName: z.string() }) },
      ...userCallFailures('The user may not deploy'),
      404: failure('No automation has this fileId'),
      503: failure(
        'The run could not be recorded (the disk or database cannot be written), or botgate is shutting down',
      ),
      507: failure('The run could not be recorded: the disk is full'),
    },
  },
  listActivity: {
    method: 'post',
    path: '/v3/activity/list',
    operation: 'status',
    summary: 'Deploys as executions, with their status and typed output variables',
    security: userToken,
    body: listRequest,
    responses: { 200: { description: 'One page, newest first by default', schema: pageOf(activity) }, ...readFailures },
  },
  manageActivity: {
    method: 'post',
    path: '/v3/activity/manage',
    operation: 'cancel',
    summary: 'Stop executions',
    security: userToken,
    body: { content: { 'application/json': manageBody } },
    responses: {
      200: { description: 'The executions stopped', schema: manageBody },
      ...readFailures,
      404: failure('No such execution'),
      409: failure('The execution has ended already'),
    },
  },
  allocate: {
    method: 'put',
    path: '/orchestrator/v1/hotbot/config/create',
    operation: 'allocate',
    summary: 'Allocate an API Task (admin)',
    description: 'Allocates an API Task, or changes its concurrency limit; answers what was sent.',
    security: userToken,
    body: { content: { 'application/json': createBody } },
    responses: {
      200: { description: 'The allocation', schema: createBody.extend({ concurrencyLimit: z.number() }) },
      ...userCallFailures('The user is not an admin'),
      404: failure('No automation has this fileId'),
    },
  },
  list: {
    method: 'post',
    path: '/orchestrator/v1/hotbot/config',
    operation: 'list',
    summary: 'List allocated API Tasks (admin)',
    security: userToken,
    body: { content: { 'application/json': listBody }, required: false },
    responses: {
      200: {
        description: 'One page of allocations',
        schema: z.object({
          list: z.array(
            z.object({
              fileId: z.string(),
              filePath: z.string(),
              fileName: z.string(),
              runAsUserOrNone: z.string(),
              concurrencyLimit: z.number(),
            }),
          ),
          page: z.object({ offset: z.number(), total: z.number(), totalFilter: z.number() }),
        }),
      },
      ...userCallFailures('The user is not an admin'),
    },
  },
  accessDetails: {
    method: 'post',
    path: '/orchestrator/v1/hotbot/config/accessdetails',
    operation: 'access',
    summary: 'Generate execution URLs and tokens',
    description:
      'Per repository path, the execution URL and an `X-Authorization` token for that API Task alone; unknown or unallocated paths are listed under `errors`.',
    security: userToken,
    body: { content: { 'application/json': accessDetailsBody } },
    responses: {
      200: {
        description: 'URLs, tokens and per-path errors',
        schema: z.object({
          accessDetails: z.record(
            z.string(),
            z.object({ url: z.string(), headers: z.object({ 'X-Authorization': z.string() }) }),
          ),
          errors: z.record(z.string(), z.string()),
        }),
      },
      ...userCallFailures('The user may not generate URLs'),
    },
  },
  execute: {
    method: 'post',
    path: '/hotbot/:allocationId/execute',
    operation: 'execute',
    summary: 'Execute an API Task in real time',
    description: 'Runs the API Task now and answers its declared output variables, typed.',
    security: userToken,
    params: z.object({ allocationId: z.string().meta({ description: 'From the execution URL' }) }),
    body: {
      content: { 'application/json': z.object({ botInput: z.record(z.string(), typedValue).optional() }) },
      required: false,
    },
    responses: {
      200: {
        description: 'The output variables',
        schema: z.object({ hotBotResult: z.object({ botOutput: z.record(z.string(), typedValue) }) }),
      },
      400: failure('A malformed body or input variable'),
      401: failure('No, an invalid or another API Task’s execution token'),
      404: failure('No such allocation'),
      409: failure('The run was canceled (an operator, `botgate jobs cancel`) before it answered'),
      422: failure('The API Task failed'),
      429: failure('The concurrency limit is reached'),
      503: failure(
        'The run could not be recorded: the database or disk cannot be written, or botgate is shutting down',
      ),
      504: failure('The API Task did not answer within the real-time limit'),
      507: failure('The run could not be recorded: the disk is full'),
    },
  },
} satisfies Record<string, RouteDoc>;

/** The OpenAPI 3.1 document of the api-task adapter's routes. */
export const apiTaskOpenApi = () =>
  openApiDocument(
    'api-task',
    {
      title: 'botgate api-task (Automation Anywhere API Task)',
      version: '1',
      description:
        "Automation Anywhere's API Task real-time flow: authenticate, allocate, generate an execution URL, execute.",
    },
    Object.values(apiTaskContract),
    {
      'X-Authorization': {
        type: 'apiKey',
        in: 'header',
        name: 'X-Authorization',
        description: 'A user token (admin routes) or an execution token (execute)',
      },
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  );
