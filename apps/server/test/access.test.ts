import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, freshEnvs, makeCatalog, startServer, useWorkspace, type RunningServer } from './helpers.js';
import { call, executionAccess, stop } from './lifecycle-helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);
const freshEnv = freshEnvs(root, catalog);

const echoInput = { botInput: { message: { type: 'STRING', string: 'hi' } } };

/** Everything one api-task user holds: a user token, an execution token, a console session. */
const holdings = async (
  server: RunningServer,
  env: Record<string, string>,
  username: string,
  role: 'admin' | 'developer',
) => {
  const password = `${username}-password`;
  const { apiKey } = await cliJson<{ apiKey: string }>(
    ['users', 'add', username, '--role', role, '--password', password],
    env,
  );
  const auth = await call(`${server.url}/v1/authentication`, { body: { username, password } });
  expect(auth.status).toBe(200);
  const access = await call(`${server.url}/orchestrator/v1/hotbot/config/accessdetails`, {
    body: { botRepositoryPath: ['Bots\\echo'] },
    headers: { 'x-authorization': auth.body.token },
  });
  const detail = access.body.accessDetails['Bots\\echo'];
  const login = await fetch(`${server.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return {
    apiKey,
    password,
    userToken: auth.body.token as string,
    execution: { url: detail.url as string, token: detail.headers['X-Authorization'] as string },
    cookie,
  };
};

type Holdings = Awaited<ReturnType<typeof holdings>>;

/** The status each credential gets on `server` now: the user token on accessdetails, the execution token on execute, the console session. */
const statuses = async (server: RunningServer, held: Holdings) => {
  const details = await call(`${server.url}/orchestrator/v1/hotbot/config/accessdetails`, {
    body: { botRepositoryPath: ['Bots\\echo'] },
    headers: { 'x-authorization': held.userToken },
  });
  const executed = await call(held.execution.url.replace(/^http:\/\/[^/]+/, server.url), {
    body: echoInput,
    headers: { 'x-authorization': held.execution.token },
  });
  const session = await fetch(`${server.url}/console/api/session`, { headers: { cookie: held.cookie } });
  return { userToken: details.status, executionToken: executed.status, consoleSession: session.status };
};

const allGranted = { userToken: 200, executionToken: 200, consoleSession: 200 };
const allRefused = { userToken: 401, executionToken: 401, consoleSession: 401 };

/** Two nodes on one database (on SQLite, two processes on one file), with echo allocated. */
const twoNodes = async (
  test: (a: RunningServer, b: RunningServer, env: Record<string, string>, dataDir: string) => Promise<void>,
) => {
  const { dataDir, env } = await freshEnv();
  const a = await startServer(env);
  const b = await startServer(env);
  try {
    await executionAccess(a, env, 'echo');
    await test(a, b, env, dataDir);
  } finally {
    await Promise.all([stop(a), stop(b)]);
  }
};

describe('access ends when its record changes, on every node', () => {
  it('refuses a removed user token, execution token and console session on the next call, on the other node too', async () => {
    await twoNodes(async (a, b, env) => {
      const ada = await holdings(a, env, 'ada', 'developer');
      const grace = await holdings(a, env, 'grace', 'developer');
      expect(await statuses(a, ada)).toEqual(allGranted);
      expect(await statuses(b, ada)).toEqual(allGranted);

      // Removed through the console of node A: node B refuses on its very next calls.
      const admin = await holdings(a, env, 'root', 'admin');
      const csrf = (
        (await (await fetch(`${a.url}/console/api/session`, { headers: { cookie: admin.cookie } })).json()) as {
          csrfToken: string;
        }
      ).csrfToken;
      expect(
        (
          await fetch(`${a.url}/console/api/users/ada`, {
            method: 'DELETE',
            headers: { cookie: admin.cookie, 'x-csrf-token': csrf },
          })
        ).status,
      ).toBe(204);
      expect(await statuses(b, ada)).toEqual(allRefused);
      expect(await statuses(a, ada)).toEqual(allRefused);
      const refused = await call(`${b.url}/orchestrator/v1/hotbot/config/accessdetails`, {
        body: { botRepositoryPath: ['Bots\\echo'] },
        headers: { 'x-authorization': ada.userToken },
      });
      expect(refused.body).toEqual({
        code: 'UNAUTHORIZED',
        details: '',
        message: 'the user of this token no longer exists',
      });
      // Removed by the CLI, another process on the same database.
      expect((await cli(['users', 'remove', 'grace'], env)).code).toBe(0);
      expect(await statuses(b, grace)).toEqual(allRefused);
      // A new user who gets the removed one's id (SQLite reuses it) does not revive the old tokens.
      await cliJson(['users', 'add', 'grace2', '--role', 'developer'], env);
      expect(await statuses(a, grace)).toEqual(allRefused);
      expect(await statuses(b, admin)).toEqual(allGranted);
    });
  });

  it('ends what a user holds when its role, password or API key changes, or it is signed out everywhere', async () => {
    await twoNodes(async (a, b, env) => {
      for (const [name, change] of [
        ['role', ['users', 'update', 'u-role', '--role', 'admin']],
        ['password', ['users', 'update', 'u-password', '--password', 'a-new-password']],
        ['key', ['users', 'new-key', 'u-key']],
        ['sign-out', ['users', 'sign-out', 'u-sign-out']],
      ] as const) {
        const held = await holdings(a, env, `u-${name}`, 'developer');
        expect(await statuses(b, held)).toEqual(allGranted);
        const changed = await cli([...change], env);
        expect(changed.code, changed.stderr).toBe(0);
        expect({ name, ...(await statuses(b, held)) }).toEqual({ name, ...allRefused });
        expect((await call(`${b.url}/v1/authentication/token`, { body: { token: held.userToken } })).status).toBe(401);
        // Signing in again works, with what is current.
        const again = await call(`${b.url}/v1/authentication`, {
          body: { username: `u-${name}`, password: name === 'password' ? 'a-new-password' : held.password },
        });
        expect(again.status).toBe(200);
        expect(again.body.user.roles[0].name).toBe(name === 'role' ? 'admin' : 'developer');
      }
      // The old key is refused after new-key; the new one printed once works.
      const fresh = await cliJson<{ apiKey: string }>(['users', 'new-key', 'u-key'], env);
      expect(
        (await call(`${b.url}/v1/authentication`, { body: { username: 'u-key', apiKey: fresh.apiKey } })).status,
      ).toBe(200);
    });
  });

  it('ends a console session at sign-out: the old cookie is refused, on every node', async () => {
    await twoNodes(async (a, b, env) => {
      const held = await holdings(a, env, 'ada', 'developer');
      const second = await holdings(a, env, 'ada2', 'developer');
      expect(
        (await fetch(`${b.url}/console/api/logout`, { method: 'POST', headers: { cookie: held.cookie } })).status,
      ).toBe(204);
      for (const node of [a, b]) {
        const after = await fetch(`${node.url}/console/api/session`, { headers: { cookie: held.cookie } });
        expect(after.status).toBe(401);
        expect(await after.json()).toEqual({
          error: 'UNAUTHORIZED',
          message: 'this token was signed out; authenticate again',
        });
      }
      // Only that session: the user's tokens and other sessions go on.
      const rest = await statuses(a, held);
      expect(rest).toEqual({ ...allGranted, consoleSession: 401 });
      expect(await statuses(b, second)).toEqual(allGranted);
    });
  });

  it('refuses a token logged out on one node on the other too, and validate says so there', async () => {
    await twoNodes(async (a, b, env) => {
      const held = await holdings(a, env, 'ada', 'developer');
      const validate = async (node: RunningServer) =>
        (await call(`${node.url}/v1/authentication/token?token=${held.userToken}`)).body;
      expect([await validate(a), await validate(b)]).toEqual([{ valid: true }, { valid: true }]);
      const out = await fetch(`${a.url}/v1/authentication/logout`, {
        method: 'POST',
        headers: { 'x-authorization': held.userToken },
      });
      expect(out.status).toBe(204);
      expect(await validate(b)).toEqual({ valid: false });
      expect(await statuses(b, held)).toEqual({ ...allGranted, userToken: 401 });
    });
  });

  it('takes roles from the user record, never from the token, and refuses a token naming no user', async () => {
    await twoNodes(async (a, _b, env, dataDir) => {
      const dev = await holdings(a, env, 'dev', 'developer');
      const key = Buffer.from(readFileSync(join(dataDir, 'api-task-jwt.key'), 'utf8').trim(), 'base64url');
      const claims = jwt.decode(dev.userToken) as Record<string, unknown>;
      const forge = (changes: Record<string, unknown>) =>
        jwt.sign({ ...claims, ...changes }, key, { algorithm: 'HS256' });
      const list = (token: string) =>
        call(`${a.url}/orchestrator/v1/hotbot/config`, { body: {}, headers: { 'x-authorization': token } });
      // Signed with the real key, claiming admin: the record says developer.
      expect(await list(forge({ role: 'admin' }))).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN', message: 'allocating API Tasks needs the admin role; dev is developer' },
      });
      expect(await list(forge({ sub: '99999' }))).toMatchObject({
        status: 401,
        body: { message: 'the user of this token no longer exists' },
      });
      expect(await list(forge({ ver: 'made-up' }))).toMatchObject({
        status: 401,
        body: { message: "this token was issued before the user's role or credentials changed; authenticate again" },
      });
      // Promoted in the record: the same token now may.
      await cli(['users', 'update', 'dev', '--role', 'admin'], env);
      const again = await call(`${a.url}/v1/authentication`, { body: { username: 'dev', password: dev.password } });
      expect((await list(again.body.token)).status).toBe(200);
    });
  });

  it('refuses the execution tokens of an allocation once it is removed, on every node', async () => {
    await twoNodes(async (a, b, env) => {
      const held = await holdings(a, env, 'ada', 'developer');
      expect(
        (
          await call(held.execution.url.replace(/^http:\/\/[^/]+/, b.url), {
            body: echoInput,
            headers: { 'x-authorization': held.execution.token },
          })
        ).status,
      ).toBe(200);
      const automations = await cliJson<Array<{ id: string; fileId: number }>>(['automations', 'list'], env);
      const echo = automations.find((x) => x.id === 'echo');
      expect((await cli(['api-task', 'deallocate', String(echo?.fileId)], env)).code).toBe(0);
      const refused = await call(held.execution.url.replace(/^http:\/\/[^/]+/, b.url), {
        body: echoInput,
        headers: { 'x-authorization': held.execution.token },
      });
      expect(refused).toEqual({
        status: 404,
        body: { code: 'NOT_FOUND', details: '', message: 'this API Task is not allocated (any more)' },
      });
    });
  });
});

describe('Process API credentials end when rotated or removed, on every node', () => {
  it('refuses an old process secret after rotation and a removed workspace key on the next call of the other node', async () => {
    await twoNodes(async (a, b, env) => {
      const first = await cliJson<{ secret: string; processId: string; workspaceId: string }>(
        ['process-api', 'secret', 'echo'],
        env,
      );
      const key = await cliJson<{ key: string }>(
        ['process-api', 'key', 'add', 'ci', '--permissions', 'trigger_processes,read_runs'],
        env,
      );
      const legacy = (node: RunningServer, secret: string) =>
        call(`${node.url}/workspace-v1/workspaces/${first.workspaceId}/processes/${first.processId}/runs`, {
          body: { message: 'hi' },
          headers: { 'robocloud-process-secret': secret },
        });
      const v1 = (node: RunningServer) =>
        call(`${node.url}/process-v1/workspaces/${first.workspaceId}/processes/${first.processId}/runs`, {
          body: { message: 'hi' },
          headers: { authorization: `RC-WSKEY ${key.key}` },
        });
      const started = await legacy(a, first.secret);
      expect([started.status, (await v1(b)).status]).toEqual([200, 200]);
      // The run's status, whose lookup reads the processes' stamp in its own statement.
      const status = async (node: RunningServer, secret: string) =>
        (
          await call(
            `${node.url}/workspace-v1/workspaces/${first.workspaceId}/processes/${first.processId}/runs/${started.body.processRunId}`,
            { headers: { 'robocloud-process-secret': secret } },
          )
        ).status;
      expect([await status(a, first.secret), await status(b, first.secret)]).toEqual([200, 200]);
      const rotated = await cliJson<{ secret: string }>(['process-api', 'secret', 'echo'], env);
      expect([await status(a, first.secret), await status(b, first.secret)]).toEqual([403, 403]);
      expect([await status(a, rotated.secret), await status(b, rotated.secret)]).toEqual([200, 200]);
      expect((await legacy(b, first.secret)).status).toBe(403);
      expect((await legacy(b, rotated.secret)).status).toBe(200);
      // Rotated, then deleted, by node A's console (a node that has its processes in memory):
      // node B, which read the process on its last call, refuses the old secret on its next one.
      const admin = await holdings(a, env, 'root', 'admin');
      const session = (await (
        await fetch(`${a.url}/console/api/session`, { headers: { cookie: admin.cookie } })
      ).json()) as {
        csrfToken: string;
      };
      const consoleSecret = (method: string) =>
        fetch(`${a.url}/console/api/automations/echo/process-api/secret`, {
          method,
          headers: { cookie: admin.cookie, 'x-csrf-token': session.csrfToken },
        });
      const fromConsole = (await (await consoleSecret('POST')).json()) as { secret: string };
      expect((await legacy(b, rotated.secret)).status).toBe(403);
      expect([await status(b, rotated.secret), await status(b, fromConsole.secret)]).toEqual([403, 200]);
      expect((await legacy(b, fromConsole.secret)).status).toBe(200);
      expect((await consoleSecret('DELETE')).status).toBeLessThan(300);
      expect(await status(b, fromConsole.secret)).toBe(403);
      expect((await legacy(b, fromConsole.secret)).status).toBe(403);
      expect((await cli(['process-api', 'key', 'remove', 'ci'], env)).code).toBe(0);
      expect(await v1(a)).toEqual({
        status: 403,
        body: { error: 'FORBIDDEN', message: 'the workspace key is not valid' },
      });
    });
  });
});

describe('an EMILY skill ends when removed, on every node', () => {
  it('refuses a skill the CLI removed on the next call of each node, and takes it again when re-added', async () => {
    await twoNodes(async (a, b, env) => {
      const { uuid } = await cliJson<{ uuid: string }>(['local-api', 'add', 'echo'], env);
      const trigger = async (node: RunningServer) => (await fetch(`${node.url}/api?uuid=${uuid}&message=hi`)).status;
      // Twice each: the second call answers from what the first one read.
      expect([await trigger(a), await trigger(b), await trigger(a), await trigger(b)]).toEqual([200, 200, 200, 200]);
      expect((await cli(['local-api', 'remove', 'echo'], env)).code).toBe(0);
      expect([await trigger(a), await trigger(b)]).toEqual([404, 404]);
      expect((await cli(['local-api', 'add', 'echo'], env)).code).toBe(0);
      expect([await trigger(a), await trigger(b)]).toEqual([200, 200]);
    });
  });
});

describe('sign-in limits', () => {
  it('answers 429 with Retry-After to one address trying many user names, on every node', async () => {
    await twoNodes(async (a, b, env) => {
      await cliJson(['users', 'add', 'real', '--role', 'developer', '--password', 'real-password'], env);
      const statusesSeen: number[] = [];
      for (let i = 0; i < 30; i++) {
        const node = i % 2 === 0 ? a : b;
        statusesSeen.push(
          (await call(`${node.url}/v1/authentication`, { body: { username: `guess-${i}`, password: 'Winter2026!' } }))
            .status,
        );
      }
      // 20 failures from the address across users (loginAttemptsPerAddress), counted by both nodes together.
      expect(statusesSeen.slice(0, 20)).toEqual(Array(20).fill(401));
      expect(new Set(statusesSeen.slice(20))).toEqual(new Set([429]));
      const limited = await fetch(`${b.url}/v1/authentication`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'real', password: 'real-password' }),
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringMatching(/^too many failed sign-ins; try again in \d+ s$/),
      });
      // The console's sign-in is the same limit.
      expect(
        (
          await fetch(`${a.url}/console/api/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'real', password: 'real-password' }),
          })
        ).status,
      ).toBe(429);
    });
  });

  it('limits failures per user from one address and per user from all, shared by the nodes', async () => {
    // Listening on both stacks, the test has two addresses: 127.0.0.1 (seen as ::ffff:127.0.0.1) and ::1.
    const { env } = await freshEnv({ BOTGATE_HOST: '::', BOTGATE_API_TASK_LOGIN_ATTEMPTS_PER_USER: '6' });
    const a = await startServer(env);
    const b = await startServer(env);
    try {
      await cliJson(['users', 'add', 'target', '--role', 'developer', '--password', 'target-password'], env);
      const tries = async (url: string, n: number) => {
        const seen: number[] = [];
        for (let i = 0; i < n; i++)
          seen.push(
            (await call(`${url}/v1/authentication`, { body: { username: 'target', password: `wrong-${i}` } })).status,
          );
        return seen;
      };
      // Five from one address, counted by both nodes together: the sixth is refused.
      expect([...(await tries(a.url, 3)), ...(await tries(b.url, 2)), ...(await tries(a.url, 1))]).toEqual([
        401, 401, 401, 401, 401, 429,
      ]);
      // Another address may try until the user's own count (6) is spent, then it is refused too, right password or not.
      const other = `http://[::1]:${b.port}`;
      expect(await tries(other, 2)).toEqual([401, 429]);
      expect(
        (await call(`${other}/v1/authentication`, { body: { username: 'target', password: 'target-password' } }))
          .status,
      ).toBe(429);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  });
});
