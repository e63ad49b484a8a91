import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { json, startProcessApi, waitFor, waitForFinal } from './helpers.js';

const allPermissions = { permissions: 'trigger_processes,read_runs,read_work_items' };

describe('process-v1: workspace keys', () => {
  it('triggers runs, one or a batch, and reads them back', async () => {
    const api = await startProcessApi();
    const { key } = await api.command<{ key: string }>('key add', ['ci'], allPermissions);
    const processId = await api.processId('echo');
    const base = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${processId}`;
    const headers = { authorization: `RC-WSKEY ${key}`, 'content-type': 'application/json' };

    const single = await fetch(`${base}/runs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ variables: { message: 'wrapped' } }),
    }).then(json);
    expect(single.status).toBe(200);
    expect(Object.keys(single.body)).toEqual(['id', 'workItemIds']);
    const batch = await fetch(`${base}/runs-batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify([{ message: 'a' }, { variables: { message: 'b' } }, { message: 'c' }]),
    }).then(json);
    expect((batch.body.data as unknown[]).length).toBe(3);

    const jobs = await api.core.jobs.list({ order: 'asc' });
    expect(jobs.map((j) => j.workItem)).toEqual([
      { message: 'wrapped' },
      { message: 'a' },
      { message: 'b' },
      { message: 'c' },
    ]);
    await Promise.all(jobs.map((j) => waitForFinal(api.core, j.id)));

    const run = await fetch(`${base}/runs/${single.body.id}`, { headers }).then(json);
    expect(run.body).toEqual({
      id: single.body.id,
      result: 'OK',
      state: 'COMPL',
      errorCode: '',
      workspaceId: api.workspaceId,
      processId,
      processName: 'Echo',
      duration: 0,
      robotRuns: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          runId: single.body.id,
          stepId: expect.any(String),
          runNo: 1,
          state: 'COMPL',
          result: 'OK',
          errorCode: '',
          duration: 0,
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
        },
      ],
      runNo: 1,
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    const list = await fetch(`${base}/runs?limit=2`, { headers }).then(json);
    expect(list.body).toMatchObject({ has_more: true, next: `${base}/runs?limit=2&cursor=3` });
    expect((list.body.data as Array<{ runNo: number }>).map((r) => r.runNo)).toEqual([4, 3]);
    expect((await fetch(`${base}/runs?limit=0`, { headers }).then(json)).status).toBe(400);

    const badBatch = await fetch(`${base}/runs-batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify([{ message: 'ok' }, { count: 'x' }]),
    }).then(json);
    expect(badBatch.status).toBe(400);
    expect(await api.core.jobs.list()).toHaveLength(4);
  });

  it('hands the work item to a Robocorp-style robot unchanged and returns its output work items and artifacts', async () => {
    const api = await startProcessApi();
    const { key } = await api.command<{ key: string }>('key add', ['robots'], allPermissions);
    const base = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${await api.processId('work-item-robot')}`;
    const headers = { authorization: `RC-WSKEY ${key}`, 'content-type': 'application/json' };
    const payload = { name: 'Ada', order: { id: 17, lines: [1, 2] }, note: null };
    const started = await fetch(`${base}/runs`, { method: 'POST', headers, body: JSON.stringify(payload) }).then(json);
    const [job] = await api.core.jobs.list();
    expect((await waitForFinal(api.core, job?.id as number)).state).toBe('succeeded');

    const items = await fetch(`${base}/runs/${started.body.id}/work-items?includeData=true`, { headers }).then(json);
    const [input, output] = items.body.data as Array<Record<string, unknown>>;
    expect(input).toMatchObject({ id: (started.body.workItemIds as string[])[0], state: 'COMPLETED', payload });
    expect(output).toMatchObject({
      payload: { greeting: 'Hello, Ada!', received: payload },
      files: [{ name: 'receipt.txt', downloadPath: expect.stringMatching(/\/files\/receipt\.txt$/) }],
    });
    const withoutData = await fetch(`${base}/runs/${started.body.id}/work-items`, { headers }).then(json);
    expect((withoutData.body.data as Array<Record<string, unknown>>)[0]).not.toHaveProperty('payload');

    const artifacts = await fetch(`${base}/runs/${started.body.id}/artifacts`, { headers }).then(json);
    const [receipt] = artifacts.body.data as Array<{ fileName: string; size: number; downloadPath: string }>;
    expect(receipt).toMatchObject({ fileName: 'receipt.txt', size: expect.any(Number) });
    const download = await fetch(`${api.url}${receipt?.downloadPath}`, { headers });
    expect(await download.text()).toBe('Hello, Ada!\nfiles: -\n');
    expect((await fetch(`${base}/runs/${started.body.id}/artifacts/nope/receipt.txt`, { headers })).status).toBe(404);
  });

  it('checks the key, its permission, and then the workspace, process and run', async () => {
    const api = await startProcessApi();
    const reader = await api.command<{ key: string }>('key add', ['reader'], { permissions: 'read_runs' });
    const processId = await api.processId('echo');
    const base = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${processId}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      }).then(json);
    expect((await post({})).status).toBe(401);
    expect(await post({ authorization: 'RC-WSKEY nope' })).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: 'the workspace key is not valid' },
    });
    expect(await post({ authorization: `RC-WSKEY ${reader.key}` })).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: 'the key "reader" lacks the trigger_processes permission' },
    });
    const read = { authorization: `RC-WSKEY ${reader.key}` };
    expect(
      (await fetch(`${base}/runs/00000000-0000-0000-0000-000000000000`, { headers: read }).then(json)).status,
    ).toBe(404);
    expect(
      (await fetch(`${api.url}/process-v1/workspaces/other/processes/${processId}/runs`, { headers: read }).then(json))
        .status,
    ).toBe(404);
    expect(
      (
        await fetch(`${api.url}/process-v1/workspaces/${api.workspaceId}/processes/nope/runs`, { headers: read }).then(
          json,
        )
      ).status,
    ).toBe(404);
    expect((await fetch(`${base}/runs/x/work-items`, { headers: read }).then(json)).status).toBe(403);
    await api.command('key remove', ['reader']);
    expect((await fetch(`${base}/runs`, { headers: read }).then(json)).status).toBe(403);
    await expect(api.command('key add', ['bad'], { permissions: 'delete_everything' })).rejects.toThrow(
      /unknown delete_everything/,
    );
  });
});

describe('process-v1: query parameters', () => {
  it('answers a malformed limit, cursor or includeData 400 by the route table, after the key is checked', async () => {
    const api = await startProcessApi();
    const { key } = await api.command<{ key: string }>('key add', ['pages'], allPermissions);
    const base = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${await api.processId('echo')}`;
    const read = (path: string, headers: Record<string, string> = { authorization: `RC-WSKEY ${key}` }) =>
      fetch(`${base}${path}`, { headers }).then(json);
    const refused = (message: string) => ({ status: 400, body: { error: 'BAD_REQUEST', message } });
    const limitRule = 'limit must be a whole number from 1 to 100';
    expect(await read('/runs?limit=0')).toEqual(refused(limitRule));
    expect(await read('/runs?limit=101')).toEqual(refused(limitRule));
    expect(await read('/runs?limit=ten')).toEqual(refused(limitRule));
    expect(await read('/runs?limit=1&limit=2')).toEqual(refused(limitRule));
    expect(await read('/runs?cursor=abc')).toEqual(refused('cursor must come from the next URL of the page before'));
    expect(await read('/work-items?cursor=-1')).toEqual(refused('cursor must be the nextCursor of the page before'));
    expect(await read('/work-items?includeData=yes')).toEqual(refused('includeData must be true or false'));
    expect(await read('/work-items?limit=100&includeData=true')).toMatchObject({ status: 200 });
    expect(await read('/runs?limit=0', {})).toMatchObject({ status: 401 });
  });
});

describe('completion webhooks', () => {
  it('signs each event, retries after a 500, and records every attempt', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    let answers = [500, 200];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-rc-signature'] as string | undefined });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const api = await startProcessApi({ webhookRetryMs: 200 });
      const hook = await api.command<{ secret: string }>('webhook set', [
        'fail',
        `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      ]);
      const { secret, processId } = await api.command<{ secret: string; processId: string }>('secret', ['fail']);
      const started = await fetch(`${api.url}/workspace-v1/workspaces/${api.workspaceId}/processes/${processId}/runs`, {
        method: 'POST',
        headers: { 'robocloud-process-secret': secret, 'content-type': 'application/json' },
        body: '{"message":"no stock"}',
      }).then(json);
      await waitFor('two deliveries', async () => (received.length >= 2 ? true : undefined));
      const [first, second] = received;
      expect(second?.body).toBe(first?.body);
      for (const delivery of received)
        expect(delivery.signature).toBe(createHmac('sha256', hook.secret).update(delivery.body).digest('hex'));
      const event = JSON.parse(second?.body as string) as Record<string, unknown>;
      expect(event).toEqual({
        id: expect.any(String),
        webhookEventTimestamp: expect.any(String),
        event: 'process_run_completed',
        payload: {
          workspaceId: api.workspaceId,
          processId,
          processName: 'Fail',
          processRunId: started.body.processRunId,
          runNo: 1,
          state: 'COMPL',
          result: 'ERR',
          errorCode: 'ROBOT_FAILURE',
          errorMessage: 'exit code 1: no stock',
          duration: expect.any(Number),
        },
      });
      const delivery = await waitFor('the delivery to be settled', async () => {
        const row = await api.core.store('process-api').table('process_api_deliveries').first();
        return row?.state === 'delivered' ? row : undefined;
      });
      expect(delivery).toMatchObject({ attempts: 2, last_status: 200 });
      const attempts = await api.core
        .store('process-api')
        .table('process_api_delivery_attempts')
        .orderBy('attempt')
        .select('attempt', 'status', 'error');
      expect(attempts).toEqual([
        { attempt: 1, status: 500, error: 'receiver answered 500' },
        { attempt: 2, status: 200, error: null },
      ]);
      answers = [];
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
