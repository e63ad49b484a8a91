import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliJson, makeCatalog, serverEnv, startServer, useWorkspace, waitFor } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

describe('process-api in botgate serve', () => {
  it('keeps retrying a webhook across a kill -9 and delivers it after the restart', async () => {
    const received: Array<{ body: string; signature: string }> = [];
    let healthy = false;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-rc-signature']) });
        res.statusCode = healthy ? 204 : 503;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const env = await serverEnv(join(root, 'data'), catalog, { BOTGATE_PROCESS_API_WEBHOOK_RETRY: '0.3' });
    try {
      const access = await cliJson<{ secret: string; processId: string; workspaceId: string; curl: string }>(
        ['process-api', 'secret', 'echo'],
        env,
      );
      expect(access.curl).toContain(`--header "robocloud-process-secret: ${access.secret}"`);
      const hook = await cliJson<{ secret: string }>(
        [
          'process-api',
          'webhook',
          'set',
          'echo',
          `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`,
        ],
        env,
      );

      const first = await startServer(env);
      const started = await fetch(
        `${first.url}/workspace-v1/workspaces/${access.workspaceId}/processes/${access.processId}/runs`,
        {
          method: 'POST',
          headers: { 'robocloud-process-secret': access.secret, 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'hello' }),
        },
      );
      expect(started.status).toBe(200);
      const { processRunId } = (await started.json()) as { processRunId: string };
      await waitFor('a failed delivery attempt', async () => (received.length >= 1 ? true : undefined));
      first.process.kill('SIGKILL');
      await first.exited;

      healthy = true;
      const before = received.length;
      const second = await startServer(env);
      try {
        await waitFor('the delivery after the restart', async () => (received.length > before ? true : undefined));
        const last = received.at(-1) as { body: string; signature: string };
        expect(last.signature).toBe(createHmac('sha256', hook.secret).update(last.body).digest('hex'));
        expect(JSON.parse(last.body)).toMatchObject({
          event: 'process_run_completed',
          payload: { processRunId, state: 'COMPL', result: 'OK' },
        });
        // Every attempt carried the same event.
        expect(new Set(received.map((r) => r.body)).size).toBe(1);
      } finally {
        second.process.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
