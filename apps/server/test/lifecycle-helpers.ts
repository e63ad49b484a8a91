import { cliJson, type RunningServer } from './helpers.js';

/** A JSON call and its answer. */
export const call = async (
  url: string,
  options: { method?: string; body?: unknown; json?: string; headers?: Record<string, string> } = {},
) => {
  // `json`: body text as it is (JSON.stringify itself overflows past a few thousand levels).
  const sent = options.json ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(url, {
    method: options.method ?? (sent === undefined ? 'GET' : 'POST'),
    headers: { ...(sent === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(sent === undefined ? {} : { body: sent }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the vendors' answers, asserted by the tests
  return { status: response.status, body: body as any };
};

/** Automation Anywhere's five steps up to an execution URL and its token, for `automationId`. */
export const executionAccess = async (
  server: RunningServer,
  env: Record<string, string>,
  automationId: string,
): Promise<{ url: string; token: string }> => {
  const name = `ops-${automationId}`;
  const admin = await cliJson<{ apiKey: string }>(['users', 'add', name, '--role', 'admin'], env);
  const auth = await call(`${server.url}/v1/authentication`, { body: { username: name, apiKey: admin.apiKey } });
  const automations = await cliJson<Array<{ id: string; fileId: number; repositoryPath: string }>>(
    ['automations', 'list'],
    env,
  );
  const automation = automations.find((a) => a.id === automationId);
  if (!automation) throw new Error(`no automation ${automationId}`);
  const created = await call(`${server.url}/orchestrator/v1/hotbot/config/create`, {
    method: 'PUT',
    body: { fileId: String(automation.fileId), concurrencyLimit: 5 },
    headers: { 'x-authorization': auth.body.token },
  });
  if (created.status !== 200) throw new Error(`allocation failed: ${JSON.stringify(created.body)}`);
  const access = await call(`${server.url}/orchestrator/v1/hotbot/config/accessdetails`, {
    body: { botRepositoryPath: [automation.repositoryPath] },
    headers: { 'x-authorization': auth.body.token },
  });
  const detail = access.body.accessDetails[automation.repositoryPath];
  return { url: detail.url, token: detail.headers['X-Authorization'] };
};

/** EMILY's "Add to API": the skill's uuid. */
export const emilySkill = async (env: Record<string, string>, automationId: string): Promise<string> =>
  (await cliJson<{ uuid: string }>(['local-api', 'add', automationId], env)).uuid;

export const stop = async (server: RunningServer): Promise<void> => {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGTERM');
  await server.exited;
};
