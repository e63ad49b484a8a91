import { idempotencyKeyHeader, openApiDocument, type RouteDoc } from '@botgate/http';
import { z } from 'zod';

const error = z
  .object({ message: z.string(), errorCode: z.number(), traceId: z.string() })
  .meta({ description: 'Orchestrator’s error body' });
const failure = (description: string) => ({ description, schema: error });
const unauthorized = failure('No bearer token, or one that is expired, unknown or ended (the client signs in again)');

const folderHeaders = z.object({
  'X-UIPATH-OrganizationUnitId': z
    .string()
    .optional()
    .meta({ description: 'The folder’s Id (default: the folder path, or `Shared`)' }),
  'X-UIPATH-FolderPath': z.string().optional().meta({ description: 'The folder’s name, when no Id is given' }),
});
const odataQuery = z
  .object({
    $filter: z.string().optional().meta({
      description: '`eq`, `ne`, `gt`, `ge`, `lt`, `le`, `and`, `or`, `not`, `contains`, `startswith`, `endswith`',
    }),
    $orderby: z.string().optional(),
    $top: z.string().optional(),
    $skip: z.string().optional(),
    $count: z.string().optional(),
    $select: z.string().optional(),
  })
  // Kept, so that an option not served is refused by name rather than ignored.
  .catchall(z.union([z.string(), z.array(z.string())]));
const entityId = z.object({
  id: z
    .string()
    .regex(/^\d{1,10}$/, { error: (issue) => `the key must be a number, not "${String(issue.input)}"` })
    .refine((id) => Number(id) <= 2_147_483_647, { error: 'the key is larger than any Id' }),
});
const text = z.string();
const time = z.string().nullable();
/** Orchestrator's `JobDto`, as botgate fills it (`job-view.ts`). */
const jobDto = z.object({
  Key: text,
  StartTime: time,
  EndTime: time,
  State: z.enum(['Pending', 'Running', 'Stopping', 'Terminating', 'Faulted', 'Successful', 'Stopped']),
  JobPriority: text,
  SpecificPriorityValue: z.number(),
  Source: text,
  SourceType: text,
  BatchExecutionKey: text,
  Info: text.nullable(),
  CreationTime: text,
  StartingScheduleId: z.null(),
  ReleaseName: text,
  Type: text,
  InputArguments: text.nullable().meta({ description: 'The inputs as the start sent them (a JSON text)' }),
  OutputArguments: text.nullable().meta({ description: 'The outputs (a JSON text) once the job has ended' }),
  HostMachineName: text.nullable(),
  HasMediaRecorded: z.boolean(),
  HasVideoRecorded: z.boolean(),
  PersistenceId: z.null(),
  ResumeVersion: z.null(),
  StopStrategy: z.enum(['SoftStop', 'Kill']).nullable(),
  RuntimeType: text,
  RequiresUserInteraction: z.boolean(),
  ReleaseVersionId: z.number(),
  EntryPointPath: z.null(),
  OrganizationUnitId: z.number(),
  OrganizationUnitFullyQualifiedName: text,
  Reference: text,
  ProcessType: text,
  ProfilingOptions: z.null(),
  ResumeOnSameContext: z.boolean(),
  LocalSystemAccount: text,
  OrchestratorUserIdentity: z.null(),
  Id: z.number(),
});
/** Orchestrator's `ReleaseDto`, as botgate fills it (`release-view.ts`). */
const releaseDto = z.object({
  Key: text,
  ProcessKey: text,
  ProcessVersion: text,
  IsLatestVersion: z.boolean(),
  IsProcessDeleted: z.boolean(),
  Description: text,
  Name: text,
  EnvironmentId: z.null(),
  EnvironmentName: text,
  InputArguments: z.null(),
  ProcessType: text,
  SupportsMultipleEntryPoints: z.boolean(),
  RequiresUserInteraction: z.boolean(),
  AutoUpdate: z.boolean(),
  JobPriority: text,
  SpecificPriorityValue: z.number(),
  OrganizationUnitId: z.number(),
  OrganizationUnitFullyQualifiedName: text,
  TargetFramework: text,
  Id: z.number(),
  Arguments: z.object({ Input: text.nullable(), Output: text.nullable() }),
});
const webhookDto = z.object({
  Url: text,
  Enabled: z.boolean(),
  Secret: z.null(),
  SubscribeToAllEvents: z.boolean(),
  AllowInsecureSsl: z.boolean(),
  Events: z.array(z.object({ EventType: text })),
  Id: z.number(),
});
const context = { '@odata.context': text };
/** A collection's page; `$select` answers only the fields it names, so the items are documented as partial. */
const page = <T extends z.ZodObject>(item: T) =>
  z.object({ ...context, '@odata.count': z.number().optional(), value: z.array(item.partial()) });
const one = <T extends z.ZodObject>(item: T) => item.extend(context);

const signIn = z.object({
  tenancyName: z.string().optional(),
  usernameOrEmailAddress: z.string(),
  password: z.string(),
});
const signedIn = z.object({
  result: z.string(),
  Result: z.string(),
  targetUrl: z.null(),
  success: z.boolean(),
  error: z.null(),
  unAuthorizedRequest: z.boolean(),
  __abp: z.boolean(),
});
const authenticateDoc = {
  method: 'post',
  operation: 'sign-in',
  summary: 'Sign in with a botgate user’s name and password (Orchestrator’s classic authentication)',
  description:
    'Field names are read whatever their case (`TenancyName`, `tenancyName`). Answers the bearer token in `result` (and `Result`).',
  body: { content: { 'application/json': signIn } },
  responses: {
    200: { description: 'The bearer token', schema: signedIn },
    400: failure('Wrong credentials, another tenancy, or a malformed body'),
    429: failure('Too many failed sign-ins for the user or from the address'),
  },
} as const;

const startInfo = z.object({
  startInfo: z.object({
    ReleaseKey: z.string(),
    Strategy: z.string().optional(),
    JobsCount: z.number().int().optional(),
    InputArguments: z.string().optional().meta({ description: 'The inputs as a JSON text' }),
    JobPriority: z.string().optional(),
    RunAsMe: z.boolean().optional(),
  }),
});
const stopBody = z.object({ strategy: z.union([z.string(), z.number()]) });
const stopJobsBody = z.object({ jobIds: z.array(z.number()), strategy: z.union([z.string(), z.number()]) });

export const uipathContract = {
  account: { ...authenticateDoc, path: '/api/Account' },
  authenticate: { ...authenticateDoc, path: '/api/Account/Authenticate' },
  token: {
    method: 'post',
    path: '/identity_/connect/token',
    operation: 'sign-in',
    summary: 'OAuth 2 client credentials of an external application',
    body: {
      content: {
        'application/x-www-form-urlencoded': z.object({
          grant_type: z.literal('client_credentials'),
          client_id: z.string(),
          client_secret: z.string(),
          scope: z.string().optional(),
        }),
      },
    },
    responses: {
      200: {
        description: 'The access token',
        schema: z.object({
          access_token: z.string(),
          expires_in: z.number(),
          token_type: z.literal('Bearer'),
          scope: z.string(),
        }),
      },
      400: {
        description: 'An OAuth error (`invalid_client`, `unsupported_grant_type`, `invalid_scope`, `invalid_request`)',
        schema: z.object({ error: z.string(), error_description: z.string() }),
      },
    },
  },
  releases: {
    method: 'get',
    path: '/odata/Releases',
    operation: 'list',
    summary: 'The folder’s releases (published automations)',
    security: ['bearer'],
    headers: folderHeaders,
    query: odataQuery,
    responses: {
      200: { description: 'The releases', schema: page(releaseDto) },
      400: failure('An unsupported or malformed query option, or no such folder'),
      401: unauthorized,
    },
  },
  release: {
    method: 'get',
    path: '/odata/Releases\\(:id\\)',
    operation: 'status',
    summary: 'One release',
    security: ['bearer'],
    headers: folderHeaders,
    params: entityId,
    responses: {
      200: { description: 'The release', schema: one(releaseDto) },
      401: unauthorized,
      404: failure('No such release in the folder'),
    },
  },
  startJobs: {
    method: 'post',
    path: '/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs',
    operation: 'trigger',
    summary: 'Start jobs of a release, with input arguments',
    description:
      'With `Idempotency-Key`, a repeat within the idempotency window answers the jobs of the first call and starts none.',
    security: ['bearer'],
    headers: folderHeaders.extend({ 'Idempotency-Key': idempotencyKeyHeader }),
    body: { content: { 'application/json': startInfo } },
    responses: {
      201: {
        description: 'The jobs, committed to the queue',
        schema: z.object({ ...context, value: z.array(jobDto) }),
      },
      400: failure('A bad start info or input argument'),
      401: unauthorized,
      404: failure('No release with this key in the folder'),
    },
  },
  jobs: {
    method: 'get',
    path: '/odata/Jobs',
    operation: 'list',
    summary: 'The folder’s jobs',
    security: ['bearer'],
    headers: folderHeaders,
    query: odataQuery,
    responses: {
      200: { description: 'The jobs', schema: page(jobDto) },
      400: failure('An unsupported or malformed query option'),
      401: unauthorized,
    },
  },
  job: {
    method: 'get',
    path: '/odata/Jobs\\(:id\\)',
    operation: 'status',
    summary: 'One job',
    security: ['bearer'],
    headers: folderHeaders,
    params: entityId,
    responses: {
      200: { description: 'The job', schema: one(jobDto) },
      401: unauthorized,
      404: failure('No such job in the folder'),
    },
  },
  stopJob: {
    method: 'post',
    path: '/odata/Jobs\\(:id\\)/UiPath.Server.Configuration.OData.StopJob',
    operation: 'cancel',
    summary: 'Stop one job (`SoftStop` or `Kill`)',
    security: ['bearer'],
    headers: folderHeaders,
    params: entityId,
    body: { content: { 'application/json': stopBody } },
    responses: {
      200: { description: 'Asked to stop (no body)' },
      400: failure('A bad strategy'),
      401: unauthorized,
      404: failure('No such job in the folder'),
    },
  },
  stopJobs: {
    method: 'post',
    path: '/odata/Jobs/UiPath.Server.Configuration.OData.StopJobs',
    operation: 'cancel',
    summary: 'Stop several jobs',
    security: ['bearer'],
    headers: folderHeaders,
    body: { content: { 'application/json': stopJobsBody } },
    responses: {
      200: { description: 'Asked to stop (no body)' },
      400: failure('A bad strategy or id list'),
      401: unauthorized,
      404: failure('A job not in the folder'),
    },
  },
  webhooks: {
    method: 'get',
    path: '/odata/Webhooks',
    operation: 'admin',
    summary: 'The webhooks (an admin, or an application with OR.Webhooks)',
    security: ['bearer'],
    responses: {
      200: { description: 'The webhooks', schema: z.object({ ...context, value: z.array(webhookDto) }) },
      401: unauthorized,
      403: failure('Neither an admin nor OR.Webhooks'),
    },
  },
  addWebhook: {
    method: 'post',
    path: '/odata/Webhooks',
    operation: 'admin',
    summary: 'Add a webhook told of job ends (`job.completed`, `job.faulted`, `job.stopped`)',
    security: ['bearer'],
    body: {
      content: {
        'application/json': z.object({
          Url: z.string(),
          Enabled: z.boolean().optional(),
          Secret: z.string().nullable().optional().meta({ description: 'Signs each event: `X-UiPath-Signature`' }),
          SubscribeToAllEvents: z.boolean().optional(),
          Events: z.array(z.object({ EventType: z.string() })).optional(),
        }),
      },
    },
    responses: {
      201: { description: 'The webhook', schema: one(webhookDto) },
      400: failure('A bad URL or event type'),
      401: unauthorized,
      403: failure('Neither an admin nor OR.Webhooks'),
    },
  },
  webhook: {
    method: 'get',
    path: '/odata/Webhooks\\(:id\\)',
    operation: 'admin',
    summary: 'One webhook',
    security: ['bearer'],
    params: entityId,
    responses: {
      200: { description: 'The webhook', schema: one(webhookDto) },
      401: unauthorized,
      403: failure('Neither an admin nor OR.Webhooks'),
      404: failure('No such webhook'),
    },
  },
  removeWebhook: {
    method: 'delete',
    path: '/odata/Webhooks\\(:id\\)',
    operation: 'admin',
    summary: 'Remove a webhook; its deliveries not yet made are not sent',
    security: ['bearer'],
    params: entityId,
    responses: {
      204: { description: 'Removed' },
      401: unauthorized,
      403: failure('Neither an admin nor OR.Webhooks'),
      404: failure('No such webhook'),
    },
  },
  eventTypes: {
    method: 'get',
    path: '/odata/Webhooks/UiPath.Server.Configuration.OData.GetEventTypes\\(\\)',
    operation: 'admin',
    summary: 'The event types botgate sends',
    security: ['bearer'],
    responses: {
      200: {
        description: 'The event types',
        schema: z.object({ ...context, value: z.array(z.object({ Name: text, Group: text })) }),
      },
      401: unauthorized,
      403: failure('Neither an admin nor OR.Webhooks'),
    },
  },
} satisfies Record<string, RouteDoc>;

export const uipathOpenApi = () =>
  openApiDocument(
    'uipath',
    {
      title: 'botgate uipath (UiPath Orchestrator job API)',
      version: '1',
      description: 'Orchestrator’s authentication, Releases and Jobs, as UiPath’s clients call them.',
    },
    Object.values(uipathContract),
    { bearer: { type: 'http', scheme: 'bearer' } },
  );
