import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpressServer } from './express-http-server.js';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const start = async (app: express.Express) => {
  const server = createExpressServer(app);
  servers.push(server);
  // Listens before express does, so it sees the request as node built it.
  const built: unknown[] = [];
  server.prependListener('request', (req: IncomingMessage) => built.push(Object.getPrototypeOf(req)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, built };
};

describe('createExpressServer', () => {
  it('builds requests and responses with the prototypes express would give them', async () => {
    const app = express();
    const responses: unknown[] = [];
    app.get('/things/:id', (req, res) => {
      responses.push(Object.getPrototypeOf(res));
      res
        .status(201)
        .set('X-Id', req.params.id)
        .json({ id: req.params.id, q: req.query.q, host: req.hostname, app: req.app === app });
    });
    const { url, built } = await start(app);

    const answer = await fetch(`${url}/things/7?q=a`);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-id')).toBe('7');
    expect(await answer.json()).toEqual({ id: '7', q: 'a', host: '127.0.0.1', app: true });
    expect(built).toEqual([app.request]);
    expect(responses).toEqual([app.response]);
  });

  it('keeps express answering what no route takes and what throws', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ message: error.message });
    });
    const { url } = await start(app);

    expect((await fetch(`${url}/nothing`)).status).toBe(404);
    const failed = await fetch(`${url}/boom`);
    expect([failed.status, await failed.json()]).toEqual([500, { message: 'boom' }]);
  });
});
