import { idempotencyKeyHeader, openApiDocument, queryParam, type RouteDoc } from '@botgate/http';
import { z } from 'zod';

const error = z
  .object({ error: z.string(), message: z.string() })
  .meta({ description: 'botgate error body (EMILY defines none)' });
const failure = (description: string) => ({ description, schema: error });
const unauthorized = failure('A token is configured and none or a wrong one was sent');
const forbidden = failure('The caller’s address is not allowed');

const uuid = queryParam('uuid').meta({ description: 'The skill’s uuid, shown when it is added to the API' });
const msUnixTime = queryParam('msUnixTime')
  .regex(/^\d{1,16}$/, { error: (issue) => `msUnixTime must be a job number (digits), got "${String(issue.input)}"` })
  .meta({ description: 'The job number a trigger answered' });
// Every other query parameter is an input variable: text, or repeated.
const inputVariable = z.union([z.string(), z.array(z.string())]);
const token = z
  .string()
  .optional()
  .meta({ description: 'The API token, when one is configured (or `Authorization: Bearer`)' });
const jobQuery = z.object({ uuid, msUnixTime, token });

const overview = z.object({ userId: z.string(), executing: z.boolean(), waiting: z.number(), finished: z.number() });
const triggered = z.object({ msUnixTime: z.string() });
const fields = z.record(z.string(), z.unknown()).meta({ description: 'Input variables of the job, by name' });

const status = z.object({
  status: z.enum(['inqueue', 'executing', 'finished']),
  uuid: z.string(),
  msUnixTime: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable().optional(),
  result: z.enum(['succeeded', 'failed', 'timed_out', 'canceled']).optional(),
  error: z.string().nullable().optional(),
  exitCode: z.number().nullable().optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  files: z.array(z.object({ name: z.string(), size: z.number(), url: z.string() })).optional(),
  attempt: z.number().meta({ description: 'Runs started so far, retries included (0 while it waits for its first)' }),
  attempts: z
    .array(
      z.object({
        number: z.number(),
        state: z.enum(['running', 'succeeded', 'failed', 'timed_out', 'canceled', 'interrupted']),
        startedAt: z.string().nullable(),
        finishedAt: z.string().nullable(),
        errorCode: z.string().nullable(),
        error: z.string().nullable(),
        exitCode: z.number().nullable(),
      }),
    )
    .meta({ description: 'Every run of the job, first to last, with how it ended' }),
});

const triggerResponses = {
  200: { description: 'The job is committed to the queue', schema: triggered },
  400: failure('A missing uuid, a bad input value or a malformed body'),
  401: unauthorized,
  403: forbidden,
  404: failure('No skill with this uuid is added to the API'),
  413: failure('An uploaded file is over the limit'),
  503: failure('The job could not be recorded: the database or disk cannot be written, or botgate is shutting down'),
  507: failure('The job could not be recorded: the disk is full'),
};

export const localApiContract = {
  overviewOrTrigger: {
    method: 'get',
    path: '/api',
    operation: 'trigger',
    summary: 'Queue overview, or trigger a skill with ?uuid=',
    description:
      'Without `uuid`: the queue overview. With `uuid`: queues that skill; every other query parameter is an input variable. Answers the job number `msUnixTime`.',
    security: ['bearer', 'queryToken'],
    query: z.object({ uuid: uuid.optional(), token }).catchall(inputVariable),
    headers: z.object({ 'Idempotency-Key': idempotencyKeyHeader }),
    responses: {
      ...triggerResponses,
      200: {
        description: 'The overview (no uuid), or the queued job’s number',
        schema: z.union([overview, triggered]),
      },
    },
  },
  trigger: {
    method: 'post',
    path: '/api',
    operation: 'trigger',
    summary: 'Trigger a skill, with files',
    description:
      'Queues the skill; multipart files land in the job’s working folder, fields (multipart, form or JSON) and query parameters are input variables.',
    security: ['bearer', 'queryToken'],
    query: z.object({ uuid, token }).catchall(inputVariable),
    headers: z.object({ 'Idempotency-Key': idempotencyKeyHeader }),
    body: {
      required: false,
      content: {
        'multipart/form-data': z
          .record(z.string(), z.string())
          .meta({ description: 'Files (any field name) and text fields' }),
        'application/x-www-form-urlencoded': fields,
        'application/json': fields,
      },
    },
    responses: { ...triggerResponses, 415: failure('A body of another type') },
  },
  status: {
    method: 'get',
    path: '/api/job',
    operation: 'status',
    summary: 'A job’s status',
    description:
      'EMILY’s `status` (inqueue, executing, finished); a finished job also tells how it ended, its outputs and its output files.',
    security: ['bearer', 'queryToken'],
    query: jobQuery,
    responses: {
      200: { description: 'The job', schema: status },
      400: failure('A missing or malformed parameter'),
      401: unauthorized,
      403: forbidden,
      404: failure('No such skill or job'),
    },
  },
  file: {
    method: 'get',
    path: '/api/job/files/*name',
    operation: 'file',
    summary: 'Download an output file of a job',
    security: ['bearer', 'queryToken'],
    params: z.object({ name: z.string().meta({ description: 'The file’s path inside the job’s output folder' }) }),
    query: jobQuery,
    responses: {
      200: { description: 'The file', contentType: 'application/octet-stream' },
      400: failure('A missing or malformed parameter'),
      401: unauthorized,
      403: forbidden,
      404: failure('No such skill, job or file'),
    },
  },
} satisfies Record<string, RouteDoc>;

/** The OpenAPI 3.1 document of the local-api adapter's routes. */
export const localApiOpenApi = () =>
  openApiDocument(
    'local-api',
    {
      title: 'botgate local-api (EMILY.RPA API Trigger)',
      version: '1',
      description: 'EMILY.RPA’s API Trigger: queue overview, trigger a skill, job status and output files.',
    },
    Object.values(localApiContract),
    {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'Only when the server is configured with a local-api token',
      },
      queryToken: { type: 'apiKey', in: 'query', name: 'token' },
    },
  );
