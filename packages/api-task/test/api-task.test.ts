import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createUsers } from '../src/index.js';
import { allocate, startApiTask } from './helpers.js';

const sleepFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the five steps of the contract', () => {
  it('authenticates, allocates, lists, hands out an execution URL and token, and executes zip-code typed', async () => {
    const api = await startApiTask();
    await createUsers(api.core).add('admin1', 'admin', 'correct horse battery');
    const auth = await api.post('/v1/authentication', { username: 'admin1', password: 'correct horse battery' });
    expect(auth.status).toBe(200);
    expect(auth.body).toEqual({
      token: expect.any(String),
      user: { id: 1, username: 'admin1', roles: [{ id: 1, name: 'admin' }], createdOn: expect.any(String) },
    });
    const token = auth.body.token as string;
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');

    const zip = api.core.catalog.get('zip-code');
    const created = await api.post(
      '/orchestrator/v1/hotbot/config/create',
      { fileId: String(zip.fileId), runAsUserOrNone: 3, concurrencyLimit: 2 },
      token,
      'PUT',
    );
    expect(created).toMatchObject({
      status: 200,
      body: { fileId: String(zip.fileId), runAsUserOrNone: 3, concurrencyLimit: 2 },
    });

    const list = await api.post('/orchestrator/v1/hotbot/config', { page: { offset: 0, length: 100 } }, token);
    expect(list.body).toEqual({
      list: [
        {
          fileId: String(zip.fileId),
          filePath: 'Bots\\zip-code',
          fileName: 'Zip Code API Task',
          runAsUserOrNone: '3',
          concurrencyLimit: 2,
        },
      ],
      page: { offset: 0, total: 1, totalFilter: 1 },
    });

    const access = await api.post(
      '/orchestrator/v1/hotbot/config/accessdetails',
      { botRepositoryPath: ['Bots\\zip-code', 'Bots\\echo', 'Bots\\nothing'] },
      token,
    );
    expect(access.body).toEqual({
      accessDetails: {
        'Bots\\zip-code': {
          url: expect.stringMatching(new RegExp(`^${api.url}/hotbot/[0-9a-f-]{36}/execute$`)),
          headers: { 'X-Authorization': expect.any(String) },
        },
      },
      errors: {
        'Bots\\echo': expect.stringContaining('not allocated'),
        'Bots\\nothing': expect.stringContaining('no API Task'),
      },
    });
    const detail = (access.body.accessDetails as Record<string, { url: string; headers: Record<string, string> }>)[
      'Bots\\zip-code'
    ];

    const executed = await api.post(
      detail?.url as string,
      { botInput: { iStrZipCode: { type: 'STRING', string: '76131' } } },
      detail?.headers['X-Authorization'],
    );
    expect(executed).toMatchObject({
      status: 200,
      body: {
        hotBotResult: {
          botOutput: { State: { type: 'STRING', string: 'California' }, Place: { type: 'STRING', string: 'San Jose' } },
        },
      },
    });
    // Every execution is a job in core, recorded right after the answer.
    const [job] = await (async () => {
      for (;;) {
        const jobs = await api.core.jobs.list({ adapter: 'api-task' });
        if (jobs.length > 0) return jobs;
        await sleepFor(20);
      }
    })();
    expect(job).toMatchObject({
      automationId: 'zip-code',
      state: 'succeeded',
      inputs: { iStrZipCode: { type: 'STRING', value: '76131' } },
      outputs: { State: { type: 'STRING', value: 'California' } },
    });
  });

  it('reads every typed encoding of botInput and answers typed outputs', async () => {
    const api = await startApiTask();
    const echo = await allocate(api, 'echo');
    const botInput = {
      message: { type: 'STRING', string: 'hi' },
      count: { type: 'NUMBER', number: 42 },
      flag: { type: 'BOOLEAN', boolean: true },
      items: {
        type: 'LIST',
        list: [
          { type: 'STRING', string: 'a' },
          { type: 'NUMBER', number: '2' },
        ],
      },
      data: { type: 'DICTIONARY', dictionary: [{ key: 'k', value: { type: 'STRING', string: 'v' } }] },
      when: { type: 'DATETIME', string: '2024-02-19T14:03:18Z' },
    };
    const answer = await api.post(echo.url, { botInput }, echo.token);
    expect(answer.status).toBe(200);
    expect((answer.body.hotBotResult as { botOutput: unknown }).botOutput).toEqual({
      message: { type: 'STRING', string: 'hi' },
      count: { type: 'NUMBER', number: '42' },
      flag: { type: 'BOOLEAN', boolean: true },
      items: {
        type: 'LIST',
        list: [
          { type: 'STRING', string: 'a' },
          { type: 'NUMBER', number: '2' },
        ],
      },
      data: { type: 'DICTIONARY', dictionary: [{ key: 'k', value: { type: 'STRING', string: 'v' } }] },
      when: { type: 'DATETIME', string: '2024-02-19T14:03:18Z' },
    });
  });
});

describe('tokens and roles', () => {
  it('expires tokens, refreshes them while valid, and refuses forged or foreign ones', async () => {
    // Lifetimes long enough for the calls below on a busy 2-core machine (1.5 s was not, once),
    // and the execution token made last, just before its uses.
    const api = await startApiTask({ tokenLifetimeMs: 3000, executionTokenLifetimeMs: 3000 });
    const admin = await api.login('admin');
    const refreshed = await api.post('/v1/authentication/token', { token: admin });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(['token']);
    const zip = await allocate(api, 'zip-code');
    const echo = await allocate(api, 'echo');
    expect((await api.post(echo.url, {}, echo.token)).status).toBe(200);
    // A token for one API Task opens no other.
    expect(await api.post(zip.url, {}, echo.token)).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED', message: 'this token is for another API Task' },
    });
    expect((await api.post(echo.url, {})).status).toBe(401);
    expect((await api.post(echo.url, {}, admin)).status).toBe(401);
    const forged = jwt.sign({ typ: 'hotbot', alloc: echo.url.split('/').at(-2), sub: '1' }, 'not-our-key', {
      algorithm: 'HS256',
      issuer: 'botgate',
    });
    expect((await api.post(echo.url, {}, forged)).status).toBe(401);
    const payload = JSON.parse(Buffer.from(echo.token.split('.')[1] as string, 'base64url').toString()) as object;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    expect((await api.post(echo.url, {}, none)).status).toBe(401);

    await sleepFor(3100);
    expect(await api.post(echo.url, {}, echo.token)).toMatchObject({
      status: 401,
      body: { message: 'the token has expired; authenticate again' },
    });
    expect((await api.post('/v1/authentication/token', { token: admin })).status).toBe(401);
    expect((await api.post('/orchestrator/v1/hotbot/config', {}, refreshed.body.token as string)).status).toBe(401);
  });

  it('lets admins allocate and developers only generate execution URLs', async () => {
    const api = await startApiTask();
    const admin = await api.login('admin');
    const developer = await api.login('developer');
    const fileId = String(api.core.catalog.get('echo').fileId);
    expect(await api.post('/orchestrator/v1/hotbot/config/create', { fileId }, developer, 'PUT')).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await api.post('/orchestrator/v1/hotbot/config', {}, developer)).status).toBe(403);
    expect((await api.post('/orchestrator/v1/hotbot/config/create', { fileId }, admin, 'PUT')).status).toBe(200);
    const access = await api.post(
      '/orchestrator/v1/hotbot/config/accessdetails',
      { botRepositoryPath: ['Bots\\echo'] },
      developer,
    );
    expect(Object.keys(access.body.accessDetails as object)).toEqual(['Bots\\echo']);
    expect((await api.post('/orchestrator/v1/hotbot/config', {}, admin)).status).toBe(200);
  });

  it('rate limits failed logins per user and address', async () => {
    const api = await startApiTask({ loginAttempts: 3 });
    await createUsers(api.core).add('victim', 'developer', 'the real password');
    for (let i = 0; i < 3; i++)
      expect((await api.post('/v1/authentication', { username: 'victim', password: `guess ${i}` })).status).toBe(401);
    const limited = await api.post('/v1/authentication', { username: 'victim', password: 'the real password' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.post('/v1/authentication', { username: 'someone-else', password: 'x' })).status).toBe(401);
  });
});

describe('bad input', () => {
  it('answers every malformed request with its status and a clear message', async () => {
    const api = await startApiTask({ bodyLimit: 2048 });
    const admin = await api.login('admin');
    const zip = await allocate(api, 'zip-code');
    const fileId = String(api.core.catalog.get('echo').fileId);
    const cases: Array<[Promise<{ status: number; body: Record<string, unknown> }>, number, RegExp]> = [
      [api.post('/v1/authentication', { username: 'x' }), 400, /username.*password|apiKey/],
      [api.post('/v1/authentication', '{"username":'), 400, /not valid JSON/],
      [
        api.post('/orchestrator/v1/hotbot/config/create', { fileId: '999999' }, admin, 'PUT'),
        404,
        /no automation has fileId 999999/,
      ],
      [
        api.post('/orchestrator/v1/hotbot/config/create', { fileId, concurrencyLimit: 0 }, admin, 'PUT'),
        400,
        /concurrencyLimit: must be a positive integer/,
      ],
      [
        api.post('/orchestrator/v1/hotbot/config/create', { fileId, concurrencyLimit: 1.5 }, admin, 'PUT'),
        400,
        /concurrencyLimit: must be a positive integer/,
      ],
      [
        api.post('/orchestrator/v1/hotbot/config/create', { fileId, concurrencyLimit: '2' }, admin, 'PUT'),
        400,
        /concurrencyLimit: must be a positive integer/,
      ],
      [
        api.post('/orchestrator/v1/hotbot/config/accessdetails', { botRepositoryPath: 'Bots\\echo' }, admin),
        400,
        /botRepositoryPath/,
      ],
      [api.post(zip.url, '{"botInput":', zip.token), 400, /not valid JSON/],
      [
        api.post(zip.url, { botInput: { zip: { type: 'STRING', string: '1' } } }, zip.token),
        400,
        /variable "zip" is not an input/,
      ],
      [
        api.post(zip.url, { botInput: { iStrZipCode: { type: 'NUMBER', number: '76131' } } }, zip.token),
        400,
        /variable "iStrZipCode": expected STRING, got NUMBER/,
      ],
      [
        api.post(zip.url, { botInput: { iStrZipCode: { type: 'STRING', string: 76131 } } }, zip.token),
        400,
        /variable "iStrZipCode": expected STRING with a "string" text/,
      ],
      [api.post(zip.url, { botInput: {} }, zip.token), 400, /variable "iStrZipCode" is required/],
      [api.post(zip.url, { botInput: [] }, zip.token), 400, /botInput must be an object/],
      [
        api.post(zip.url, { botInput: { iStrZipCode: { type: 'STRING', string: 'x'.repeat(5000) } } }, zip.token),
        413,
        /larger than the limit/,
      ],
    ];
    for (const [answer, status, message] of cases) {
      const { status: got, body } = await answer;
      expect({ got, body }).toMatchObject({ got: status, body: { message: expect.stringMatching(message) } });
    }
    const both = await fetch(zip.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-authorization': zip.token,
        authorization: `Bearer ${zip.token}`,
      },
      body: '{}',
    });
    expect(both.status).toBe(400);
    const bearer = await fetch(zip.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${zip.token}` },
      body: JSON.stringify({ botInput: { iStrZipCode: { string: '10001' } } }),
    });
    expect(bearer.status).toBe(200);
    expect((await fetch(zip.url, { method: 'GET' })).status).toBe(405);
  });

  it('answers a failing automation with its message, not a 500', async () => {
    const api = await startApiTask();
    const zip = await allocate(api, 'zip-code');
    expect(
      await api.post(zip.url, { botInput: { iStrZipCode: { type: 'STRING', string: '00000' } } }, zip.token),
    ).toEqual({
      status: 422,
      body: { code: 'BOT_EXECUTION_FAILED', details: '', message: 'zip code 00000 is not in the table' },
      headers: expect.anything(),
    });
  });
});

describe('limits', () => {
  it('lets 2 of 6 parallel calls run under concurrencyLimit 2 and refuses 4 at once with 429', async () => {
    const api = await startApiTask();
    const sleep = await allocate(api, 'sleep', 2);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.post(sleep.url, { botInput: { seconds: { type: 'NUMBER', number: '1' } } }, sleep.token),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(4);
    expect(refused[0]?.body.message).toMatch(/concurrency limit/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answers.filter((a) => a.status === 200).map((a) => a.body)).toEqual(
      Array(2).fill({ hotBotResult: { botOutput: { slept: { type: 'NUMBER', number: '1' } } } }),
    );
  });

  it('answers 504 past the real-time limit and ends the job timed_out', async () => {
    const api = await startApiTask({ realtimeLimitMs: 500 });
    const sleep = await allocate(api, 'sleep');
    const answer = await api.post(sleep.url, { botInput: { seconds: { type: 'NUMBER', number: '5' } } }, sleep.token);
    expect(answer).toMatchObject({ status: 504, body: { code: 'BOT_EXECUTION_TIMEOUT' } });
    const [job] = await api.core.jobs.list({ adapter: 'api-task' });
    expect(job).toMatchObject({ state: 'timed_out', errorCode: 'TIMEOUT' });
  });
});
