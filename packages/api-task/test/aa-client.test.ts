import { describe, expect, it } from 'vitest';
import { createUsers } from '../src/index.js';
import { aaClient } from './aa-client.js';
import { startApiTask } from './helpers.js';

const withUser = async (role: 'admin' | 'developer' = 'developer') => {
  const api = await startApiTask();
  await createUsers(api.core).add('runner', role, 'runner-password');
  return { api, client: () => aaClient(`${api.url}/`) };
};

describe('the automation-anywhere client: authentication', () => {
  it('authenticates with multiLogin, validates, refreshes and logs out; a logged-out token is refused', async () => {
    const { client } = await withUser();
    const aa = client();
    const signedIn = await aa.authenticate('runner', 'runner-password', true);
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toMatchObject({
      token: expect.any(String),
      user: { username: 'runner', roles: [{ name: 'developer' }] },
    });
    expect(await aa.validate()).toEqual({ status: 200, json: { valid: true } });
    const first = aa.token;
    const refreshed = await aa.refresh();
    expect(refreshed.status).toBe(200);
    expect(aa.token).not.toBe(first);
    expect(await aa.logout()).toEqual({ status: 204, json: {} });
    expect(await aa.validate()).toEqual({ status: 200, json: { valid: false } });
    expect(await aa.refresh()).toMatchObject({
      status: 401,
      json: { code: 'UNAUTHORIZED', message: 'this token was signed out; authenticate again' },
    });
  });

  it('with multiLogin false, a new sign-in ends the user tokens from before it; with true, both stay', async () => {
    const { client } = await withUser();
    const kept = client();
    await kept.authenticate('runner', 'runner-password', true);
    const also = client();
    await also.authenticate('runner', 'runner-password', true);
    expect([(await kept.validate()).json.valid, (await also.validate()).json.valid]).toEqual([true, true]);

    // Tokens carry whole seconds: the single sign-in must come in a later second than the ones it ends.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const only = client();
    await only.authenticate('runner', 'runner-password', false);
    expect([
      (await kept.validate()).json.valid,
      (await also.validate()).json.valid,
      (await only.validate()).json.valid,
    ]).toEqual([false, false, true]);
    expect((await kept.logout()).json).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'this user signed in again with multipleLogin: false, which ended this token; authenticate again',
    });
  });

  it('answers validate without a token 400, and unknown routes and wrong methods under its paths in its error shape', async () => {
    const { api } = await withUser();
    const noToken = await fetch(`${api.url}/v1/authentication/token`);
    expect([noToken.status, await noToken.json()]).toEqual([
      400,
      { code: 'BAD_REQUEST', details: 'token', message: 'send the token to check as ?token=' },
    ]);
    for (const [method, path, status] of [
      ['POST', '/v3/automations/nope', 404],
      ['GET', '/v2/repository/nothing', 404],
      ['DELETE', '/v1/authentication/token', 405],
      ['GET', '/v1/authentication/logout', 405],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(await response.json()).toEqual({ code: expect.any(String), details: '', message: expect.any(String) });
    }
  });
});

describe('the automation-anywhere client: devices and repository', () => {
  it('lists run-as users and devices, and finds automations by name, as the client reads them', async () => {
    const { api, client } = await withUser();
    const aa = client();
    await aa.authenticate('runner', 'runner-password');
    const users = await aa.listDevices();
    expect(users.status).toBe(200);
    expect(users.json).toEqual({
      page: { offset: 0, total: 1, totalFilter: 1 },
      list: [{ id: expect.stringMatching(/^\d+$/), username: 'runner' }],
    });

    const devices = await fetch(`${api.url}/v2/devices/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': aa.token as string },
      body: '{}',
    });
    const deviceList = (await devices.json()) as {
      list: Array<{ status: string; defaultUsers: Array<{ id: string }> }>;
    };
    expect(deviceList.list).toEqual([
      expect.objectContaining({
        type: 'BOT_RUNNER',
        status: 'CONNECTED',
        defaultUsers: [{ id: (users.json.list as Array<{ id: string }>)[0]?.id, username: 'runner' }],
      }),
    ]);

    const found = await aa.listAutomations('zip-code');
    expect(found.status).toBe(200);
    expect(found.json.list).toEqual([
      {
        id: expect.stringMatching(/^\d+$/),
        parentId: '1',
        name: 'zip-code',
        path: 'Bots\\zip-code',
        type: 'application/vnd.aa.taskbot',
        workspaceType: 'PUBLIC',
        description: expect.any(String),
        version: '1',
        locked: false,
        folder: false,
      },
    ]);
    expect(found.json.page).toMatchObject({ offset: 0, totalFilter: 1 });
    const fileId = (found.json.list as Array<{ id: string }>)[0]?.id;
    expect(String(api.core.catalog.get('zip-code').fileId)).toBe(fileId);

    // The filter grammar: and / or / substring, sort, page.
    const some = await aa.listAutomations(
      undefined,
      'public',
      {
        operator: 'or',
        operands: [
          { operator: 'substring', field: 'name', value: 'ECH' },
          { operator: 'eq', field: 'name', value: 'fail' },
        ],
      },
      [{ field: 'name', direction: 'desc' }],
      { offset: 0, length: 1 },
    );
    expect(some.json).toMatchObject({ page: { offset: 0, totalFilter: 2 }, list: [{ name: 'fail' }] });
    expect((await aa.listAutomations('zip-code', 'private')).json).toMatchObject({ list: [], page: { total: 0 } });
    const one = await fetch(`${api.url}/v2/repository/files/${fileId}`, {
      headers: { 'x-authorization': aa.token as string },
    });
    expect(await one.json()).toMatchObject({ id: fileId, name: 'zip-code' });
  });

  it('refuses bad filters and sorts 400, unknown workspaces and files 404, and calls without a token 401, in its error shape', async () => {
    const { api, client } = await withUser();
    const aa = client();
    await aa.authenticate('runner', 'runner-password');
    const answers = {
      operator: await aa.listAutomations(undefined, 'public', { operator: 'like', field: 'name', value: 'x' }),
      field: await aa.listAutomations(undefined, 'public', { operator: 'eq', field: 'secret', value: 'x' }),
      sort: await aa.listAutomations('x', 'public', undefined, [{ field: 'nope', direction: 'asc' }]),
      page: await aa.listAutomations('x', 'public', undefined, undefined, { offset: -1 }),
      workspace: await aa.listAutomations('x', 'shared'),
      file: {
        status: (
          await fetch(`${api.url}/v2/repository/files/99999`, { headers: { 'x-authorization': aa.token as string } })
        ).status,
        json: {},
      },
      noToken: await aaClient(`${api.url}/`).listDevices(),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({
      operator: 400,
      field: 400,
      sort: 400,
      page: 400,
      workspace: 404,
      file: 404,
      noToken: 401,
    });
    expect(answers.operator.json).toEqual({
      code: 'BAD_REQUEST',
      details: 'filter',
      message: 'unknown filter operator "like"; use eq, ne, lt, le, gt, ge, substring, and, or, not',
    });
    expect(answers.field.json).toMatchObject({
      code: 'BAD_REQUEST',
      details: 'filter',
      message: expect.stringContaining('cannot filter on "secret"'),
    });
  });
});

const pollActivity = async (
  aa: ReturnType<typeof aaClient>,
  deploymentId: string,
  until: (status: string) => boolean,
) => {
  for (let i = 0; i < 200; i++) {
    const { json } = await aa.status(deploymentId);
    const [execution] = json.list as Array<Record<string, unknown> & { status: string }>;
    if (execution && until(execution.status)) return { execution, page: json.page };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`deployment ${deploymentId} did not reach the status`);
};

const terminal = (status: string) =>
  ['COMPLETED', 'RUN_FAILED', 'RUN_ABORTED', 'RUN_TIMED_OUT', 'DEPLOY_FAILED'].includes(status);

describe('the automation-anywhere client: deploy and activity', () => {
  it('deploys with typed botInput and polls activity by deploymentId until COMPLETED, with typed output variables', async () => {
    const { api, client } = await withUser();
    const aa = client();
    await aa.authenticate('runner', 'runner-password');
    const [runAs] = (await aa.listDevices()).json.list as Array<{ id: string }>;
    const [file] = (await aa.listAutomations('echo')).json.list as Array<{ id: string }>;
    const deployed = await aa.deploy(Number(file?.id), [Number(runAs?.id)], {
      botInput: { message: { type: 'STRING', string: 'from a deploy' }, count: { type: 'NUMBER', number: '3' } },
    });
    expect(deployed.status).toBe(200);
    expect(deployed.json).toEqual({
      deploymentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      automationName: expect.stringMatching(/^echo\.\d{4}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.runner$/),
    });
    const { execution, page } = await pollActivity(aa, deployed.json.deploymentId as string, terminal);
    expect(page).toEqual({ offset: 0, total: 1, totalFilter: 1 });
    expect(execution).toMatchObject({
      id: `${deployed.json.deploymentId}_0000000000000001`,
      deploymentId: deployed.json.deploymentId,
      automationName: deployed.json.automationName,
      status: 'COMPLETED',
      fileId: file?.id,
      fileName: 'echo',
      userName: 'runner',
      message: '',
      startDateTime: expect.any(String),
      endDateTime: expect.any(String),
      botOutVariables: {
        values: { message: { type: 'STRING', string: 'from a deploy' }, count: { type: 'NUMBER', number: '3' } },
      },
    });
    // By name too, as the client's status(deploy_name=…) asks.
    expect((await aa.status(undefined, deployed.json.automationName as string)).json.list).toHaveLength(1);
    const [job] = await api.core.jobs.list();
    expect(job).toMatchObject({ adapter: 'api-task', state: 'succeeded' });
  });

  it('ends a failing bot RUN_FAILED with its message, and stops a running one RUN_ABORTED', async () => {
    const { api, client } = await withUser();
    const aa = client();
    await aa.authenticate('runner', 'runner-password');
    const [runAs] = (await aa.listDevices()).json.list as Array<{ id: string }>;
    const fileOf = async (name: string) =>
      Number(((await aa.listAutomations(name)).json.list as Array<{ id: string }>)[0]?.id);
    const failing = await aa.deploy(await fileOf('fail'), [Number(runAs?.id)], {
      botInput: { message: { type: 'STRING', string: 'out of stock' } },
    });
    const failed = await pollActivity(aa, failing.json.deploymentId as string, terminal);
    expect(failed.execution).toMatchObject({ status: 'RUN_FAILED', message: expect.stringContaining('out of stock') });

    const sleeping = await aa.deploy(await fileOf('sleep'), [Number(runAs?.id)], {
      botInput: { seconds: { type: 'NUMBER', number: '60' } },
    });
    const running = await pollActivity(aa, sleeping.json.deploymentId as string, (status) => status === 'RUNNING');
    const manage = (body: unknown) =>
      fetch(`${api.url}/v3/activity/manage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-authorization': aa.token as string },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, json: await r.json() }));
    expect(await manage({ stop_executions: { execution_ids: [running.execution.id] } })).toEqual({
      status: 200,
      json: { stop_executions: { execution_ids: [running.execution.id] } },
    });
    expect((await pollActivity(aa, sleeping.json.deploymentId as string, terminal)).execution.status).toBe(
      'RUN_ABORTED',
    );
    expect((await manage({ stop_executions: { execution_ids: [running.execution.id] } })).status).toBe(409);
    expect((await manage({ stop_executions: { execution_ids: ['nope_0000000000000001'] } })).status).toBe(404);
    expect((await manage({ pause: true })).status).toBe(400);
  });

  it('refuses an unknown fileId 404, bad typed input 400 naming the variable, unknown run-as users 400, and no token 401', async () => {
    const { api, client } = await withUser();
    const aa = client();
    await aa.authenticate('runner', 'runner-password');
    const [runAs] = (await aa.listDevices()).json.list as Array<{ id: string }>;
    const echo = Number(((await aa.listAutomations('echo')).json.list as Array<{ id: string }>)[0]?.id);
    const answers = {
      unknownFile: await aa.deploy(99999, [Number(runAs?.id)]),
      badInput: await aa.deploy(echo, [Number(runAs?.id)], { botInput: { count: { type: 'NUMBER', number: 'many' } } }),
      unknownInput: await aa.deploy(echo, [Number(runAs?.id)], { botInput: { nope: { type: 'STRING', string: 'x' } } }),
      unknownUser: await aa.deploy(echo, [424242]),
      noRunAs: await aa.deploy(echo, []),
      badFilter: await (async () => {
        const r = await fetch(`${api.url}/v3/activity/list`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-authorization': aa.token as string },
          body: '{"filter":{"operator":"eq","field":"secret","value":"1"}}',
        });
        return { status: r.status, json: (await r.json()) as Record<string, unknown> };
      })(),
      noToken: await aaClient(`${api.url}/`).deploy(echo, [1]),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, a.status]))).toEqual({
      unknownFile: 404,
      badInput: 400,
      unknownInput: 400,
      unknownUser: 400,
      noRunAs: 400,
      badFilter: 400,
      noToken: 401,
    });
    expect(answers.badInput.json).toMatchObject({ code: 'INVALID_VARIABLE', details: 'count' });
    expect(answers.unknownInput.json).toMatchObject({ code: 'UNKNOWN_VARIABLE', details: 'nope' });
    expect(answers.unknownUser.json).toEqual({
      code: 'BAD_REQUEST',
      details: 'runAsUserIds',
      message: 'INVALID_ARGUMENT: Some or all users provided are either deleted or disabled',
    });
    for (const answer of Object.values(answers))
      expect(Object.keys(answer.json).sort()).toEqual(['code', 'details', 'message']);
    expect(await api.core.jobs.list()).toEqual([]);
  });
});

describe('activity filters', () => {
  it('refuses malformed operands 400 wherever they nest', async () => {
    const { api, client } = await withUser();
    const aa = client();
    await aa.authenticate('runner', 'runner-password');
    for (const filter of [
      { operator: 'and', operands: [{}] },
      { operator: 'or', operands: [{ operator: 'eq', field: 'deploymentId', value: 'x' }, { field: 'status' }] },
      { operator: 'and', operands: ['text'] },
    ]) {
      const answer = await fetch(`${api.url}/v3/activity/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-authorization': aa.token as string },
        body: JSON.stringify({ filter }),
      });
      expect([answer.status, ((await answer.json()) as { code: string }).code]).toEqual([400, 'BAD_REQUEST']);
    }
  });
});
