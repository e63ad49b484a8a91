import { credentials } from '@botgate/api-task';
import { openApiDocument, type ResponseSpec, type RouteDoc } from '@botgate/http';
import { z } from 'zod';
import { newKey, newUser } from './routes/admin.js';
import { allocationBody } from './routes/automations.js';
import { filterQuery } from './routes/jobs.js';

/** Where the console's API is mounted; the table's paths are below it. */
export const consoleApiBase = '/console/api';

const error = z.object({ error: z.string(), message: z.string() });
const failure = (description: string): ResponseSpec => ({ description, schema: error });
const signedIn = { 401: failure('Not signed in, or the session ended'), 403: failure('A bad CSRF token') };
const adminOnly = { ...signedIn, 403: failure('Not an admin, or a bad CSRF token') };
const json = (schema: z.ZodType) => ({ content: { 'application/json': schema } });
const ok = (description: string): Record<number, ResponseSpec> => ({ 200: { description } });
const done: Record<number, ResponseSpec> = { 204: { description: 'Done' } };
const automation = z.object({ id: z.string().meta({ description: 'The automation id (its folder name)' }) });
const job = z.object({ id: z.string().meta({ description: 'The job id' }) });
const session = ['session'];

/** The console's API: every route the web app calls, with who may call it. */
export const consoleContract = {
  login: {
    method: 'post',
    path: '/login',
    operation: 'login',
    summary: 'Sign in with an api-task user’s password or API key; sets the session cookie',
    body: json(credentials),
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
  addToLocalApi: {
    method: 'post',
    path: '/automations/:id/local-api',
    operation: 'automations',
    summary: 'EMILY’s “Add to API”: the uuid and a ready call',
    security: session,
    params: automation,
    responses: { ...ok('The uuid and curl line'), ...signedIn, 404: failure('No such automation') },
  },
  removeFromLocalApi: {
    method: 'delete',
    path: '/automations/:id/local-api',
    operation: 'automations',
    summary: 'Take the automation off the local API',
    security: session,
    params: automation,
    responses: { ...done, ...signedIn, 404: failure('No such automation, or it is not added') },
  },
  generateSecret: {
    method: 'post',
    path: '/automations/:id/process-api/secret',
    operation: 'automations',
    summary: 'A new Process API secret (shown once) and a ready curl line',
    security: session,
    params: automation,
    responses: { ...ok('The secret'), ...signedIn, 404: failure('No such automation') },
  },
  deleteSecret: {
    method: 'delete',
    path: '/automations/:id/process-api/secret',
    operation: 'automations',
    summary: 'Delete the Process API secret: its access ends at once',
    security: session,
    params: automation,
    responses: { ...done, ...signedIn, 404: failure('No such automation') },
  },
  allocate: {
    method: 'put',
    path: '/automations/:id/api-task',
    operation: 'automations',
    summary: 'Allocate the automation as an API Task, with its concurrency limit',
    security: session,
    params: automation,
    body: json(allocationBody),
    responses: {
      ...ok('The allocation'),
      ...adminOnly,
      400: failure('A bad limit'),
      404: failure('No such automation'),
    },
  },
  executionAccess: {
    method: 'post',
    path: '/automations/:id/api-task/access',
    operation: 'automations',
    summary: 'The API Task’s execution URL and a token for it',
    security: session,
    params: automation,
    responses: { ...ok('The URL, headers and curl line'), ...signedIn, 404: failure('Not allocated') },
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
  overview: {
    method: 'get',
    path: '/overview',
    operation: 'overview',
    summary: 'Counts, activity per minute and this node',
    security: session,
    responses: { ...ok('The overview'), ...signedIn },
  },
  users: {
    method: 'get',
    path: '/users',
    operation: 'admin',
    summary: 'The api-task users',
    security: session,
    responses: { ...ok('The users'), ...adminOnly },
  },
  addUser: {
    method: 'post',
    path: '/users',
    operation: 'admin',
    summary: 'A new user; its API key is in this answer only',
    security: session,
    body: json(newUser),
    responses: { 201: { description: 'The user and its API key' }, ...adminOnly, 400: failure('A bad user') },
  },
  removeUser: {
    method: 'delete',
    path: '/users/:username',
    operation: 'admin',
    summary: 'Remove a user: its tokens end at once',
    security: session,
    params: z.object({ username: z.string() }),
    responses: { ...done, ...adminOnly, 400: failure('Yourself'), 404: failure('No such user') },
  },
  keys: {
    method: 'get',
    path: '/keys',
    operation: 'admin',
    summary: 'The Process API workspace keys',
    security: session,
    responses: { ...ok('The keys'), ...adminOnly },
  },
  addKey: {
    method: 'post',
    path: '/keys',
    operation: 'admin',
    summary: 'A new workspace key; shown in this answer only',
    security: session,
    body: json(newKey),
    responses: { 201: { description: 'The key' }, ...adminOnly, 400: failure('A bad key') },
  },
  removeKey: {
    method: 'delete',
    path: '/keys/:name',
    operation: 'admin',
    summary: 'Remove a workspace key: its access ends at once',
    security: session,
    params: z.object({ name: z.string() }),
    responses: { ...done, ...adminOnly, 404: failure('No such key') },
  },
} satisfies Record<string, RouteDoc>;

/** The OpenAPI 3.1 document of the console's API, from the table its router mounts. */
export const consoleOpenApi = () =>
  openApiDocument(
    'console',
    {
      title: 'botgate console API',
      version: '1',
      description: 'What the operator console’s web app calls: sessions, automations, jobs, users and keys.',
    },
    Object.values(consoleContract).map((route) => ({ ...route, path: `${consoleApiBase}${route.path}` })),
    {
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'botgate_console',
        description: 'Set by POST /console/api/login; writes also send its CSRF token as X-CSRF-Token',
      },
    },
  );
