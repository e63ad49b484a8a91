/**
 * The requests of the published Automation Anywhere 360 client (PyPI `automation-anywhere`,
 * minterciso/pyAutomationAnywhere `automation_anywhere/base.py` and `executor.py`), as Python
 * `requests` sends them: `json=` bodies written by `json.dumps` (`", "` and `": "` separators)
 * with Content-Type application/json, `params=` as a query string, the token in
 * `X-Authorization`. Each call returns what the client reads from the answer.
 */

/** Python's `json.dumps` with its default separators (`None` is `null`). */
const pyDumps = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(pyDumps).join(', ')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.entries(value)
          .map(([key, item]) => `${JSON.stringify(key)}: ${pyDumps(item)}`)
          .join(', ')}}`
      : value === undefined
        ? 'null'
        : JSON.stringify(value);

const requestsHeaders = {
  'User-Agent': 'python-requests/2.32.3',
  'Accept-Encoding': 'gzip, deflate',
  Accept: '*/*',
  Connection: 'keep-alive',
};

export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

const answer = async (response: Response): Promise<Answer> => {
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
};

/** `base_url` ends with `/`, as the client's callers give it (it appends `v1/…`). */
export const aaClient = (baseUrl: string) => {
  let headers: Record<string, string> | null = null;
  let token: string | null = null;
  const post = (endpoint: string, body?: unknown) =>
    fetch(`${baseUrl}${endpoint}`, {
      method: 'POST',
      headers: {
        ...requestsHeaders,
        ...(headers ?? {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: pyDumps(body) }),
    }).then(answer);

  return {
    get token() {
      return token;
    },
    /** `authenticate(username, password, multiple_login=False)`: `{"username", "password", "multiLogin"}`; reads `token` and `user`. */
    async authenticate(username: string, password: string, multipleLogin = false): Promise<Answer> {
      const result = await post('v1/authentication', { username, password, multiLogin: multipleLogin });
      if (result.status === 200) {
        token = result.json.token as string;
        headers = { 'X-Authorization': token };
      }
      return result;
    },
    /** `validate()`: `GET v1/authentication/token?token=`, no headers; reads `valid`. */
    async validate(): Promise<Answer> {
      return answer(
        await fetch(`${baseUrl}v1/authentication/token?${new URLSearchParams({ token: token ?? '' })}`, {
          headers: requestsHeaders,
        }),
      );
    },
    /** `refresh()`: `{"token"}`, no headers; reads `token`. */
    async refresh(): Promise<Answer> {
      const saved = headers;
      headers = null;
      const result = await post('v1/authentication/token', { token });
      headers = saved;
      if (result.status === 200) {
        token = result.json.token as string;
        headers = { 'X-Authorization': token };
      }
      return result;
    },
    /** `logout()`: a POST with only `X-Authorization`; expects 204. */
    logout: () => post('v1/authentication/logout'),
    /** `list_devices(sort=None, page=None)`: `{"page": null, "sort": [{"field": "username", "direction": "asc"}]}`; reads `page` and `list`. */
    listDevices: (sort?: unknown, page?: unknown) =>
      post('v1/devices/runasusers/list', {
        page: page ?? null,
        sort: sort ?? [{ field: 'username', direction: 'asc' }],
      }),
    /** `list_automations(name=…, folder='public')`: an `eq` filter on `name`; reads `page` and `list`. */
    listAutomations: (name?: string, folder = 'public', filter?: unknown, sort?: unknown, page?: unknown) =>
      post(`v2/repository/workspaces/${folder}/files/list`, {
        page: page ?? null,
        sort: sort ?? null,
        filter: name !== undefined ? { operator: 'eq', field: 'name', value: name } : filter,
      }),
    /** `deploy(automation_id, users_ids, …)`: reads `deploymentId` and `automationName`. */
    deploy: (
      automationId: number,
      usersIds: number[],
      options: { poolIds?: unknown; overrideDefaultDevice?: boolean; callBackInfo?: unknown; botInput?: unknown } = {},
    ) =>
      post('v3/automations/deploy', {
        fileId: automationId,
        runAsUserIds: usersIds,
        poolIds: options.poolIds ?? null,
        callBackInfo: options.callBackInfo ?? null,
        botInput: options.botInput ?? null,
        overrideDefaultDevice: options.overrideDefaultDevice ?? false,
      }),
    /** `status(deploy_id=…)`: an `and` of `eq` filters; reads `list` and `page`. */
    status: (deployId?: string, deployName?: string) =>
      post('v3/activity/list', {
        filter: {
          operator: 'and',
          operands: [
            ...(deployId ? [{ operator: 'eq', field: 'deploymentId', value: deployId }] : []),
            ...(deployName ? [{ operator: 'eq', field: 'automationName', value: deployName }] : []),
          ],
        },
        page: null,
        sort: null,
      }),
  };
};
