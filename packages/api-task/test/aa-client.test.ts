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
    expect(signedIn.json).toMatchObject({ token: expect.any(String), user: { username: 'runner', roles: [{ name: 'developer' }] } });
    expect(await aa.validate()).toEqual({ status: 200, json: { valid: true } });
    const first = aa.token;
    const refreshed = await aa.refresh();
    expect(refreshed.status).toBe(200);
    expect(aa.token).not.toBe(first);
    expect(await aa.logout()).toEqual({ status: 204, json: {} });
    expect(await aa.validate()).toEqual({ status: 200, json: { valid: false } });
    expect(await aa.refresh()).toMatchObject({ status: 401, json: { code: 'UNAUTHORIZED', message: 'this token was signed out; authenticate again' } });
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
    expect([(await kept.validate()).json.valid, (await also.validate()).json.valid, (await only.validate()).json.valid]).toEqual([false, false, true]);
    expect((await kept.logout()).json).toMatchObject({ code: 'UNAUTHORIZED', message: 'this user signed in again with multipleLogin: false, which ended this token; authenticate again' });
  });

  it('answers validate without a token 400, and unknown routes and wrong methods under its paths in its error shape', async () => {
    const { api } = await withUser();
    const noToken = await fetch(`${api.url}/v1/authentication/token`);
    expect([noToken.status, await noToken.json()]).toEqual([400, { code: 'BAD_REQUEST', details: 'token', message: 'send the token to check as ?token=' }]);
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
    expect(users.json).toEqual({ page: { offset: 0, total: 1, totalFilter: 1 }, list: [{ id: expect.stringMatching(/^\d+$/), username: 'runner' }] });

    const devices = await fetch(`${api.url}/v2/devices/list`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-authorization': aa.token as string }, body: '{}' });
    const deviceList = (await devices.json()) as { list: Array<{ status: string; defaultUsers: Array<{ id: string }> }> };
    expect(deviceList.list).toEqual([expect.objectContaining({ type: 'BOT_RUNNER', status: 'CONNECTED', defaultUsers: [{ id: (users.json.list as Array<{ id: string }>)[0]?.id, username: 'runner' }] })]);

    const found = await aa.listAutomations('zip-code');
    expect(found.status).toBe(200);
    expect(found.json.list).toEqual([
      { id: expect.stringMatching(/^\d+$/), parentId: '1', name: 'zip-code', path: 'Bots\\zip-code', type: 'application/vnd.aa.taskbot', workspaceType: 'PUBLIC', description: expect.any(String), version: '1', locked: false, folder: false },
    ]);
    expect(found.json.page).toMatchObject({ offset: 0, totalFilter: 1 });
    const fileId = (found.json.list as Array<{ id: string }>)[0]?.id;
    expect(String(api.core.catalog.get('zip-code').fileId)).toBe(fileId);

    // The filter grammar: and / or / substring, sort, page.
    const some = await aa.listAutomations(undefined, 'public', { operator: 'or', operands: [{ operator: 'substring', field: 'name', value: 'ECH' }, { operator: 'eq', field: 'name', value: 'fail' }] }, [{ field: 'name', direction: 'desc' }], { offset: 0, length: 1 });
    expect(some.json).toMatchObject({ page: { offset: 0, totalFilter: 2 }, list: [{ name: 'fail' }] });
    expect((await aa.listAutomations('zip-code', 'private')).json).toMatchObject({ list: [], page: { total: 0 } });
    const one = await fetch(`${api.url}/v2/repository/files/${fileId}`, { headers: { 'x-authorization': aa.token as string } });
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
      file: { status: (await fetch(`${api.url}/v2/repository/files/99999`, { headers: { 'x-authorization': aa.token as string } })).status, json: {} },
      noToken: await aaClient(`${api.url}/`).listDevices(),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({ operator: 400, field: 400, sort: 400, page: 400, workspace: 404, file: 404, noToken: 401 });
    expect(answers.operator.json).toEqual({ code: 'BAD_REQUEST', details: 'filter', message: 'unknown filter operator "like"; use eq, ne, lt, le, gt, ge, substring, and, or, not' });
    expect(answers.field.json).toMatchObject({ code: 'BAD_REQUEST', details: 'filter', message: expect.stringContaining('cannot filter on "secret"') });
  });
});
