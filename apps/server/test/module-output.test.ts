import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFinal, type JobState } from '@botgate/core';
import { describe, expect, it } from 'vitest';
import { cliJson, freshEnvs, makeCatalog, startServer, useWorkspace, waitFor } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

// A module that prints, in a pool thread (`chatty`) and on the server's thread (`chatty-inline`);
// `late` prints once more after it returned (in a thread, that is a JSON log line of its own).
const chatty = `import { setTimeout as sleep } from 'node:timers/promises';

export default async function chatty({ say, ms, late }) {
  console.log(\`hello from \${say}\`);
  if (late) setTimeout(() => console.log(\`late \${say}\`), 0);
  if (ms > 0) await sleep(ms);
  return {};
}
`;
for (const [id, isolation] of [
  ['chatty', 'thread'],
  ['chatty-inline', 'none'],
] as const) {
  mkdirSync(join(catalog, id));
  writeFileSync(join(catalog, id, 'index.mjs'), chatty);
  writeFileSync(
    join(catalog, id, 'automation.yaml'),
    `run: { module: ./index.mjs, isolation: ${isolation} }\ninputs:\n  say: { type: STRING, required: true }\n  ms: { type: NUMBER, default: 0 }\n  late: { type: BOOLEAN, default: false }\n`,
  );
}

type JobJson = { id: number; state: JobState; log: string };

const freshEnv = freshEnvs(root, catalog);

/** Queues a job for the server (with --wait the CLI could run it itself) and waits for its end. */
const runOnServer = async (env: Record<string, string>, automationId: string, inputs: string[]): Promise<JobJson> => {
  const queued = await cliJson<JobJson>(['run', automationId, ...inputs.flatMap((input) => ['-i', input])], env);
  return waitFor(`job ${queued.id} to end`, async () => {
    const job = await cliJson<JobJson>(['jobs', 'show', String(queued.id)], env);
    return isFinal(job.state) ? job : undefined;
  });
};

describe('a module job’s console output', () => {
  it('is its job’s log in botgate serve, and never raw text among the server’s JSON log lines', async () => {
    // One thread, so the second job runs where the first one's late timer is still pending.
    const { env } = await freshEnv({ BOTGATE_CONCURRENCY: '1' });
    const server = await startServer(env);
    try {
      const jobs = [
        await runOnServer(env, 'chatty', ['say=thread one', 'late=true']),
        await runOnServer(env, 'chatty', ['say=thread two', 'ms=50']),
        await runOnServer(env, 'chatty-inline', ['say=inline']),
      ];
      expect(jobs.map((job) => [job.state, job.log])).toEqual([
        ['succeeded', 'hello from thread one\n'],
        ['succeeded', 'hello from thread two\n'],
        ['succeeded', 'hello from inline\n'],
      ]);
      const late = await waitFor('the late output as a log line', async () =>
        server.logLines.find((line) => line.includes('"module output outside a job"')),
      );
      expect(JSON.parse(late)).toEqual({
        level: 40,
        time: expect.any(Number),
        msg: 'module output outside a job',
        text: 'late thread one\n',
      });
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    await new Promise((resolve) =>
      server.process.stdout?.closed ? resolve(undefined) : server.process.stdout?.once('close', resolve),
    );
    for (const line of server.logLines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(server.logLines.join('\n')).not.toContain('hello from');
  });

  it('leaves `botgate run --wait --json` one JSON document when the CLI runs the module itself', async () => {
    const { env } = await freshEnv();
    for (const automationId of ['chatty', 'chatty-inline']) {
      const job = await cliJson<JobJson>(['run', automationId, '-i', `say=${automationId}`, '--wait'], env);
      expect([job.state, job.log]).toEqual(['succeeded', `hello from ${automationId}\n`]);
    }
  });
});
