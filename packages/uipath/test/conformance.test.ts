import { conformanceSuite } from '@botgate/conformance';
import { uipath } from '../src/index.js';
import { clientToken } from './token.js';

const examples = new URL('../../../examples', import.meta.url).pathname;

const isOrchestratorError = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { message?: unknown }).message === 'string' &&
  typeof (body as { errorCode?: unknown }).errorCode === 'number' &&
  typeof (body as { traceId?: unknown }).traceId === 'string';

interface Fixture {
  headers: Record<string, string>;
  releaseKey: string;
}

conformanceSuite<Fixture>({
  adapter: uipath,
  module: { specifier: '@botgate/uipath', exportName: 'uipath' },
  catalogDir: examples,
  async prepare({ core, url }) {
    // What an operator does: publish echo, add an app; then what its caller does: take a token.
    const { createApps } = await import('../src/apps.js');
    const { createFolders } = await import('../src/folders.js');
    const { createReleases } = await import('../src/releases.js');
    const release = await createReleases(core, createFolders(core)).publish('echo', undefined);
    const app = await createApps(core).add('conformance');
    const token = await clientToken(url, app.clientId, app.clientSecret);
    return { headers: { authorization: `Bearer ${token}` }, releaseKey: release.key };
  },
  // Orchestrator answers StartJobs 201 Created (UiPath's published Postman collection).
  triggerStatus: 201,
  async trigger(url, { headers, releaseKey }, key) {
    const response = await fetch(`${url}/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify({ startInfo: { ReleaseKey: releaseKey, InputArguments: '{"message":"hi"}' } }),
    });
    const body = (await response.json()) as { value?: Array<{ Id: number }> };
    return { status: response.status, id: String(body.value?.[0]?.Id) };
  },
  find: async (url, { headers }, id) => (await fetch(`${url}/odata/Jobs(${id})`, { headers })).status === 200,
  jobIdOf: async (_started, _fixture, id) => Number(id),
  async rowsOf({ core }, jobId) {
    const row = await core.store('uipath').table('uipath_jobs').where({ job_id: jobId }).count({ n: '*' }).first();
    return Number((row as { n: number | string }).n);
  },
  unknownPath: '/odata/Nothing',
  wrongMethod: { method: 'DELETE', path: '/api/Account/Authenticate', allow: 'POST' },
  jsonRoute: () => ({ method: 'POST', path: '/api/Account/Authenticate' }),
  bodyLimit: 1024 * 1024,
  errorShape: isOrchestratorError,
});
