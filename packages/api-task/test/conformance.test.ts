import { conformanceSuite } from '@botgate/conformance';
import { apiTask, createUsers } from '../src/index.js';

const examples = new URL('../../../examples', import.meta.url).pathname;

interface Fixture {
  headers: Record<string, string>;
  userId: number;
  fileId: number;
}

// Automation Anywhere's error body: `{ code, details, message }`.
const isControlRoomError = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { code?: unknown }).code === 'string' &&
  typeof (body as { message?: unknown }).message === 'string' &&
  'details' in body;

let users = 0;

conformanceSuite<Fixture>({
  adapter: apiTask,
  module: { specifier: '@botgate/api-task', exportName: 'apiTask' },
  catalogDir: examples,
  async prepare({ core, url }) {
    const username = `conformance-${++users}`;
    const user = await createUsers(core).add(username, 'developer');
    const signedIn = await fetch(`${url}/v1/authentication`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, apiKey: user.apiKey }),
    });
    const { token } = (await signedIn.json()) as { token: string };
    return { headers: { 'x-authorization': token }, userId: user.id, fileId: core.catalog.get('echo').fileId };
  },
  async trigger(url, { headers, userId, fileId }, key) {
    const response = await fetch(`${url}/v3/automations/deploy`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify({
        fileId,
        runAsUserIds: [userId],
        botInput: { message: { type: 'STRING', string: 'hi' } },
      }),
    });
    return { status: response.status, id: ((await response.json()) as { deploymentId: string }).deploymentId };
  },
  async find(url, { headers }, id) {
    const response = await fetch(`${url}/v3/activity/list`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { operator: 'eq', field: 'deploymentId', value: id } }),
    });
    return ((await response.json()) as { list: unknown[] }).list.length === 1;
  },
  async jobIdOf({ core }, _fixture, id) {
    const row = (await core
      .store('api-task')
      .table('api_task_deployments')
      .where({ deployment_id: id })
      .first('job_id')) as { job_id: number | string };
    return Number(row.job_id);
  },
  async rowsOf({ core }, jobId) {
    const row = await core
      .store('api-task')
      .table('api_task_deployments')
      .where({ job_id: jobId })
      .count({ n: '*' })
      .first();
    return Number((row as { n: number | string }).n);
  },
  // The Control Room's paths botgate claims (v1/authentication, v3/automations, …); others are left to the server.
  unknownPath: '/v3/automations/nothing-here',
  wrongMethod: { method: 'GET', path: '/v3/automations/deploy', allow: 'POST' },
  jsonRoute: ({ headers }) => ({ method: 'POST', path: '/v3/automations/deploy', headers }),
  bodyLimit: 1024 * 1024,
  errorShape: isControlRoomError,
});
