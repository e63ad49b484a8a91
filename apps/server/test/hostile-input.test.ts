import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { cliJson, freshEnvs, makeCatalog, startServer, useWorkspace, waitFor, type RunningServer } from './helpers.js';
import { call, emilySkill, executionAccess, stop } from './lifecycle-helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root, {
  'typed-inputs': {
    from: 'echo',
    manifest: 'run: { module: ./index.mjs, isolation: none }\ninputs:\n  amount: NUMBER\n  due: DATETIME\n',
  },
});
const freshEnv = freshEnvs(root, catalog);

/** JSON text of `{ "<field>": [[[…"bottom"…]]] }`, nested `depth` levels below the field. */
const nested = (field: string, depth: number): string =>
  `{"${field}":${'['.repeat(depth)}"bottom"${']'.repeat(depth)}}`;

const withServer = async (
  extra: Record<string, string>,
  test: (server: RunningServer, env: Record<string, string>, dataDir: string) => Promise<void>,
) => {
  const { dataDir, env } = await freshEnv(extra);
  const server = await startServer(env);
  try {
    await test(server, env, dataDir);
    expect((await call(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    await stop(server);
  }
  expect(server.logLines.filter((line) => line.includes('"level":50'))).toEqual([]);
};

describe('request bounds', () => {
  it('answers JSON nested past jsonDepth 400 on every adapter, in its own error shape', async () => {
    await withServer({}, async (server, env) => {
      const uuid = await emilySkill(env, 'echo');
      const emily = await call(`${server.url}/api?uuid=${uuid}`, { json: nested('message', 2000) });
      expect(emily).toEqual({
        status: 400,
        body: { error: 'BAD_REQUEST', message: 'the JSON body nests deeper than 64 levels, the limit (jsonDepth)' },
      });

      const access = await executionAccess(server, env, 'echo');
      const list = `${'{"type":"LIST","list":['.repeat(2000)}{"type":"STRING","string":"bottom"}${']}'.repeat(2000)}`;
      const aa = await call(access.url, {
        json: `{"botInput":{"message":${list}}}`,
        headers: { 'x-authorization': access.token },
      });
      expect(aa).toEqual({
        status: 400,
        body: {
          code: 'BAD_REQUEST',
          details: '',
          message: 'the JSON body nests deeper than 64 levels, the limit (jsonDepth)',
        },
      });

      const robocorp = await cliJson<{ secret: string; processId: string; workspaceId: string }>(
        ['process-api', 'secret', 'echo'],
        env,
      );
      const run = await call(
        `${server.url}/workspace-v1/workspaces/${robocorp.workspaceId}/processes/${robocorp.processId}/runs`,
        {
          json: nested('message', 5000),
          headers: { 'robocloud-process-secret': robocorp.secret },
        },
      );
      expect(run).toEqual({
        status: 400,
        body: { error: 'BAD_REQUEST', message: 'the JSON body nests deeper than 64 levels, the limit (jsonDepth)' },
      });

      // Within the limit, nesting is data.
      expect((await call(`${server.url}/api?uuid=${uuid}`, { json: nested('payload', 30) })).status).toBe(200);
    });
  });

  it('refuses a request whose files together pass uploadTotalLimit with 413, keeping nothing of it', async () => {
    await withServer(
      { BOTGATE_UPLOAD_LIMIT: String(1024 * 1024), BOTGATE_UPLOAD_TOTAL_LIMIT: String(3 * 1024 * 1024) },
      async (server, env, dataDir) => {
        const uuid = await emilySkill(env, 'file-report');
        const form = new FormData();
        for (let i = 0; i < 6; i++) form.append(`file${i}`, new Blob([Buffer.alloc(900 * 1024, i)]), `part-${i}.bin`);
        const response = await fetch(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: form });
        expect(response.status).toBe(413);
        expect(await response.json()).toEqual({
          error: 'PAYLOAD_TOO_LARGE',
          message: `upload refused: the request's files are over ${3 * 1024 * 1024} bytes together (uploadTotalLimit)`,
        });
        await waitFor('the refused upload to be removed', async () =>
          readdirSync(join(dataDir, 'uploads')).length === 0 ? true : undefined,
        );
        const jobs = await cliJson<unknown[]>(['jobs', 'list'], env);
        expect(jobs).toEqual([]);

        const fits = new FormData();
        for (let i = 0; i < 3; i++) fits.append(`file${i}`, new Blob([Buffer.alloc(900 * 1024, i)]), `part-${i}.bin`);
        expect((await fetch(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: fits })).status).toBe(200);
      },
    );
  });

  it('drops a client that sends its headers a byte at a time once headersTimeout has passed, serving others meanwhile', async () => {
    await withServer({ BOTGATE_HEADERS_TIMEOUT: '2s' }, async (server) => {
      const socket = connect(server.port, '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      const header = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(100);
      let sent = 0;
      const drip = setInterval(() => {
        if (sent < header.length && !socket.destroyed) socket.write(header[sent++] as string);
      }, 1000);
      try {
        for (let i = 0; i < 3; i++) expect((await call(`${server.url}/healthz`)).status).toBe(200);
        // Dropped long before the 100-odd seconds its headers would take.
        await Promise.race([
          closed,
          new Promise((_resolve, reject) =>
            setTimeout(() => reject(new Error('the slow client was not dropped')), 10_000),
          ),
        ]);
        expect(sent).toBeLessThan(12);
      } finally {
        clearInterval(drip);
        socket.destroy();
      }
    });
  });
});

describe('names are data', () => {
  it('keeps fields named after Object.prototype, __proto__ included, as ordinary EMILY fields', async () => {
    await withServer({}, async (server, env) => {
      const uuid = await emilySkill(env, 'echo');
      const query = await call(`${server.url}/api?uuid=${uuid}&constructor=a&toString=b&__proto__=c`);
      const json = await call(`${server.url}/api?uuid=${uuid}`, {
        body: JSON.parse('{"hasOwnProperty":"d","__proto__":"e","constructor":"f"}'),
      });
      const form = await fetch(`${server.url}/api?uuid=${uuid}`, {
        method: 'POST',
        body: new URLSearchParams([
          ['constructor', 'g'],
          ['__proto__', 'h'],
        ]),
      });
      expect([query.status, json.status, form.status]).toEqual([200, 200, 200]);
      const jobs = await cliJson<Array<{ inputs: Record<string, { value: string }> }>>(['jobs', 'list'], env);
      const fields = jobs.reverse().map((job) =>
        Object.entries(job.inputs)
          .filter(([name]) => name !== 'message' && name !== 'count')
          .map(([name, value]) => `${name}=${value.value}`)
          .sort(),
      );
      expect(fields).toEqual([
        ['__proto__=c', 'constructor=a', 'toString=b'],
        ['__proto__=e', 'constructor=f', 'hasOwnProperty=d'],
        ['__proto__=h', 'constructor=g'],
      ]);
    });
  });

  it('refuses an Automation Anywhere variable named after Object.prototype as unknown, naming it', async () => {
    await withServer({}, async (server, env) => {
      const access = await executionAccess(server, env, 'zip-code');
      const answer = await call(access.url, {
        body: {
          botInput: { iStrZipCode: { type: 'STRING', string: '76131' }, constructor: { type: 'STRING', string: 'x' } },
        },
        headers: { 'x-authorization': access.token },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'UNKNOWN_VARIABLE', details: 'constructor' });
      expect(answer.body.message).toMatch(/^variable "constructor" is not an input of this automation/);
    });
  });
});

describe('upload names', () => {
  it('refuses an upload with no usable name, naming it, and strips bidirectional controls from stored names', async () => {
    await withServer({}, async (server, env, dataDir) => {
      const uuid = await emilySkill(env, 'file-report');
      const bad = new FormData();
      bad.append('ok', new Blob(['a']), 'fine.txt');
      bad.append('dots', new Blob(['b']), '...');
      const refused = await fetch(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: bad });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: 'INVALID_FILE',
        message: 'the upload named "..." has no usable file name',
      });
      await waitFor('the refused upload to be removed', async () =>
        readdirSync(join(dataDir, 'uploads')).length === 0 ? true : undefined,
      );
      expect(
        readdirSync(join(dataDir, 'jobs'), { withFileTypes: true }).filter((entry) => entry.isDirectory()),
      ).toEqual([]);

      const tricky = new FormData();
      tricky.append('file', new Blob(['c']), 'invoice\u202efdp.exe');
      expect((await fetch(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: tricky })).status).toBe(200);
      const [job] = await cliJson<Array<{ inputFiles: Array<{ name: string }> }>>(['jobs', 'list'], env);
      expect(job?.inputFiles.map((file) => file.name)).toEqual(['invoicefdp.exe']);
    });
  });
});

describe('values', () => {
  it('takes only finite NUMBERs and real calendar DATETIMEs, naming the variable', async () => {
    await withServer({}, async (server, env) => {
      const access = await executionAccess(server, env, 'typed-inputs');
      const send = (amount: unknown, due: unknown) =>
        call(access.url, { body: { botInput: { amount, due } }, headers: { 'x-authorization': access.token } });
      const infinite = await send(
        { type: 'NUMBER', number: '1e999' },
        { type: 'DATETIME', string: '2026-12-01T10:00:00Z' },
      );
      expect(infinite).toMatchObject({ status: 400, body: { code: 'INVALID_VARIABLE', details: 'amount' } });
      const february = await send({ type: 'NUMBER', number: '12.50' }, { type: 'DATETIME', string: '2026-02-30' });
      expect(february).toMatchObject({ status: 400, body: { code: 'INVALID_VARIABLE', details: 'due' } });
      expect(
        (await send({ type: 'NUMBER', number: '12.50' }, { type: 'DATETIME', string: '2028-02-29T10:00:00+02:00' }))
          .status,
      ).toBe(200);
    });
  });
});

describe('a NUL in the URL', () => {
  it('answers a path or query value holding %00 400 on every adapter, in its own error shape, before any lookup', async () => {
    await withServer({}, async (server, env) => {
      const message = 'the URL holds a NUL character (%00), which no path or query value may hold';
      const uuid = await emilySkill(env, 'echo');
      const access = await executionAccess(server, env, 'echo');
      const robocorp = await cliJson<{ secret: string; processId: string; workspaceId: string }>(
        ['process-api', 'secret', 'echo'],
        env,
      );
      const legacy = `${server.url}/workspace-v1/workspaces/${robocorp.workspaceId}/processes`;
      const secret = { 'robocloud-process-secret': robocorp.secret };
      const answers = {
        emilyTrigger: await call(`${server.url}/api?uuid=%00`),
        emilyStatus: await call(`${server.url}/api/job?uuid=${uuid}%00&msUnixTime=1`),
        robocorpStatusNoSecret: await call(`${legacy}/${robocorp.processId}/runs/%00`),
        robocorpStatus: await call(`${legacy}/${robocorp.processId}/runs/a%00b`, { headers: secret }),
        robocorpProcess: await call(`${legacy}/%00/runs`, { body: {}, headers: secret }),
        execute: await call(access.url.replace(/\/hotbot\/[^/]+\//, '/hotbot/%00/'), {
          body: { botInput: {} },
          headers: { 'x-authorization': access.token },
        }),
        console: (await call(`${server.url}/console/api/jobs?automationId=%00`)).status,
      };
      const robocorpShape = { status: 400, body: { error: 'BAD_REQUEST', message } };
      expect(answers).toEqual({
        emilyTrigger: { status: 400, body: { error: 'BAD_REQUEST', message } },
        emilyStatus: { status: 400, body: { error: 'BAD_REQUEST', message } },
        robocorpStatusNoSecret: robocorpShape,
        robocorpStatus: robocorpShape,
        robocorpProcess: robocorpShape,
        execute: { status: 400, body: { code: 'BAD_REQUEST', details: '', message } },
        console: 400,
      });
      // The same calls without the NUL are answered as before.
      expect((await call(`${server.url}/api?uuid=${uuid}`)).status).toBe(200);
      // In a body, a NUL is data; where it is looked up as text (a user name), PostgreSQL cannot
      // hold it, and the answer is 400 in the contract's shape (SQLite finds no such user).
      const signIn = await call(`${server.url}/v1/authentication`, { body: { username: 'a\u0000', password: 'x' } });
      expect(signIn).toEqual(
        process.env.BOTGATE_TEST_DATABASE_URL
          ? {
              status: 400,
              body: {
                code: 'INVALID_TEXT',
                details: '',
                message: 'a text value holds a NUL character (\\u0000), which botgate cannot store or look up',
              },
            }
          : { status: 401, body: expect.objectContaining({ code: 'UNAUTHORIZED' }) },
      );
    });
  });
});

describe('clients that go away', () => {
  it('notes an aborted upload or body at info with its real path, keeping nothing of it', async () => {
    await withServer({}, async (server, env, dataDir) => {
      const uuid = await emilySkill(env, 'file-report');
      const parts = [
        [
          'multipart/form-data; boundary=XX',
          `--XX\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\n${'x'.repeat(200_000)}`,
        ],
        ['application/json', `{"message":"${'x'.repeat(200_000)}`],
      ];
      for (const [type, body] of parts) {
        const socket = connect(server.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(
          `POST /api?uuid=${uuid} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: 900000\r\n\r\n${body}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        socket.destroy();
      }
      const noted = await waitFor('both aborts to be noted', async () => {
        const lines = server.logLines
          .map((line) => JSON.parse(line) as { level: number; msg: string; path?: string })
          .filter((entry) => entry.msg === 'the client closed the connection before its request was read');
        return lines.length === 2 ? lines : undefined;
      });
      expect(noted.map(({ level, path }) => ({ level, path }))).toEqual([
        { level: 30, path: '/api' },
        { level: 30, path: '/api' },
      ]);
      await waitFor('the aborted upload to be removed', async () =>
        readdirSync(join(dataDir, 'uploads')).length === 0 ? true : undefined,
      );
      expect(await cliJson<unknown[]>(['jobs', 'list'], env)).toEqual([]);
    });
  });
});

/** A multipart body by hand: names and framing a browser's FormData would never send. */
const multipart = (boundary: string, parts: Array<{ name: string; filename: string; content: string }>) =>
  parts
    .map(
      (part) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: text/plain\r\n\r\n${part.content}\r\n`,
    )
    .join('') + `--${boundary}--\r\n`;

describe('probes that already passed', () => {
  it('keeps uploads named with paths inside the job folder, and refuses oversize and truncated uploads', async () => {
    await withServer({ BOTGATE_UPLOAD_LIMIT: '65536' }, async (server, env, dataDir) => {
      const uuid = await emilySkill(env, 'file-report');
      const send = (body: string, boundary = 'b0undary') =>
        fetch(`${server.url}/api?uuid=${uuid}`, {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          body,
        });
      const traversal = await send(
        multipart('b0undary', [
          { name: 'a', filename: '../../evil.txt', content: 'a' },
          { name: 'b', filename: '/etc/passwd', content: 'b' },
          { name: 'c', filename: '..\\..\\win.txt', content: 'c' },
        ]),
      );
      expect(traversal.status).toBe(200);
      const [job] = await cliJson<Array<{ inputFiles: Array<{ name: string }>; workDir: string }>>(
        ['jobs', 'list'],
        env,
      );
      expect(job?.inputFiles.map((file) => file.name).sort()).toEqual(['evil.txt', 'passwd', 'win.txt']);
      // Each stored once, inside the job's folder, and nowhere else under the test's folders.
      const found = (readdirSync(root, { recursive: true }) as string[]).filter((path) =>
        /(^|\/)(evil|win)\.txt$|(^|\/)passwd$/.test(path),
      );
      expect(found.every((path) => path.startsWith(`${dataDir.slice(root.length + 1)}/jobs/`))).toBe(true);
      expect(found).toHaveLength(3);

      const oversize = await send(
        multipart('b0undary', [{ name: 'big', filename: 'big.bin', content: 'x'.repeat(70_000) }]),
      );
      expect(oversize.status).toBe(413);
      expect(await oversize.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
      const truncated = await send(
        multipart('b0undary', [{ name: 'f', filename: 'part.txt', content: 'x'.repeat(5000) }]).slice(0, 3000),
      );
      expect(truncated.status).toBe(400);
      expect(await truncated.json()).toMatchObject({ error: 'BAD_REQUEST' });
      await waitFor('refused uploads to be removed', async () =>
        readdirSync(join(dataDir, 'uploads')).length === 0 ? true : undefined,
      );
      expect(await cliJson<unknown[]>(['jobs', 'list'], env)).toHaveLength(1);
    });
  });

  it('refuses forged, alg none, expired and cross-allocation execution tokens, and secrets of another process', async () => {
    await withServer({}, async (server, env, dataDir) => {
      const echo = await executionAccess(server, env, 'echo');
      const zip = await executionAccess(server, env, 'zip-code');
      const execute = (url: string, token: string) =>
        call(url, { body: { botInput: {} }, headers: { 'x-authorization': token } });
      const claims = jwt.decode(echo.token) as Record<string, unknown>;
      const key = Buffer.from(readFileSync(join(dataDir, 'api-task-jwt.key'), 'utf8').trim(), 'base64url');
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      const refusals = {
        forged: await execute(echo.url, jwt.sign(claims, 'not-the-key', { algorithm: 'HS256' })),
        algNone: await execute(echo.url, unsigned),
        expired: await execute(
          echo.url,
          jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, key, { algorithm: 'HS256' }),
        ),
        crossAllocation: await execute(zip.url, echo.token),
      };
      expect(refusals).toEqual({
        forged: { status: 401, body: { code: 'UNAUTHORIZED', details: '', message: 'the token is not valid' } },
        algNone: { status: 401, body: { code: 'UNAUTHORIZED', details: '', message: 'the token is not valid' } },
        expired: {
          status: 401,
          body: { code: 'UNAUTHORIZED', details: '', message: 'the token has expired; authenticate again' },
        },
        crossAllocation: {
          status: 401,
          body: { code: 'UNAUTHORIZED', details: '', message: 'this token is for another API Task' },
        },
      });

      const one = await cliJson<{ secret: string; processId: string; workspaceId: string }>(
        ['process-api', 'secret', 'echo'],
        env,
      );
      const other = await cliJson<{ secret: string; processId: string }>(['process-api', 'secret', 'zip-code'], env);
      const run = await call(
        `${server.url}/workspace-v1/workspaces/${one.workspaceId}/processes/${one.processId}/runs`,
        { body: {}, headers: { 'robocloud-process-secret': other.secret } },
      );
      expect(run).toEqual({
        status: 403,
        body: { error: 'FORBIDDEN', message: 'the secret is not valid for this process' },
      });
    });
  });
});
