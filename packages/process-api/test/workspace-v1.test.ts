import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { json, startProcessApi, waitFor } from './helpers.js';

const run = promisify(execFile);

describe('workspace-v1: the contract text, per-process secret', () => {
  it('accepts the exact curl command of the contract, with the secret in the header and in the query', async () => {
    const api = await startProcessApi();
    const { secret, processId, workspaceId } = await api.command<{
      secret: string;
      processId: string;
      workspaceId: string;
    }>('secret', ['echo']);
    const url = `${api.url}/workspace-v1/workspaces/${workspaceId}/processes/${processId}/runs`;
    const header = await run('curl', [
      '--silent',
      '--request',
      'POST',
      '--header',
      `robocloud-process-secret: ${secret}`,
      '--header',
      'Content-Type: application/json',
      '--data',
      '{"workItemKey":"workItemValue"}',
      url,
    ]);
    const viaHeader = JSON.parse(header.stdout) as Record<string, string>;
    expect(Object.keys(viaHeader)).toEqual(['message', 'processRunId', 'processId', 'workspaceId', 'workItemId']);
    expect(viaHeader).toMatchObject({ message: 'OK', processId, workspaceId });
    const query = await run('curl', [
      '--silent',
      '--request',
      'POST',
      '--header',
      'Content-Type: application/json',
      '--data',
      '{"workItemKey":"workItemValue"}',
      `${url}?robocloud-process-secret=${secret}`,
    ]);
    expect(JSON.parse(query.stdout)).toMatchObject({ message: 'OK', processId, workspaceId });

    const [job] = await api.core.jobs.list({ limit: 1, order: 'asc' });
    expect(job?.workItem).toEqual({ workItemKey: 'workItemValue' });
    // The status call of the contract, with the same secret.
    const status = await run('curl', [
      '--silent',
      '--request',
      'GET',
      '--header',
      `robocloud-process-secret: ${secret}`,
      '--header',
      'Content-Type: application/json',
      `${url}/${viaHeader.processRunId}`,
    ]);
    const body = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'result', 'state', 'errorCode', 'duration', 'workspaceId']);
    expect(body).toMatchObject({ id: viaHeader.processRunId, workspaceId });
  });

  it('reports a failing run COMPL / ERR with an error code, and a sleeping one IP', async () => {
    const api = await startProcessApi();
    const fail = await api.command<{ secret: string; processId: string }>('secret', ['fail']);
    const sleep = await api.command<{ secret: string; processId: string }>('secret', ['sleep']);
    const base = (p: string) => `${api.url}/workspace-v1/workspaces/${api.workspaceId}/processes/${p}/runs`;
    const post = (p: string, secret: string, payload: unknown) =>
      fetch(base(p), {
        method: 'POST',
        headers: { 'robocloud-process-secret': secret, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }).then(json);
    const get = (p: string, secret: string, id: unknown) =>
      fetch(`${base(p)}/${id}`, { headers: { 'robocloud-process-secret': secret } }).then(json);

    const failed = await post(fail.processId, fail.secret, { message: 'invoice 17 not found' });
    const failedStatus = await waitFor('the failing run to complete', async () => {
      const s = await get(fail.processId, fail.secret, failed.body.processRunId);
      return s.body.state === 'COMPL' ? s : undefined;
    });
    expect(failedStatus).toEqual({
      status: 200,
      body: {
        id: failed.body.processRunId,
        result: 'ERR',
        state: 'COMPL',
        errorCode: 'ROBOT_FAILURE',
        duration: expect.any(Number),
        workspaceId: api.workspaceId,
      },
    });

    const sleeping = await post(sleep.processId, sleep.secret, { seconds: 1.5 });
    const first = await get(sleep.processId, sleep.secret, sleeping.body.processRunId);
    expect(['INI', 'IP']).toContain(first.body.state);
    const inProgress = await waitFor('the run to be IP', async () => {
      const s = await get(sleep.processId, sleep.secret, sleeping.body.processRunId);
      return s.body.state === 'IP' ? s : undefined;
    });
    expect(inProgress.body).toMatchObject({ result: null, errorCode: '' });
    const done = await waitFor('the run to complete', async () => {
      const s = await get(sleep.processId, sleep.secret, sleeping.body.processRunId);
      return s.body.state === 'COMPL' ? s : undefined;
    });
    expect(done.body).toMatchObject({ result: 'OK', errorCode: '', duration: 2 });
  });

  it('lets a secret open only its own process, and rotation or deletion takes effect at once', async () => {
    const api = await startProcessApi();
    const echo = await api.command<{ secret: string; processId: string }>('secret', ['echo']);
    const other = await api.command<{ secret: string; processId: string }>('secret', ['zip-code']);
    const url = (ws: string, p: string) => `${api.url}/workspace-v1/workspaces/${ws}/processes/${p}/runs`;
    const post = (target: string, secret?: string) =>
      fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'robocloud-process-secret': secret } : {}) },
        body: '{}',
      }).then(json);

    expect(await post(url(api.workspaceId, echo.processId))).toEqual({
      status: 401,
      body: {
        error: 'UNAUTHORIZED',
        message: 'send the process secret in the robocloud-process-secret header (or query parameter)',
      },
    });
    expect(await post(url(api.workspaceId, echo.processId), other.secret)).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: 'the secret is not valid for this process' },
    });
    expect((await post(url(api.workspaceId, '00000000-0000-0000-0000-000000000000'), echo.secret)).status).toBe(404);
    expect((await post(url('no-such-workspace', echo.processId), echo.secret)).status).toBe(404);
    expect((await post(url(api.workspaceId, echo.processId), echo.secret)).status).toBe(200);

    const rotated = await api.command<{ secret: string }>('secret', ['echo']);
    expect((await post(url(api.workspaceId, echo.processId), echo.secret)).status).toBe(403);
    expect((await post(url(api.workspaceId, echo.processId), rotated.secret)).status).toBe(200);
    await api.command('delete', ['echo']);
    expect(await post(url(api.workspaceId, echo.processId), rotated.secret)).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: 'Process API access is not enabled for this process' },
    });
    const stored = await api.core.store('process-api').table('process_api_processes').select('secret_hash');
    expect(JSON.stringify(stored)).not.toContain(other.secret);

    const unknownRun = await fetch(`${url(api.workspaceId, other.processId)}/not-a-run`, {
      headers: { 'robocloud-process-secret': other.secret },
    }).then(json);
    expect(unknownRun.status).toBe(404);
  });

  it('refuses bodies that are not a JSON object or array, with the right status, and queues nothing', async () => {
    const api = await startProcessApi({ bodyLimit: 1024 });
    const { secret, processId } = await api.command<{ secret: string; processId: string }>('secret', ['echo']);
    const url = `${api.url}/workspace-v1/workspaces/${api.workspaceId}/processes/${processId}/runs`;
    const post = (body: string, type = 'application/json') =>
      fetch(url, { method: 'POST', headers: { 'robocloud-process-secret': secret, 'content-type': type }, body }).then(
        json,
      );
    expect((await post('a=1', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('{"a":')).body.error).toBe('BAD_REQUEST');
    expect(await post('"text"')).toEqual({
      status: 400,
      body: {
        error: 'BAD_REQUEST',
        message: 'the body must be a JSON object or array (the work item payload), not string',
      },
    });
    expect((await post('null')).body.message).toBe(
      'the body must be a JSON object or array (the work item payload), not null',
    );
    expect((await post(JSON.stringify({ big: 'x'.repeat(2000) }))).status).toBe(413);
    expect(await post(JSON.stringify({ count: 'many' }))).toEqual({
      status: 400,
      body: { error: 'INVALID_VARIABLE', message: 'variable "count": expected NUMBER, got the string "many"' },
    });
    expect(await api.core.jobs.list()).toEqual([]);
    const empty = await fetch(url, { method: 'POST', headers: { 'robocloud-process-secret': secret } }).then(json);
    expect(empty.status).toBe(200);
    expect((await api.core.jobs.list())[0]?.workItem).toEqual({});
    // An array is one work item whose payload is that array, as Robocorp takes it.
    expect((await post('[1,2]')).status).toBe(200);
    expect((await api.core.jobs.list())[0]?.workItem).toEqual([1, 2]);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers a repeated Idempotency-Key with the original run', async () => {
    const api = await startProcessApi();
    const { secret, processId } = await api.command<{ secret: string; processId: string }>('secret', ['echo']);
    const url = `${api.url}/workspace-v1/workspaces/${api.workspaceId}/processes/${processId}/runs`;
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: {
          'robocloud-process-secret': secret,
          'content-type': 'application/json',
          'idempotency-key': 'build-991',
        },
        body: '{"message":"hi"}',
      }).then(json);
    const answers = await Promise.all([post(), post(), post()]);
    expect(new Set(answers.map((a) => a.body.processRunId)).size).toBe(1);
    expect(await api.core.jobs.list()).toHaveLength(1);
  });
});
