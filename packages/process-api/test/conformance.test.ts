import { conformanceSuite } from '@botgate/conformance';
import { createProcesses, createWorkspaceKeys, processApi } from '../src/index.js';

const examples = new URL('../../../examples', import.meta.url).pathname;

interface Fixture {
  base: string;
  headers: Record<string, string>;
}

const isPlainError = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { error?: unknown }).error === 'string' &&
  typeof (body as { message?: unknown }).message === 'string';

conformanceSuite<Fixture>({
  adapter: processApi,
  module: { specifier: '@botgate/process-api', exportName: 'processApi' },
  catalogDir: examples,
  async prepare({ core }) {
    const processes = createProcesses(core);
    const workspaceId = await processes.workspaceId();
    const echo = (await processes.list()).find((process) => process.automationId === 'echo');
    const { key } = await createWorkspaceKeys(core).add(`conformance-${Date.now()}`, [
      'trigger_processes',
      'read_runs',
    ]);
    return {
      base: `/process-v1/workspaces/${workspaceId}/processes/${echo?.processId}`,
      headers: { authorization: `RC-WSKEY ${key}` },
    };
  },
  async trigger(url, { base, headers }, key) {
    const response = await fetch(`${url}${base}/runs`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify({ message: 'hi' }),
    });
    return { status: response.status, id: ((await response.json()) as { id: string }).id };
  },
  find: async (url, { base, headers }, id) => (await fetch(`${url}${base}/runs/${id}`, { headers })).status === 200,
  async jobIdOf({ core }, _fixture, id) {
    const row = (await core.store('process-api').table('process_api_runs').where({ run_id: id }).first('job_id')) as {
      job_id: number | string;
    };
    return Number(row.job_id);
  },
  async rowsOf({ core }, jobId) {
    const store = core.store('process-api');
    const runs = (await store.table('process_api_runs').where({ job_id: jobId }).select('run_id')) as Array<{
      run_id: string;
    }>;
    const items = await store
      .table('process_api_work_items')
      .whereIn(
        'run_id',
        runs.map((run) => run.run_id),
      )
      .count({ n: '*' })
      .first();
    return runs.length + Number((items as { n: number | string }).n);
  },
  unknownPath: '/process-v1/nothing-here',
  wrongMethod: { method: 'DELETE', path: '/process-v1/workspaces/w/processes/p/runs', allow: 'POST, GET' },
  jsonRoute: ({ base, headers }) => ({ method: 'POST', path: `${base}/runs`, headers }),
  bodyLimit: 1024 * 1024,
  errorShape: isPlainError,
});
