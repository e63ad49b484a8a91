import { join } from 'node:path';
import { startAdapter } from '@botgate/conformance';
import type { Core } from '@botgate/core';
import { useTestRoot } from '@botgate/testing';
import { apiTask, createUsers } from '../src/index.js';

export const examples = new URL('../../../examples', import.meta.url).pathname;

const { root, cleanups } = useTestRoot('botgate-api-task-');
let made = 0;

export interface Harness {
  core: Core;
  url: string;
  dataDir: string;
  post: (
    path: string,
    body: unknown,
    token?: string,
    method?: string,
  ) => Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  /** Logs in a new user of that role and answers its token. */
  login: (role: 'admin' | 'developer') => Promise<string>;
}

let userCount = 0;

const ms = (value: number | undefined) => (value === undefined ? undefined : `${value}ms`);

/** The adapter alone in a bare express app over a real core on a fresh database (the conformance kit's `startAdapter`). */
export const startApiTask = async (
  options: {
    bodyLimit?: number;
    loginAttempts?: number;
    realtimeLimitMs?: number;
    tokenLifetimeMs?: number;
    executionTokenLifetimeMs?: number;
  } = {},
): Promise<Harness> => {
  const settings = Object.fromEntries(
    Object.entries({
      bodyLimit: options.bodyLimit,
      loginAttempts: options.loginAttempts,
      realtimeLimit: ms(options.realtimeLimitMs),
      tokenLifetime: ms(options.tokenLifetimeMs),
      executionTokenLifetime: ms(options.executionTokenLifetimeMs),
    }).filter(([, value]) => value !== undefined),
  );
  const started = await startAdapter(apiTask, {
    settings,
    catalogDir: examples,
    dataDir: join(root, `data-${++made}`),
  });
  cleanups.push(async () => {
    await started.close();
    await started.database.drop();
  });
  const { core, url, dataDir } = started;

  const post: Harness['post'] = async (path, body, token, method = 'POST') => {
    const response = await fetch(path.startsWith('http') ? path : `${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-authorization': token } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      headers: response.headers,
    };
  };
  return {
    core,
    url,
    dataDir,
    post,
    async login(role) {
      const username = `${role}-${++userCount}`;
      const { apiKey } = await createUsers(core).add(username, role);
      const answer = await post('/v1/authentication', { username, apiKey });
      return answer.body.token as string;
    },
  };
};

/** Allocates an automation and answers its execution URL and token. */
export const allocate = async (
  api: Harness,
  automationId: string,
  concurrencyLimit = 1,
): Promise<{ url: string; token: string }> => {
  const admin = await api.login('admin');
  const automation = api.core.catalog.get(automationId);
  await api.post(
    '/orchestrator/v1/hotbot/config/create',
    { fileId: String(automation.fileId), concurrencyLimit },
    admin,
    'PUT',
  );
  const access = await api.post(
    '/orchestrator/v1/hotbot/config/accessdetails',
    { botRepositoryPath: [automation.repositoryPath] },
    admin,
  );
  const detail = (access.body.accessDetails as Record<string, { url: string; headers: { 'X-Authorization': string } }>)[
    automation.repositoryPath
  ];
  if (!detail) throw new Error(`no access details: ${JSON.stringify(access.body)}`);
  return { url: detail.url, token: detail.headers['X-Authorization'] };
};
