import { conformanceSuite } from '@botgate/conformance';
import { createSkills, localApi } from '../src/index.js';

const examples = new URL('../../../examples', import.meta.url).pathname;

const isPlainError = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { error?: unknown }).error === 'string' &&
  typeof (body as { message?: unknown }).message === 'string';

conformanceSuite<{ uuid: string }>({
  adapter: localApi,
  module: { specifier: '@botgate/local-api', exportName: 'localApi' },
  catalogDir: examples,
  prepare: async ({ core }) => ({ uuid: (await createSkills(core).add('echo')).uuid }),
  async trigger(url, { uuid }, key) {
    const response = await fetch(`${url}/api?uuid=${uuid}&message=hi`, {
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
    return { status: response.status, id: ((await response.json()) as { msUnixTime: string }).msUnixTime };
  },
  find: async (url, { uuid }, id) => (await fetch(`${url}/api/job?uuid=${uuid}&msUnixTime=${id}`)).status === 200,
  async jobIdOf({ core }, { uuid }, id) {
    const row = (await core
      .store('local-api')
      .table('local_api_jobs')
      .where({ uuid, ms_unix_time: Number(id) })
      .first('job_id')) as { job_id: number | string };
    return Number(row.job_id);
  },
  async rowsOf({ core }, jobId) {
    const row = await core
      .store('local-api')
      .table('local_api_jobs')
      .where({ job_id: jobId })
      .count({ n: '*' })
      .first();
    return Number((row as { n: number | string }).n);
  },
  unknownPath: '/api/nothing-here',
  wrongMethod: { method: 'DELETE', path: '/api', allow: 'GET, POST' },
  jsonRoute: ({ uuid }) => ({ method: 'POST', path: `/api?uuid=${uuid}` }),
  bodyLimit: 1024 * 1024,
  errorShape: isPlainError,
});
