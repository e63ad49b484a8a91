import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { multipart, startLocalApi, waitFor, waitForFinal } from './helpers.js';

const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, unknown>,
});

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];

describe('the contract', () => {
  it('GET /api answers the queue overview', async () => {
    const api = await startLocalApi({ userId: 'robot-7' });
    expect(await json(await fetch(`${api.url}/api`))).toEqual({
      status: 200,
      body: { userId: 'robot-7', executing: false, waiting: 0, finished: 0 },
    });
    const uuid = await api.uuidOf('echo');
    const { body } = await json(await fetch(`${api.url}/api?uuid=${uuid}`));
    const job = await waitForFinal(api.core, (await api.core.jobs.list())[0]?.id as number);
    expect(job.state).toBe('succeeded');
    expect(body.msUnixTime).toMatch(/^\d{13}$/);
    expect((await json(await fetch(`${api.url}/api`))).body).toEqual({
      userId: 'robot-7',
      executing: false,
      waiting: 0,
      finished: 1,
    });
  });

  it('runs the Postman flow: keyword.txt and invoice.png land in the working folder and file-report lists them', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('file-report');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const form = new FormData();
    form.append('file1', new Blob(['wikipedia']), 'keyword.txt');
    form.append('file2', new Blob([png]), 'invoice.png');
    const trigger = await json(await fetch(`${api.url}/api?uuid=${uuid}`, { method: 'POST', body: form }));
    expect(trigger.status).toBe(200);
    expect(Object.keys(trigger.body)).toEqual(['msUnixTime']);
    expect(trigger.body.msUnixTime).toMatch(/^\d+$/);
    const [job] = await api.core.jobs.list();
    expect(readFileSync(join(job?.workDir as string, 'keyword.txt'), 'utf8')).toBe('wikipedia');
    expect(readFileSync(join(job?.workDir as string, 'invoice.png'))).toEqual(png);

    const status = await waitFor('the job to finish', async () => {
      const answer = await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=${trigger.body.msUnixTime}`));
      return answer.body.status === 'finished' ? answer : undefined;
    });
    expect(status.body).toMatchObject({
      status: 'finished',
      result: 'succeeded',
      error: null,
      outputs: { files: ['invoice.png', 'keyword.txt'], sizes: [16, 9], count: 2, totalBytes: 25 },
      files: [
        {
          name: 'report.txt',
          size: expect.any(Number),
          url: expect.stringContaining(`/api/job/files/report.txt?uuid=${uuid}&msUnixTime=`),
        },
      ],
    });
    const download = await fetch((status.body.files as Array<{ url: string }>)[0]?.url as string);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('report.txt');
    expect(await download.text()).toBe('2 file(s), 25 bytes\ninvoice.png\t16\nkeyword.txt\t9\n');
  });

  it('turns form fields and query parameters into input variables, read by their declared types', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('echo');
    const form = new FormData();
    form.append('message', 'from a form');
    form.append('count', '3');
    const fromForm = await json(await fetch(`${api.url}/api?uuid=${uuid}`, { method: 'POST', body: form }));
    const fromQuery = await json(await fetch(`${api.url}/api?uuid=${uuid}&message=from%20the%20query&flag=true`));
    const fromUrlEncoded = await json(
      await fetch(`${api.url}/api?uuid=${uuid}`, {
        method: 'POST',
        body: new URLSearchParams({ message: 'urlencoded' }),
      }),
    );
    const outputs = [];
    for (const trigger of [fromForm, fromQuery, fromUrlEncoded]) {
      const answer = await waitFor('finished', async () => {
        const a = await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=${trigger.body.msUnixTime}`));
        return a.body.status === 'finished' ? a : undefined;
      });
      outputs.push(answer.body.outputs);
    }
    expect(outputs).toEqual([
      { message: 'from a form', count: 3 },
      { message: 'from the query', flag: true },
      { message: 'urlencoded' },
    ]);
    const bad = await json(await fetch(`${api.url}/api?uuid=${uuid}&count=many`));
    expect(bad).toEqual({
      status: 400,
      body: { error: 'INVALID_VARIABLE', message: 'variable "count": expected NUMBER, got the string "many"' },
    });
  });

  it('gives 200 concurrent triggers 200 distinct, increasing msUnixTime numbers, and runs all 200 jobs', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('echo');
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => fetch(`${api.url}/api?uuid=${uuid}`).then(json)),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const numbers = answers.map((a) => a.body.msUnixTime as string);
    expect(new Set(numbers).size).toBe(200);
    // Every answered number is the one stored for its job; no two triggers share one.
    const jobs = await api.core.jobs.list({ limit: 500, order: 'asc' });
    const stored = await api.core.store('local-api').table('local_api_jobs').select('ms_unix_time');
    const inCommitOrder = stored.map((r: { ms_unix_time: number | string }) => Number(r.ms_unix_time));
    expect(new Set(inCommitOrder.map(String))).toEqual(new Set(numbers));
    expect(jobs).toHaveLength(200);
    const finished = await Promise.all(jobs.map((j) => waitForFinal(api.core, j.id)));
    expect(finished.every((j) => j.state === 'succeeded')).toBe(true);
    const statuses = await Promise.all(
      numbers.map((n) => fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=${n}`).then(json)),
    );
    expect(statuses.every((s) => s.status === 200 && s.body.status === 'finished')).toBe(true);
  });

  it('moves a job from inqueue through executing to finished', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('sleep');
    // sleep runs 2 at a time: the third waits in the queue.
    const triggers = await Promise.all(
      [1, 2, 3].map(() => fetch(`${api.url}/api?uuid=${uuid}&seconds=0.6`).then(json)),
    );
    const last = [...triggers].sort((a, b) => Number(a.body.msUnixTime) - Number(b.body.msUnixTime)).at(-1)?.body
      .msUnixTime as string;
    const seen: string[] = [];
    await waitFor('the last job to finish', async () => {
      const { body } = await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=${last}`));
      if (seen.at(-1) !== body.status) seen.push(body.status as string);
      return body.status === 'finished' ? true : undefined;
    });
    expect(seen).toEqual(['inqueue', 'executing', 'finished']);
  });

  it('answers a repeated Idempotency-Key with the first msUnixTime and queues nothing new', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('echo');
    const send = () =>
      fetch(`${api.url}/api?uuid=${uuid}`, { headers: { 'Idempotency-Key': 'order-1001' } }).then(json);
    const answers = await Promise.all([send(), send(), send()]);
    expect(new Set(answers.map((a) => a.body.msUnixTime)).size).toBe(1);
    expect(await send()).toEqual(answers[0]);
    expect(await api.core.jobs.list()).toHaveLength(1);
  });

  it('reports a failing skill with its message', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('fail');
    const { body } = await json(await fetch(`${api.url}/api?uuid=${uuid}&message=disk%20full`));
    const answer = await waitFor('finished', async () => {
      const a = await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=${body.msUnixTime}`));
      return a.body.status === 'finished' ? a : undefined;
    });
    expect(answer.body).toMatchObject({ result: 'failed', error: 'exit code 1: disk full', exitCode: 1, files: [] });
  });
});

describe('bad input', () => {
  it('answers unknown skills, removed skills and unknown or malformed job numbers precisely', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('echo');
    expect(await json(await fetch(`${api.url}/api?uuid=11111111-2222-3333-4444-555555555555`))).toEqual({
      status: 404,
      body: {
        error: 'NOT_FOUND',
        message: 'no skill with uuid 11111111-2222-3333-4444-555555555555 is added to the API',
      },
    });
    expect(await json(await fetch(`${api.url}/api/job?uuid=${uuid}`))).toEqual({
      status: 400,
      body: { error: 'BAD_REQUEST', message: 'query parameter "msUnixTime" is required' },
    });
    expect((await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=12ab`))).body).toEqual({
      error: 'BAD_REQUEST',
      message: 'msUnixTime must be a job number (digits), got "12ab"',
    });
    expect(await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=1234`))).toEqual({
      status: 404,
      body: { error: 'NOT_FOUND', message: `skill ${uuid} has no job 1234` },
    });
    expect((await json(await fetch(`${api.url}/api?uuid=${uuid}&uuid=${uuid}`))).status).toBe(400);
    const other = await api.uuidOf('zip-code');
    const { body } = await json(await fetch(`${api.url}/api?uuid=${other}&iStrZipCode=76131`));
    // A job number of another skill is not a job of this one.
    expect((await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=${body.msUnixTime}`))).status).toBe(404);
    const remove = (await import('../src/index.js')).localApiDescriptor.commands.find((c) => c.path[0] === 'remove');
    await remove?.run(api.core, ['zip-code'], {});
    // This node had the skill in memory: its triggers, with good inputs or without, are refused.
    expect((await json(await fetch(`${api.url}/api?uuid=${other}&iStrZipCode=76131`))).status).toBe(404);
    expect((await json(await fetch(`${api.url}/api?uuid=${other}`))).status).toBe(404);
    expect((await json(await fetch(`${api.url}/api/job?uuid=${other}&msUnixTime=${body.msUnixTime}`))).status).toBe(
      404,
    );
    const readd = await api.core
      .store('local-api')
      .table('local_api_skills')
      .where({ automation_id: 'zip-code' })
      .first();
    expect(readd.uuid).toBe(other);
  });

  it('refuses a file over the upload limit with 413, creating no job and leaving no partial file', async () => {
    const api = await startLocalApi({ uploadLimit: 1024 });
    const uuid = await api.uuidOf('file-report');
    const form = new FormData();
    form.append('small', new Blob(['ok']), 'small.txt');
    form.append('big', new Blob([Buffer.alloc(64 * 1024, 1)]), 'big.bin');
    const answer = await json(await fetch(`${api.url}/api?uuid=${uuid}`, { method: 'POST', body: form }));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toBe('PAYLOAD_TOO_LARGE');
    expect(await api.core.jobs.list()).toEqual([]);
    await waitFor('upload temp files to be removed', async () =>
      filesUnder(join(api.dataDir, 'uploads')).length === 0 ? true : undefined,
    );
    expect(filesUnder(join(api.dataDir, 'jobs'))).toEqual([]);
  });

  it('keeps hostile file names inside the job folder', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('file-report');
    const boundary = 'botgate-test-boundary';
    const body = multipart(boundary, [
      { name: 'a', filename: '../../evil.txt', content: 'a' },
      { name: 'b', filename: '/etc/passwd', content: 'b' },
      { name: 'c', filename: 'C:\\Windows\\system.ini', content: 'c' },
      { name: 'd', filename: '*=nul%00byte.txt', content: 'd' },
      { name: 'd2', filename: '*=..%2F..%2Fup.txt', content: 'd2' },
      { name: 'e', filename: 'CON', content: 'e' },
      { name: 'f', filename: 'aux.txt', content: 'f' },
      // busboy reduces ".." to an empty file name, which multipart treats as no file at all.
      { name: 'g', filename: '..', content: 'g' },
      { name: 'h', filename: 'input.json', content: 'h' },
    ]);
    const answer = await json(
      await fetch(`${api.url}/api?uuid=${uuid}`, {
        method: 'POST',
        body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }),
    );
    expect(answer.status).toBe(200);
    const [job] = await api.core.jobs.list();
    expect(job?.inputFiles.map((f) => f.name)).toEqual([
      'evil.txt',
      'passwd',
      'system.ini',
      'nul_byte.txt',
      'up.txt',
      '_CON',
      '_aux.txt',
      'input (1).json',
    ]);
    const outside = filesUnder(api.dataDir).filter((path) => !path.startsWith(`${job?.workDir}/`));
    // The database, its WAL and its migration lock file.
    expect(outside.filter((path) => !/\.sqlite($|[-.])/.test(path))).toEqual([]);
  });

  it('answers a raw NUL byte in a part header (not valid HTTP) with 400 and queues nothing', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('file-report');
    const body = multipart('b', [{ name: 'd', filename: 'nul\u0000byte.txt', content: 'd' }]);
    const answer = await json(
      await fetch(`${api.url}/api?uuid=${uuid}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      }),
    );
    expect(answer).toEqual({
      status: 400,
      body: { error: 'BAD_REQUEST', message: 'malformed request body: Malformed part header' },
    });
    expect(await api.core.jobs.list()).toEqual([]);
  });

  it('answers a multipart body cut off mid-stream with 400 and queues nothing', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('file-report');
    const boundary = 'cut';
    const truncated = multipart(boundary, [{ name: 'f', filename: 'part.txt', content: 'x'.repeat(5000) }], {
      end: false,
    }).subarray(0, 3000);
    const answer = await json(
      await fetch(`${api.url}/api?uuid=${uuid}`, {
        method: 'POST',
        body: truncated,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('BAD_REQUEST');

    // The client promises more bytes than it sends, then stops writing.
    const port = Number(new URL(api.url).port);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api?uuid=${uuid} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n`,
        );
        socket.end(truncated);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1.1 400/);
    await waitFor('upload temp files to be removed', async () =>
      filesUnder(join(api.dataDir, 'uploads')).length === 0 ? true : undefined,
    );
    expect(await api.core.jobs.list()).toEqual([]);
  });

  it('answers wrong methods with 405 and an Allow header', async () => {
    const api = await startLocalApi();
    for (const [path, method, allow] of [
      ['/api', 'DELETE', 'GET, POST'],
      ['/api', 'PUT', 'GET, POST'],
      ['/api/job', 'POST', 'GET'],
      ['/api/job/files/x', 'DELETE', 'GET'],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(((await response.json()) as { error: string }).error).toBe('METHOD_NOT_ALLOWED');
    }
    expect((await json(await fetch(`${api.url}/api/nothing`))).body.error).toBe('NOT_FOUND');
  });

  it('refuses bodies it cannot read: 415 for other content types, 400 for broken JSON', async () => {
    const api = await startLocalApi();
    const uuid = await api.uuidOf('echo');
    expect(
      (
        await json(
          await fetch(`${api.url}/api?uuid=${uuid}`, {
            method: 'POST',
            body: '<x/>',
            headers: { 'content-type': 'application/xml' },
          }),
        )
      ).status,
    ).toBe(415);
    expect(
      (
        await json(
          await fetch(`${api.url}/api?uuid=${uuid}`, {
            method: 'POST',
            body: '{"message":',
            headers: { 'content-type': 'application/json' },
          }),
        )
      ).status,
    ).toBe(400);
    expect(await api.core.jobs.list()).toEqual([]);
  });

  it('requires the configured token on every call, from the header or the query', async () => {
    const token = 'correct-horse-battery-staple';
    const api = await startLocalApi({ token });
    const uuid = await api.uuidOf('echo');
    const missing = await fetch(`${api.url}/api`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(
      (await json(await fetch(`${api.url}/api?uuid=${uuid}`, { headers: { Authorization: 'Bearer wrong' } }))).status,
    ).toBe(401);
    expect((await json(await fetch(`${api.url}/api/job?uuid=${uuid}&msUnixTime=1&token=wrong`))).status).toBe(401);
    expect((await json(await fetch(`${api.url}/api`, { headers: { Authorization: `Bearer ${token}` } }))).status).toBe(
      200,
    );
    const triggered = await json(await fetch(`${api.url}/api?uuid=${uuid}&token=${token}`));
    expect(triggered.status).toBe(200);
    // The token is no input variable of the job.
    const [job] = await api.core.jobs.list();
    expect(job?.inputs).toEqual({});
  });

  it('lets only allowed addresses in', async () => {
    const open = await startLocalApi({ allow: ['127.0.0.0/8', '::1'] });
    expect((await fetch(`${open.url}/api`)).status).toBe(200);
    const closed = await startLocalApi({ allow: ['10.0.0.0/8'] });
    expect(await json(await fetch(`${closed.url}/api`))).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: 'address 127.0.0.1 may not use this API' },
    });
  });
});
