import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliJson, makeCatalog, serverEnv, startServer, useWorkspace, waitFor } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

describe('local-api in botgate serve', () => {
  it('still resolves every answered msUnixTime after kill -9 and a restart', async () => {
    const env = await serverEnv(join(root, 'data'), catalog);
    const { uuid } = await cliJson<{ uuid: string }>(['local-api', 'add', 'sleep'], env);
    const first = await startServer(env);
    const answered = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const response = await fetch(`${first.url}/api?uuid=${uuid}&seconds=${i % 2 === 0 ? 0.1 : 5}`);
        expect(response.status).toBe(200);
        return ((await response.json()) as { msUnixTime: string }).msUnixTime;
      }),
    );
    await waitFor('a job to be executing', async () => {
      const overview = (await (await fetch(`${first.url}/api`)).json()) as { executing: boolean };
      return overview.executing ? true : undefined;
    });
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await startServer(env);
    try {
      const statuses = await Promise.all(
        answered.map((n) => fetch(`${second.url}/api/job?uuid=${uuid}&msUnixTime=${n}`)),
      );
      expect(statuses.map((s) => s.status)).toEqual(Array(40).fill(200));
      const bodies = (await Promise.all(statuses.map((s) => s.json()))) as Array<{
        msUnixTime: string;
        status: string;
      }>;
      expect(bodies.map((b) => b.msUnixTime)).toEqual(answered);
      for (const body of bodies) expect(['inqueue', 'executing', 'finished']).toContain(body.status);
      const overview = (await (await fetch(`${second.url}/api`)).json()) as { waiting: number; finished: number };
      expect(overview.waiting + overview.finished).toBeGreaterThan(0);
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
  });
});
