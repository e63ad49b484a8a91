import { jobStates } from '@botgate/core';
import { openApiDocument, type ResponseSpec, type RouteDoc } from '@botgate/http';
import { z } from 'zod';

/** Where the console's API is mounted; the table's paths are below it. */
/** Where the console answers: its web app, and its API under `consoleApiBase`. */
export const consolePaths = ['/console'] as const;
export const consoleApiBase = '/console/api';

const error = z.object({ error: z.string(), message: z.string() });
const failure = (description: string): ResponseSpec => ({ description, schema: error });
const signedIn = { 401: failure('Not signed in, or the session ended'), 403: failure('A bad CSRF token') };
const ok = (description: string): Record<number, ResponseSpec> => ({ 200: { description } });
const done: Record<number, ResponseSpec> = { 204: { description: 'Done' } };
// The jobs table's ids are 32-bit integers on PostgreSQL. Text that is no number at all gets a
// message of its own, naming the parameter: zod's would speak of NaN.
const jobIdParam = (name: string) =>
  z.coerce
    .number({ error: `query parameter "${name}" must be a job id, a whole number from 1` })
    .int()
    .min(1)
    .max(2_147_483_647);
const pageSize = z.coerce
  .number({ error: 'query parameter "limit" must be a whole number from 1 to 1000' })
  .int()
  .min(1)
  .max(1000);
/** A time as ISO 8601 text (`2026-12-06T10:00`, `…Z`) or milliseconds since the epoch. */
const instant = z
  .string()
  .min(1)
  .transform((text, ctx) => {
    const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(new Date(at).getTime())) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a time (ISO 8601, or ms since the epoch)` });
      return z.NEVER;
    }
    return new Date(at);
  });
const filterQuery = z.object({
  state: z.enum(jobStates).optional(),
  automation: z.string().min(1).optional(),
  adapter: z.string().min(1).optional(),
  id: jobIdParam('id').optional().meta({ description: 'Only this job' }),
  q: z.string().max(200).optional().meta({ description: 'Only jobs whose inputs hold this text, whatever its case' }),
  from: instant.optional().meta({ description: 'Only jobs created at or after this time' }),
  to: instant.optional().meta({ description: 'Only jobs created before this time' }),
  before: jobIdParam('before')
    .optional()
    .meta({ description: 'The next page: jobs older than this id (the last one shown)' }),
  limit: pageSize.default(200),
});

const job = z.object({
  id: z
    .string()
    .refine((id) => /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) && Number(id) > 0, {
      error: (issue) => `job id must be a positive integer, got "${String(issue.input)}"`,
    })
    .transform(Number)
    .meta({ description: 'The job id' }),
});
const session = ['session'];
const deliveryParams = z.object({
  adapter: z.string().meta({ description: 'The adapter that sends it, as its jobs’ `adapter` names it' }),
  id: z.string().meta({ description: 'The delivery id' }),
});

/** The console's own API; each adapter's panel adds its routes (`ConsolePanel.routes`). */
export const consoleContract = {
  login: {
    method: 'post',
    path: '/login',
    operation: 'login',
    summary:
      'Sign in as an operator, with what the adapter that signs operators in takes (a password or an API key); sets the session cookie',
    responses: { ...ok('The user'), 400: failure('Malformed credentials'), 401: failure('Wrong credentials') },
  },
  logout: {
    method: 'post',
    path: '/logout',
    operation: 'login',
    summary: 'Sign out: the session is refused from now on',
    responses: done,
  },
  session: {
    method: 'get',
    path: '/session',
    operation: 'login',
    summary: 'The signed-in user and the CSRF token',
    security: session,
    responses: { ...ok('The user'), ...signedIn },
  },
  automations: {
    method: 'get',
    path: '/automations',
    operation: 'automations',
    summary: 'Every automation with its variables and how each adapter exposes it',
    security: session,
    responses: { ...ok('The automations'), ...signedIn },
  },
  pages: {
    method: 'get',
    path: '/pages',
    operation: 'automations',
    summary: 'The pages the adapters add to the console: a list of what each keeps, a form to add, a way to remove',
    security: session,
    responses: { ...ok('The pages'), ...signedIn },
  },
  origins: {
    method: 'get',
    path: '/origins',
    operation: 'jobs',
    summary: 'What starts jobs, as a job’s `adapter` names it: each adapter, the CLI, the console',
    security: session,
    responses: { ...ok('The names'), ...signedIn },
  },
  jobs: {
    method: 'get',
    path: '/jobs',
    operation: 'jobs',
    summary: 'Jobs, newest first, filtered',
    security: session,
    query: filterQuery,
    responses: { ...ok('The jobs'), ...signedIn, 400: failure('A bad filter') },
  },
  jobEvents: {
    method: 'get',
    path: '/jobs/events',
    operation: 'jobs',
    summary: 'Server-sent events of changed jobs',
    security: session,
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' }, ...signedIn },
  },
  job: {
    method: 'get',
    path: '/jobs/:id',
    operation: 'jobs',
    summary: 'One job with its attempts',
    security: session,
    params: job,
    responses: { ...ok('The job'), ...signedIn, 400: failure('A bad id'), 404: failure('No such job') },
  },
  jobLog: {
    method: 'get',
    path: '/jobs/:id/log',
    operation: 'jobs',
    summary: 'A job’s live log, as server-sent events until it ends',
    security: session,
    params: job,
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' }, ...signedIn },
  },
  jobFile: {
    method: 'get',
    path: '/jobs/:id/files/:kind/*name',
    operation: 'jobs',
    summary: 'Download an input or output file of a job',
    security: session,
    params: job.extend({ kind: z.enum(['input', 'output']), name: z.string() }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' }, ...signedIn },
  },
  cancel: {
    method: 'post',
    path: '/jobs/:id/cancel',
    operation: 'jobs',
    summary: 'Cancel a job',
    security: session,
    params: job,
    responses: { ...ok('The job'), ...signedIn, 404: failure('No such job'), 409: failure('Already ended') },
  },
  rerun: {
    method: 'post',
    path: '/jobs/:id/rerun',
    operation: 'jobs',
    summary: 'Queue the same automation again with the job’s inputs',
    security: session,
    params: job,
    responses: { ...ok('The new job'), ...signedIn, 404: failure('No such job') },
  },
  run: {
    method: 'post',
    path: '/automations/:id/run',
    operation: 'jobs',
    summary:
      'Queue a job of an automation: a field per input, read by its declared type, and files for its working folder',
    security: session,
    params: z.object({ id: z.string().meta({ description: 'The automation id (its folder name)' }) }),
    body: {
      required: false,
      content: {
        'multipart/form-data': z.record(z.string(), z.string()).meta({
          description: 'A text field per input (JSON text for lists, dictionaries, tables, records) and files',
        }),
        'application/json': z.record(z.string(), z.unknown()).meta({ description: 'The inputs, by name' }),
      },
    },
    responses: {
      ...ok('The queued job'),
      ...signedIn,
      400: failure('An input that is missing, unknown or not of its type'),
      404: failure('No such automation'),
      413: failure('Files over the upload limit'),
      415: failure('A body of another type'),
    },
  },
  deliveries: {
    method: 'get',
    path: '/deliveries',
    operation: 'deliveries',
    summary: 'Webhooks and callbacks of every adapter, newest first: state, attempts, last status, next try',
    security: session,
    query: z.object({
      state: z.enum(['pending', 'delivered', 'failed']).optional(),
      adapter: z.string().min(1).optional(),
      limit: pageSize.default(200),
    }),
    responses: { ...ok('The deliveries'), ...signedIn, 400: failure('A bad filter') },
  },
  delivery: {
    method: 'get',
    path: '/deliveries/:adapter/:id',
    operation: 'deliveries',
    summary: 'One delivery with every attempt at it',
    security: session,
    params: deliveryParams,
    responses: { ...ok('The delivery'), ...signedIn, 404: failure('No such delivery') },
  },
  redeliver: {
    method: 'post',
    path: '/deliveries/:adapter/:id/redeliver',
    operation: 'deliveries',
    summary: 'Send a delivery again at the next look (an admin)',
    security: session,
    params: deliveryParams,
    responses: { ...ok('The delivery, due again'), ...signedIn, 404: failure('No such delivery') },
  },
  overview: {
    method: 'get',
    path: '/overview',
    operation: 'overview',
    summary: 'Counts, activity per minute and this node',
    security: session,
    responses: { ...ok('The overview'), ...signedIn },
  },
} satisfies Record<string, RouteDoc>;

/** The OpenAPI 3.1 document of the console's API: its own routes and the panels', as its router mounts them. */
export const consoleOpenApi = (routes: readonly RouteDoc[]) =>
  openApiDocument(
    'console',
    {
      title: 'botgate console API',
      version: '1',
      description: 'What the operator console’s web app calls: sessions, automations, jobs, and each adapter’s panel.',
    },
    routes.map((route) => ({ ...route, path: `${consoleApiBase}${route.path}` })),
    {
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'botgate_console',
        description: 'Set by POST /console/api/login; writes also send its CSRF token as X-CSRF-Token',
      },
    },
  );
