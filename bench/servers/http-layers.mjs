// botgate's HTTP path one layer at a time, answering EMILY's `GET /api/job` with fixed bytes (no
// database), so bench/http-path.mjs can price each layer against the one below it:
//   node     bare node:http answering the same bytes (the floor under express)
//   send     express 5, one route that writes its answer with node's writeHead/end
//   express  bare express 5, one route answering with res.json
//   classes  the same on node's server built with express's classes (createExpressServer), as botgate's is
//   log      classes + the request log and metrics (apps/server's requestLog, a real pino and prom-client)
//   server   the server's whole frame (createServer: log, drain check, path dispatch, 404, errors)
//   table    + the local-api route as its route table mounts it (operation labels, 405, schema-parsed query)
// Prints its port as a JSON line when it listens.
import { createExpressServer, mountRoutes, operation } from '@botgate/http';
import { localApiContract } from '@botgate/local-api';
import express, { Router } from 'express';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from '../../apps/server/dist/create-server.js';
import { createLogger } from '../../apps/server/dist/logger.js';
import { createMetrics } from '../../apps/server/dist/metrics.js';
import { requestLog } from '../../apps/server/dist/request-log.js';

const layer = process.env.BENCH_LAYER ?? 'express';
const answer = JSON.parse(process.env.BENCH_ANSWERS ?? '{}').status ?? {};
// What the frame reads of a core: the job-end hook of the metrics and nothing on the hot path.
const core = { jobs: { onFinished: () => () => {} }, storage: { noteFailure: () => {} } };
const logger = createLogger('info');
const metrics = createMetrics(core);
const timeouts = { headersTimeout: 60_000, requestTimeout: 300_000, keepAliveTimeout: 5_000 };

const plainRouter = () => {
  const router = Router();
  router.get('/api/job', (_req, res) => res.json(answer));
  return router;
};

const tableRouter = () => {
  const router = Router();
  router.use('/api', operation('local-api', 'other'));
  mountRoutes(router, 'local-api', [
    {
      ...localApiContract.status,
      handler: async (_req, res, input) => {
        if (input.query.uuid === undefined) throw new Error('no uuid');
        res.json(answer);
      },
    },
  ]);
  return router;
};

const listenOn = (server) => (port) =>
  new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server.address().port)));
const body = Buffer.from(JSON.stringify(answer));
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length };

let listen;
if (layer === 'node') {
  listen = listenOn(
    createHttpServer((req, res) => {
      if (req.method === 'GET' && req.url.startsWith('/api/job')) res.writeHead(200, headers).end(body);
      else res.writeHead(404).end();
    }),
  );
} else if (layer === 'send') {
  const app = express();
  app.disable('x-powered-by');
  app.get('/api/job', (_req, res) => res.writeHead(200, headers).end(body));
  listen = listenOn(createHttpServer(app));
} else if (layer === 'classes' || layer === 'log') {
  const app = express();
  app.disable('x-powered-by');
  if (layer === 'log') app.use(requestLog(logger, metrics));
  app.use(plainRouter());
  listen = listenOn(createExpressServer(app));
} else if (layer === 'express') {
  const app = express();
  app.disable('x-powered-by');
  app.use(plainRouter());
  listen = (port) =>
    new Promise((resolve) =>
      app.listen(port, '127.0.0.1', function () {
        resolve(this.address().port);
      }),
    );
} else {
  const router = layer === 'table' ? tableRouter() : plainRouter();
  const server = createServer({ core, logger, metrics, routers: [{ paths: ['/api'], router }], timeouts });
  listen = (port) => server.listen(port, '127.0.0.1');
}
const port = await listen(0);
console.log(JSON.stringify({ port }));
process.on('SIGTERM', () => process.exit(0));
