import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery } from '@botgate/testing';
import { makeCatalog, serverEnv, startServer, useWorkspace, waitFor } from './helpers.js';
import { call, emilySkill, executionAccess, stop } from './lifecycle-helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);
const onPostgres = Boolean(process.env.BOTGATE_TEST_DATABASE_URL);

/** Mounting a small tmpfs needs root (CI runs as root); elsewhere the SQLite case is skipped, saying why. */
const canMount = (() => {
  if (onPostgres || process.getuid?.() !== 0) return false;
  const probe = join(root, 'mount-probe');
  mkdirSync(probe, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  }
})();
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', ['-l', dir]);
});

/** Writes zeros until the disk says it is full. */
const fill = (path: string): void => {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(256 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
};

const expectRefusals = async (
  server: { url: string },
  execute: { url: string; token: string },
  uuid: string,
  status: number,
  code: string,
) => {
  const executed = await call(execute.url, {
    body: { botInput: { message: { type: 'STRING', string: 'hi' } } },
    headers: { 'x-authorization': execute.token },
  });
  expect(executed.status).toBe(status);
  expect(executed.body).toMatchObject({ code, details: '' });
  expect(executed.body.message).toMatch(/^botgate cannot record this: /);
  const triggered = await call(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: { message: 'hi' } });
  expect(triggered.status).toBe(status);
  expect(triggered.body).toMatchObject({ error: code });
  expect(triggered.body.message).toMatch(/^botgate cannot record this: /);
  const ready = await call(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({ ready: false });
  expect(ready.body.storage).toMatch(/^botgate cannot record this: /);
};

const expectServing = async (server: { url: string }, execute: { url: string; token: string }, uuid: string) => {
  await waitFor('/readyz to answer 200 again', async () =>
    (await call(`${server.url}/readyz`)).status === 200 ? true : undefined,
  );
  const executed = await call(execute.url, {
    body: { botInput: { message: { type: 'STRING', string: 'back' } } },
    headers: { 'x-authorization': execute.token },
  });
  expect(executed.status).toBe(200);
  expect((await call(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: { message: 'back' } })).status).toBe(
    200,
  );
};

describe('durable or refused', () => {
  it.skipIf(!canMount)(
    'answers 507 on a full disk, turns unready, and serves again once space is freed (SQLite)',
    async () => {
      const dataDir = join(root, 'full-disk');
      mkdirSync(dataDir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dataDir]);
      mounted.push(dataDir);
      const env = await serverEnv(dataDir, catalog);
      const server = await startServer(env);
      try {
        const execute = await executionAccess(server, env, 'echo');
        const uuid = await emilySkill(env, 'echo');
        expect((await call(`${server.url}/readyz`)).status).toBe(200);
        const filler = join(dataDir, 'filler');
        fill(filler);
        await expectRefusals(server, execute, uuid, 507, 'STORAGE_FULL');
        rmSync(filler);
        await expectServing(server, execute, uuid);
      } finally {
        await stop(server);
      }
    },
  );

  it.skipIf(!onPostgres)(
    'answers 503 while the database refuses writes, turns unready, and serves again after (PostgreSQL)',
    async () => {
      const dataDir = join(root, 'read-only');
      const env = await serverEnv(dataDir, catalog);
      const url = env.BOTGATE_DATABASE as string;
      const name = new URL(url).pathname.slice(1);
      // Sessions read the setting when they start: end the server's, so it reconnects under it.
      const readOnly = async (on: boolean) => {
        await adminQuery(
          on
            ? `ALTER DATABASE ${name} SET default_transaction_read_only = on`
            : `ALTER DATABASE ${name} RESET default_transaction_read_only`,
        );
        await adminQuery(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
      };
      const server = await startServer(env);
      try {
        const execute = await executionAccess(server, env, 'echo');
        const uuid = await emilySkill(env, 'echo');
        await readOnly(true);
        // The first call on a connection the server ended may meet the end itself (also a 503).
        await waitFor('writes to be refused as read-only', async () => {
          const answer = await call(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: {} });
          return answer.status === 503 && /25006/.test(answer.body.message) ? true : undefined;
        });
        await expectRefusals(server, execute, uuid, 503, 'STORAGE_UNAVAILABLE');
        await readOnly(false);
        await expectServing(server, execute, uuid);
      } finally {
        await stop(server);
      }
    },
  );
});
