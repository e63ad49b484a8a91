import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cliJson, freshEnvs, makeCatalog, observe, startServer, useWorkspace, waitFor } from './helpers.js';
import { call, stop } from './lifecycle-helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);
const freshEnv = freshEnvs(root, catalog);

describe("Automation Anywhere's deploy callback", () => {
  it('calls back once the run ends, retries after a 500, and still calls back after a kill -9 and restart between attempts', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string; answered: number }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const answered = received.length === 0 ? 500 : 200;
        received.push({ headers: req.headers, body, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { dataDir, env } = await freshEnv({ BOTGATE_API_TASK_CALLBACK_RETRY: '3s' });
    const { apiKey } = await cliJson<{ apiKey: string }>(['users', 'add', 'deployer', '--role', 'developer'], env);
    let server = await startServer(env);
    try {
      const auth = await call(`${server.url}/v1/authentication`, { body: { username: 'deployer', apiKey } });
      const token = auth.body.token as string;
      const [runAs] = (
        await call(`${server.url}/v1/devices/runasusers/list`, { body: {}, headers: { 'x-authorization': token } })
      ).body.list as Array<{ id: string }>;
      const [file] = (
        await call(`${server.url}/v2/repository/workspaces/public/files/list`, {
          body: { filter: { operator: 'eq', field: 'name', value: 'echo' } },
          headers: { 'x-authorization': token },
        })
      ).body.list as Array<{ id: string }>;
      const deployed = await call(`${server.url}/v3/automations/deploy`, {
        body: {
          fileId: Number(file?.id),
          runAsUserIds: [Number(runAs?.id)],
          botInput: { message: { type: 'STRING', string: 'call me back' } },
          callbackInfo: {
            url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/aa`,
            headers: { 'X-Callback-Secret': 's3cret' },
          },
        },
        headers: { 'x-authorization': token },
      });
      expect(deployed.status).toBe(200);

      await waitFor('the first callback (answered 500)', async () => (received.length === 1 ? true : undefined));
      const core = await observe(dataDir, catalog, env);
      await waitFor('the failed attempt to be recorded', async () =>
        (await core.store('api-task').table('api_task_callback_attempts')).length === 1 ? true : undefined,
      );
      // Killed before the retry is due (3 s): the callback is a row, the retry survives.
      server.process.kill('SIGKILL');
      await server.exited;
      server = await startServer(env);
      await waitFor(
        'the callback to be retried by the restarted node',
        async () => (received.length >= 2 ? true : undefined),
        20_000,
      );
      expect(received.map((r) => r.answered)).toEqual([500, 200]);
      for (const { headers, body } of received) {
        expect(headers['x-callback-secret']).toBe('s3cret');
        expect(JSON.parse(body)).toEqual({
          deploymentId: deployed.body.deploymentId,
          executionId: expect.stringMatching(new RegExp(`^${deployed.body.deploymentId}_[0-9a-f]{16}$`)),
          automationName: deployed.body.automationName,
          status: 'COMPLETED',
          message: '',
          userId: runAs?.id,
          deviceId: '',
          botOutput: { message: { type: 'STRING', string: 'call me back' } },
        });
      }
      await waitFor(
        'the delivery to be settled',
        async () =>
          ((await core.store('api-task').table('api_task_callbacks').first()) as { state: string } | undefined)
            ?.state === 'delivered' || undefined,
      );
      expect(
        (
          (await core.store('api-task').table('api_task_callback_attempts').orderBy('attempt')) as Array<{
            status: number;
          }>
        ).map((a) => a.status),
      ).toEqual([500, 200]);
      // Delivered once: nothing more comes.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(received).toHaveLength(2);
    } finally {
      await stop(server);
      receiver.close();
    }
  });

  it('calls back a run that ended while more than 500 earlier deploys still wait for theirs', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/aa`;
    // At the end, the two runs under way are stopped after a second rather than awaited.
    const { env } = await freshEnv({ BOTGATE_SHUTDOWN_GRACE: '1s' });
    const { apiKey } = await cliJson<{ apiKey: string }>(['users', 'add', 'deployer', '--role', 'developer'], env);
    const server = await startServer(env);
    try {
      const token = (await call(`${server.url}/v1/authentication`, { body: { username: 'deployer', apiKey } })).body
        .token as string;
      const headers = { 'x-authorization': token };
      const [runAs] = (await call(`${server.url}/v1/devices/runasusers/list`, { body: {}, headers })).body
        .list as Array<{ id: string }>;
      const fileOf = async (name: string): Promise<number> => {
        const [file] = (
          await call(`${server.url}/v2/repository/workspaces/public/files/list`, {
            body: { filter: { operator: 'eq', field: 'name', value: name } },
            headers,
          })
        ).body.list as Array<{ id: string }>;
        return Number(file?.id);
      };
      const deploy = async (fileId: number, botInput: Record<string, unknown>) => {
        const deployed = await call(`${server.url}/v3/automations/deploy`, {
          body: { fileId, runAsUserIds: [Number(runAs?.id)], botInput, callbackInfo: { url } },
          headers,
        });
        expect(deployed.status).toBe(200);
        return deployed.body as { deploymentId: string };
      };
      // 510 runs of a minute each, two at a time: none ends during the test.
      const sleep = await fileOf('sleep');
      for (let i = 0; i < 510; i += 30)
        await Promise.all(
          Array.from({ length: 30 }, () => deploy(sleep, { seconds: { type: 'NUMBER', number: '60' } })),
        );
      const quick = await deploy(await fileOf('echo'), { message: { type: 'STRING', string: 'behind 510' } });
      await waitFor(
        'the quick run to be called back',
        async () => (received.some((body) => body.includes(quick.deploymentId)) ? true : undefined),
        15_000,
      );
      expect(received).toHaveLength(1);
    } finally {
      await stop(server);
      receiver.close();
    }
  });
});
