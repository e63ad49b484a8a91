import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { json, startProcessApi, waitFor, type Harness } from './helpers.js';
import { processLibrary, pyDumps, requestsMultipart } from './rpa-process-library.js';

const everything = { permissions: 'trigger_processes,read_runs,read_work_items,read_processes,write_work_items' };

const setUp = async (automationId: string, permissions = everything) => {
  const api = await startProcessApi();
  const { key } = await api.command<{ key: string }>('key add', ['library'], permissions);
  const processId = await api.processId(automationId);
  return { api, key, processId, library: processLibrary(`${api.url}/process-v1`, api.workspaceId, processId, key) };
};

const jobOfRun = async (api: Harness, runId: string) =>
  waitFor(`the job of run ${runId}`, async () => {
    const row = (await api.core.store('process-api').table('process_api_runs').where({ run_id: runId }).first()) as
      { job_id: number } | undefined;
    return row ? api.core.jobs.get(Number(row.job_id)) : undefined;
  });

const finalJobOfRun = async (api: Harness, runId: string) =>
  api.core.jobs.wait((await jobOfRun(api, runId)).id, { timeoutMs: 20_000 });

const uploadsLeft = (api: Harness) => {
  const dir = join(api.core.options.dataDir, 'process-api', 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('RPA.Robocorp.Process, keyword by keyword', () => {
  it('start_process: no items ([]), a dict, a list, and a batch', async () => {
    const { api, library } = await setUp('echo');
    const empty = await library.startProcess();
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ id: expect.any(String), workItemIds: [expect.any(String)] });
    const dict = await library.startProcess({ message: 'from a dict' });
    const list = await library.startProcess([{ message: 'a' }, { message: 'b' }]);
    const batch = await library.startProcess([{ message: 'one' }, { message: 'two' }], true);
    expect(batch.status).toBe(200);
    expect((batch.json.data as unknown[]).length).toBe(2);
    const payloads = await Promise.all(
      [empty, dict, list].map(async (started) => (await finalJobOfRun(api, started.json.id as string)).workItem),
    );
    // [] is an empty work item; a list (not batched) is one work item whose payload is that list.
    expect(payloads).toEqual([{}, { message: 'from a dict' }, [{ message: 'a' }, { message: 'b' }]]);
    expect((await finalJobOfRun(api, dict.json.id as string)).outputs).toMatchObject({
      message: { value: 'from a dict' },
    });
  });

  it('start_configured_process: default, and unknown types refused', async () => {
    const { api, library, processId, key } = await setUp('echo');
    const started = await library.startConfiguredProcess();
    expect(started.status).toBe(200);
    const answer = JSON.parse(started.text) as { id: string; workItemIds: string[] };
    expect(answer).toEqual({ id: expect.any(String), workItemIds: [expect.any(String)] });
    expect((await finalJobOfRun(api, answer.id)).workItem).toEqual({});
    const url = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${processId}/run-request`;
    const unknown = await fetch(url, {
      method: 'POST',
      headers: { authorization: `RC-WSKEY ${key}` },
      body: Buffer.from(pyDumps({ type: 'storages' })),
    }).then(json);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: 'BAD_REQUEST',
      message: expect.stringContaining('type must be "default"'),
    });
    const none = await fetch(url, {
      method: 'POST',
      headers: { authorization: `RC-WSKEY ${key}` },
      body: Buffer.from(pyDumps({ type: 'workItemIds', workItemIds: [] })),
    }).then(json);
    expect(none).toMatchObject({ status: 400, body: { message: expect.stringContaining('at least one work item') } });
  });

  it('create_input_work_item with files, start_configured_process over it, and the robot reads both and writes an output item whose file downloads under its key', async () => {
    const { api, library, processId, key } = await setUp('work-item-robot');
    const invoice = Buffer.from('invoice 2026-117\ntotal 42.00\n');
    const itemId = await library.createInputWorkItem({ name: 'Ada', order: 17 }, [
      { name: 'invoice.txt', content: invoice },
    ]);
    const created = await library.getWorkItem(itemId, true);
    expect(created).toMatchObject({
      id: itemId,
      state: 'NEW',
      processId,
      processRunId: null,
      payload: { name: 'Ada', order: 17 },
      files: [{ name: 'invoice.txt', size: invoice.length }],
    });

    const started = JSON.parse((await library.startConfiguredProcess('work_items', itemId)).text) as {
      id: string;
      workItemIds: string[];
    };
    expect(started.workItemIds).toEqual([itemId]);
    const job = await finalJobOfRun(api, started.id);
    expect(job.state).toBe('succeeded');
    expect(job.outputs).toMatchObject({ greeting: { value: 'Hello, Ada!' }, itemCount: { value: '1' } });

    const items = await library.listProcessRunWorkItems(started.id, true);
    expect(items.map((item) => item.state)).toEqual(['COMPLETED', 'PENDING']);
    const [input, output] = items as unknown as Array<{
      id: string;
      activityRunId?: string;
      files: Array<{ name: string; downloadPath?: string }>;
      payload: unknown;
    }>;
    expect(input).toMatchObject({ id: itemId, processRunId: started.id, activityRunId: expect.any(String) });
    expect(output?.files.map((file) => file.name)).toEqual(['receipt.txt']);
    expect(output?.payload).toEqual({ greeting: 'Hello, Ada!', received: { name: 'Ada', order: 17 } });
    const receipt = await fetch(`${api.url}${output?.files[0]?.downloadPath}`, {
      headers: { authorization: `RC-WSKEY ${key}` },
    });
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toBe(
      `Hello, Ada!\ninvoice.txt: ${invoice.length} bytes, starts 'invoice 2026-117\\ntot'\n`,
    );
    expect(await library.getWorkItem(itemId)).toMatchObject({
      state: 'COMPLETED',
      processRunId: started.id,
      processRunNo: 1,
    });
    expect((await library.getWorkItem(itemId)).payload).toBeUndefined();
  });

  it('list_processes, get_process_id_by_name, and GET of one process', async () => {
    const { api, library, processId, key } = await setUp('echo');
    const processes = await library.listProcesses();
    expect(processes).toContainEqual({ id: processId, name: 'Echo', workspaceId: api.workspaceId, apiAccess: false });
    expect(await library.getProcessIdByName('Echo')).toBe(processId);
    const one = await fetch(`${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${processId}`, {
      headers: { authorization: `RC-WSKEY ${key}` },
    }).then(json);
    expect(one.body).toEqual({ id: processId, name: 'Echo', workspaceId: api.workspaceId, apiAccess: false });
  });

  it('list_process_work_items, list_process_runs, list_process_runs_in_workspace, get_process_run_status with and without a step run', async () => {
    const { api, library, processId } = await setUp('echo');
    const waiting = await library.createInputWorkItem({ message: 'waits' });
    const started = await library.startProcess({ message: 'ran' });
    await finalJobOfRun(api, started.json.id as string);

    const items = await library.listProcessWorkItems(true);
    expect(items.map((item) => [item.id, item.state, item.payload])).toEqual([
      [waiting, 'NEW', { message: 'waits' }],
      [(started.json.workItemIds as string[])[0], 'COMPLETED', { message: 'ran' }],
    ]);
    expect(await library.listProcessWorkItems(false, 'new')).toEqual([
      expect.objectContaining({ id: waiting, state: 'NEW' }),
    ]);

    const runs = await library.listProcessRuns('compl');
    expect(runs.map((run) => [run.id, run.state, run.result])).toEqual([[started.json.id, 'COMPL', 'OK']]);
    const everywhere = await library.listProcessRunsInWorkspace('COMPL');
    expect(everywhere.map((run) => [run.id, run.processId])).toEqual([[started.json.id, processId]]);

    const status = await library.getProcessRunStatus(started.json.id as string);
    expect(status).toMatchObject({
      id: started.json.id,
      state: 'COMPL',
      result: 'OK',
      robotRuns: [{ id: expect.any(String) }],
    });
    const step = (status.robotRuns as Array<{ id: string }>)[0]?.id as string;
    const robotRun = await library.getProcessRunStatus(started.json.id as string, step);
    expect(robotRun).toEqual({
      id: step,
      runId: started.json.id,
      stepId: expect.any(String),
      runNo: 1,
      state: 'COMPL',
      result: 'OK',
      errorCode: '',
      duration: expect.any(Number),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
  });

  it('retry_work_item: a FAILED item runs again in a new run; any other state is refused with 409', async () => {
    const { api, library } = await setUp('fail');
    const itemId = await library.createInputWorkItem({ message: 'no luck' });
    const first = JSON.parse((await library.startConfiguredProcess('work_items', [itemId])).text) as { id: string };
    expect((await finalJobOfRun(api, first.id)).state).toBe('failed');
    expect(await library.getWorkItem(itemId)).toMatchObject({ state: 'FAILED', processRunId: first.id });

    const retried = await library.retryWorkItem(itemId);
    expect(retried.status).toBe(200);
    expect(retried.json).toMatchObject({ id: itemId, state: 'PENDING' });
    const second = retried.json.processRunId as string;
    expect(second).not.toBe(first.id);
    expect((await finalJobOfRun(api, second)).workItem).toEqual({ message: 'no luck' });

    const echo = await setUp('echo');
    const done = await echo.library.createInputWorkItem({ message: 'fine' });
    const run = JSON.parse((await echo.library.startConfiguredProcess('work_items', done)).text) as { id: string };
    await finalJobOfRun(echo.api, run.id);
    const refused = await echo.library.retryWorkItem(done);
    expect(refused).toEqual({
      status: 409,
      json: { error: 'CONFLICT', message: `work item ${done} is COMPLETED; only a FAILED work item can be retried` },
    });
    const fresh = await echo.library.createInputWorkItem({});
    expect((await echo.library.retryWorkItem(fresh)).status).toBe(409);
  });

  it('list_run_artifacts and get_robot_run_artifact: a URL that downloads without the key', async () => {
    const { api, library } = await setUp('work-item-robot');
    const started = await library.startProcess({ name: 'Grace' });
    await finalJobOfRun(api, started.json.id as string);
    const status = await library.getProcessRunStatus(started.json.id as string);
    const step = (status.robotRuns as Array<{ id: string }>)[0]?.id as string;
    const artifacts = await library.listRunArtifacts(started.json.id as string, step);
    expect(artifacts).toEqual([{ id: expect.any(String), fileName: 'receipt.txt', fileSize: expect.any(Number) }]);
    const url = await library.getRobotRunArtifact(
      started.json.id as string,
      step,
      artifacts[0]?.id as string,
      'receipt.txt',
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/process-v1\/downloads\/[^/]+\/receipt\.txt$/);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('Hello, Grace!\nfiles: -\n');
    // A forged link is refused.
    expect((await fetch(url.replace(/downloads\/[^/]+/, 'downloads/forged'))).status).toBe(403);
  });
});

describe('process work items and runs: bad input', () => {
  it('answers unknown ids 404, missing permissions 403, malformed bodies 400 and wrong states 409, each as { error, message }', async () => {
    const { library } = await setUp('echo', { permissions: 'read_runs,read_work_items' });
    await expect(library.createInputWorkItem({})).rejects.toMatchObject({
      status: 403,
      body: expect.stringContaining('lacks the write_work_items permission'),
    });
    await expect(library.listProcesses()).rejects.toMatchObject({
      status: 403,
      body: expect.stringContaining('read_processes'),
    });
    expect((await library.startConfiguredProcess()).status).toBe(403);

    const full = await setUp('echo');
    const fullBase = `${full.api.url}/process-v1/workspaces/${full.api.workspaceId}/processes/${full.processId}`;
    const fullHeaders = { authorization: `RC-WSKEY ${full.key}` };
    const answers = {
      unknownItem: await fetch(`${fullBase}/work-items/nope`, { headers: fullHeaders }).then(json),
      unknownRun: await fetch(`${fullBase}/runs/nope/robotRuns`, { headers: fullHeaders }).then(json),
      unknownRobotRun: await fetch(`${fullBase}/runs/${(await full.library.startProcess({})).json.id}/robotRuns/nope`, {
        headers: fullHeaders,
      }).then(json),
      unknownIds: await fetch(`${fullBase}/run-request`, {
        method: 'POST',
        headers: fullHeaders,
        body: Buffer.from(pyDumps({ type: 'workItemIds', workItemIds: ['nope'] })),
      }).then(json),
      badPayload: await fetch(`${fullBase}/work-items`, {
        method: 'POST',
        headers: { ...fullHeaders, 'content-type': 'application/json' },
        body: '"text"',
      }).then(json),
      badSize: await fetch(`${fullBase}/work-items/${await full.library.createInputWorkItem({})}/files/upload`, {
        method: 'POST',
        headers: fullHeaders,
        body: Buffer.from(pyDumps({ fileName: 'a.txt', fileSize: -1 })),
      }).then(json),
      badIncludeData: await fetch(`${fullBase}/work-items?includeData=maybe`, { headers: fullHeaders }).then(json),
      badCursor: await fetch(`${fullBase}/runs?cursor=x`, { headers: fullHeaders }).then(json),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({
      unknownItem: 404,
      unknownRun: 404,
      unknownRobotRun: 404,
      unknownIds: 404,
      badPayload: 400,
      badSize: 400,
      badIncludeData: 400,
      badCursor: 400,
    });
    for (const answer of Object.values(answers))
      expect(answer.body).toEqual({ error: expect.any(String), message: expect.any(String) });

    // A work item in a run takes no other run and no more files.
    const item = await full.library.createInputWorkItem({});
    const run = JSON.parse((await full.library.startConfiguredProcess('work_items', item)).text) as { id: string };
    const again = await full.library.startConfiguredProcess('work_items', item);
    expect(again.status).toBe(409);
    await expect(full.library.registerFileUpload('late.txt', 3, item)).rejects.toMatchObject({ status: 409 });
    await finalJobOfRun(full.api, run.id);
    // A stop of an ended run is refused.
    expect(
      (await fetch(`${fullBase}/runs/${run.id}/stop`, { method: 'POST', headers: fullHeaders }).then(json)).status,
    ).toBe(409);
  });

  it('stops a running run: its process is killed and the run ends with errorCode CANCELED', async () => {
    const { api, library, processId, key } = await setUp('sleep');
    const started = await library.startProcess({ seconds: 60 });
    const runId = started.json.id as string;
    await waitFor('the run to start', async () =>
      (await jobOfRun(api, runId)).state === 'running' ? true : undefined,
    );
    const base = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${processId}`;
    const stopped = await fetch(`${base}/runs/${runId}/stop`, {
      method: 'POST',
      headers: { authorization: `RC-WSKEY ${key}`, 'content-type': 'application/json' },
      body: pyDumps({ set_remaining_work_items_as_done: false, terminate_ongoing_activity_runs: true }),
    }).then(json);
    expect(stopped).toEqual({ status: 200, body: { accepted: true } });
    expect((await finalJobOfRun(api, runId)).state).toBe('canceled');
    expect(await library.getProcessRunStatus(runId)).toMatchObject({
      state: 'COMPL',
      result: 'ERR',
      errorCode: 'CANCELED',
    });
  });

  it('refuses forged, expired, replayed, oversize and missing upload grants, leaving nothing on disk', async () => {
    const { api, library } = await setUp('work-item-robot');
    const itemId = await library.createInputWorkItem({});
    const grant = await library.registerFileUpload('data.csv', 10, itemId);
    expect(grant).toEqual({ url: `${api.url}/process-v1/uploads`, fields: { grant: expect.any(String) } });
    const post = async (fields: Record<string, string>, content: Buffer) => {
      const { body, contentType } = requestsMultipart(fields, { name: 'data.csv', content });
      return fetch(grant.url, { method: 'POST', headers: { 'content-type': contentType }, body }).then(json);
    };
    const key = Buffer.from(
      (
        (await api.core.store('process-api').table('process_api_settings').where({ key: 'grant_key' }).first()) as {
          value: string;
        }
      ).value,
      'base64url',
    );
    const claims = jwt.decode(grant.fields.grant as string) as Record<string, unknown>;
    const refusals = {
      forged: await post({ grant: jwt.sign(claims, 'not-the-key') }, Buffer.from('0123456789')),
      expired: await post(
        { grant: jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, key) },
        Buffer.from('0123456789'),
      ),
      oversize: await post(grant.fields, Buffer.from('0123456789+')),
      missing: await post({}, Buffer.from('0123456789')),
    };
    expect(
      Object.fromEntries(
        Object.entries(refusals).map(([name, answer]) => [name, [answer.status, answer.body.message]]),
      ),
    ).toEqual({
      forged: [403, 'the grant is not valid'],
      expired: [403, 'the grant has expired; ask for a new one'],
      oversize: [413, 'the file is larger than the 10 bytes its upload was granted for'],
      missing: [403, 'no grant: post the fields the upload request answered, then the file'],
    });
    expect((await library.getWorkItem(itemId)).files).toEqual([]);

    const { body, contentType } = requestsMultipart(grant.fields, {
      name: 'data.csv',
      content: Buffer.from('0123456789'),
    });
    expect((await fetch(grant.url, { method: 'POST', headers: { 'content-type': contentType }, body })).status).toBe(
      204,
    );
    const replay = await post(grant.fields, Buffer.from('9876543210'));
    expect([replay.status, replay.body.message]).toEqual([403, 'this grant was used already; ask for a new one']);
    expect((await library.getWorkItem(itemId)).files).toEqual([{ name: 'data.csv', size: 10 }]);
    await waitFor('temp uploads to be removed', async () => (uploadsLeft(api).length === 0 ? true : undefined));
    const kept = readdirSync(join(api.core.options.dataDir, 'process-api', 'work-items', itemId));
    expect(kept).toEqual(['data.csv']);
    // Over the upload limit, refused before any grant.
    await expect(library.registerFileUpload('huge.bin', 10 * 1024 ** 3, itemId)).rejects.toMatchObject({ status: 413 });
  });
});

describe('paging', () => {
  it('lists 250 runs in pages of 100, reaching every run exactly once through next', async () => {
    const { api, key, processId } = await setUp('echo');
    const base = `${api.url}/process-v1/workspaces/${api.workspaceId}/processes/${processId}`;
    const headers = { authorization: `RC-WSKEY ${key}`, 'content-type': 'application/json' };
    const batch = await fetch(`${base}/runs-batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify(Array.from({ length: 250 }, (_, i) => ({ message: `run ${i}` }))),
    }).then(json);
    const started = new Set((batch.body.data as Array<{ id: string }>).map((run) => run.id));
    expect(started.size).toBe(250);
    const seen: string[] = [];
    let next: string | null = `${base}/runs?limit=100`;
    let pages = 0;
    while (next) {
      const page = (await fetch(next, { headers }).then(json)).body as {
        data: Array<{ id: string }>;
        has_more: boolean;
        next: string | null;
      };
      seen.push(...page.data.map((run) => run.id));
      expect(page.has_more).toBe(page.next !== null);
      next = page.next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen)).toEqual(started);
  });
});
