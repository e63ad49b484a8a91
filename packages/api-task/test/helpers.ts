import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCore, type Core } from '@botgate/core';
import { createTestDatabase, useTestRoot } from '@botgate/testing';
import express from 'express';
import { apiTaskDescriptor, createApiTaskRouter, createUsers, type ApiTaskOptions } from '../src/index.js';

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

/** The router alone in a bare express app over a real core on a fresh SQLite file. */
export const startApiTask = async (options: ApiTaskOptions = {}): Promise<Harness> => {
  const dataDir = join(root, `data-${++made}`);
  const database = await createTestDatabase();
  const core = await createCore({
    dataDir,
    catalogDir: examples,
    commandEnv: process.env,
    pollMs: 100,
    ...(database.config ? { database: database.config } : {}),
    adapters: [apiTaskDescriptor],
  });
  await core.worker.start();
  const app = express();
  app.use(createApiTaskRouter(core, options));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await core.close({ graceMs: 0 });
    await database.drop();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
