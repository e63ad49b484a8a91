import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '@botgate/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createErrorHandler } from './create-error-handler.js';
import { baseStatuses } from './statuses.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('createErrorHandler', () => {
  it('answers each unexpected error with a body made for it, and logs that body with the cause', async () => {
    const logged: unknown[] = [];
    const logger = { ...silentLogger, error: (fields: unknown) => void logged.push(fields) } as Logger;
    let made = 0;
    const app = express();
    app.get('/broken', () => {
      throw new Error('a bug');
    });
    app.use(
      createErrorHandler({
        statuses: baseStatuses,
        body: ({ code, message }) => ({ code, message }),
        internal: () => ({ message: 'internal', trace: ++made }),
        logger,
        adapter: 'test',
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/broken`;

    const first = await fetch(url);
    const second = await fetch(url);
    expect([first.status, await first.json(), await second.json()]).toEqual([
      500,
      { message: 'internal', trace: 1 },
      { message: 'internal', trace: 2 },
    ]);
    expect(logged).toMatchObject([
      { err: { message: 'a bug' }, path: '/broken', answer: { trace: 1 } },
      { answer: { trace: 2 } },
    ]);
  });
});
