import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeCatalog, serverEnv, startServer, useWorkspace, type RunningServer } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

/**
 * Starts `count` nodes on `env` at the same moment, checks each listens and answers `/readyz`
 * 200, then stops them all with SIGTERM. Answers why any failed, so one assert shows them all.
 */
const startTogether = async (env: Record<string, string>, count: number): Promise<string[]> => {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startServer(env)));
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const problems = started.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
  try {
    for (const node of nodes) {
      const response = await fetch(`${node.url}/readyz`);
      const body = await response.text();
      if (response.status !== 200) problems.push(`/readyz answered ${response.status}: ${body}`);
    }
  } finally {
    await stopAll(nodes);
  }
  return problems;
};

const stopAll = async (nodes: RunningServer[]): Promise<void> => {
  for (const node of nodes) node.process.kill('SIGTERM');
  await Promise.all(nodes.map((node) => node.exited));
};

describe('starting several nodes at once', () => {
  it.skipIf(!process.env.BOTGATE_TEST_DATABASE_URL)(
    'starts five nodes together on a fresh PostgreSQL database, ten times over: all fifty come up ready',
    async () => {
      const problems: string[] = [];
      for (let round = 0; round < 10; round++) {
        const env = await serverEnv(join(root, `pg-${round}`), catalog);
        problems.push(...(await startTogether(env, 5)).map((problem) => `round ${round}: ${problem}`));
      }
      expect(problems).toEqual([]);
    },
    300_000,
  );

  // SQLite whatever database the suite runs on, so the PostgreSQL pass would only repeat it.
  it.skipIf(Boolean(process.env.BOTGATE_TEST_DATABASE_URL))(
    'starts five nodes together on one fresh SQLite file, five times over: all twenty-five come up ready',
    async () => {
      const problems: string[] = [];
      for (let round = 0; round < 5; round++) {
        const env = {
          BOTGATE_DATA_DIR: join(root, `sqlite-${round}`),
          BOTGATE_CATALOG: catalog,
          BOTGATE_DATABASE: join(root, `sqlite-${round}`, 'botgate.sqlite'),
        };
        problems.push(...(await startTogether(env, 5)).map((problem) => `round ${round}: ${problem}`));
      }
      expect(problems).toEqual([]);
    },
    300_000,
  );
});

describe('the compiled-code cache', () => {
  it('writes its cache where NODE_COMPILE_CACHE says, and a start from the cache runs a module job', async () => {
    const cacheDir = join(root, 'compile-cache');
    const env = { ...(await serverEnv(join(root, 'cache-data'), catalog)), NODE_COMPILE_CACHE: cacheDir };
    const runEcho = async (): Promise<string> => {
      // A module job run by the CLI itself: the runner loads its worker with a dynamic import().
      const result = await cli(['run', 'echo', '--wait', '--json', '-i', 'message=cached'], env);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { state: string }).state;
    };
    expect(await runEcho()).toBe('succeeded');
    const written = readdirSync(cacheDir);
    expect(written).toEqual([expect.stringMatching(/^botgate-\d+-\d+-v[\d.]+-\w+\.cache$/)]);
    expect(await runEcho()).toBe('succeeded');
    expect(readdirSync(cacheDir)).toEqual(written);
  }, 60_000);
});
