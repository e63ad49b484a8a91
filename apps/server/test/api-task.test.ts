import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, makeCatalog, serverEnv, startServer, useWorkspace, waitFor } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

describe('api-task in botgate serve', () => {
  it('runs the five steps with users made by `botgate users`, and lists the execution as a job', async () => {
    const env = await serverEnv(join(root, 'data'), catalog);
    const admin = await cliJson<{ apiKey: string; role: string }>(['users', 'add', 'ops', '--role', 'admin'], env);
    expect(admin.role).toBe('admin');
    expect((await cli(['users', 'add', 'x', '--role', 'root'], env)).stderr).toContain(
      '--role must be admin or developer',
    );
    const server = await startServer(env);
    try {
      const call = async (path: string, body: unknown, token?: string, method = 'POST') => {
        const response = await fetch(path.startsWith('http') ? path : `${server.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { 'x-authorization': token } : {}) },
          body: JSON.stringify(body),
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the vendor's nested answers, asserted below
        return { status: response.status, body: (await response.json()) as Record<string, any> };
      };
      const { body: auth } = await call('/v1/authentication', { username: 'ops', apiKey: admin.apiKey });
      const automations = await cliJson<Array<{ id: string; fileId: number; repositoryPath: string }>>(
        ['automations', 'list'],
        env,
      );
      const zip = automations.find((a) => a.id === 'zip-code') as { fileId: number; repositoryPath: string };
      expect(
        (await call('/orchestrator/v1/hotbot/config/create', { fileId: String(zip.fileId) }, auth.token, 'PUT')).status,
      ).toBe(200);
      const { body: access } = await call(
        '/orchestrator/v1/hotbot/config/accessdetails',
        { botRepositoryPath: [zip.repositoryPath] },
        auth.token,
      );
      const detail = access.accessDetails[zip.repositoryPath];
      expect(detail.url).toMatch(new RegExp(`^${server.url}/hotbot/`));
      const executed = await call(
        detail.url,
        { botInput: { iStrZipCode: { type: 'STRING', string: '76131' } } },
        detail.headers['X-Authorization'],
      );
      expect(executed.body).toEqual({
        hotBotResult: {
          botOutput: { State: { type: 'STRING', string: 'California' }, Place: { type: 'STRING', string: 'San Jose' } },
        },
      });
      const jobs = await waitFor('the execution to be recorded', async () => {
        const list = await cliJson<Array<{ adapter: string; state: string; outputs: unknown }>>(['jobs', 'list'], env);
        return list.some((j) => j.adapter === 'api-task') ? list : undefined;
      });
      expect(jobs.find((j) => j.adapter === 'api-task')).toMatchObject({
        state: 'succeeded',
        outputs: { Place: { type: 'STRING', value: 'San Jose' } },
      });
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});
