import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '@botgate/core';
import {
  baseStatuses,
  createExpressServer,
  createPlainErrorHandler,
  dispatchByPath,
  type PathRouter,
} from '@botgate/http';
import express, { Router, type Express } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import { requestLog } from './request-log.js';

export interface ServerOptions {
  core: Core;
  logger: Logger;
  /** The adapters', the console's and the API reference's routers, each given only the requests under its paths. */
  routers: PathRouter[];
  metrics: Metrics;
  /** Node's HTTP timeouts, in milliseconds (see load-config.ts). */
  timeouts: { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number };
}

export interface BotgateServer {
  app: Express;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops taking requests: new ones get 503 while running ones complete. */
  drain(): Promise<void>;
}

/**
 * The HTTP side of `botgate serve`: health, the adapters (mounted here as their issues land),
 * and one JSON answer for anything that no route handles.
 */
export const createServer = ({ core, logger, routers, metrics, timeouts }: ServerOptions): BotgateServer => {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on answers: none of the vendors' contracts or clients send If-None-Match, and hashing
  // every JSON answer (SHA-1) was ~3 % of a status call's CPU. Static files keep theirs (serve-static).
  app.set('etag', false);
  let draining = false;
  let server: Server | undefined;

  app.use(requestLog(logger, metrics));
  app.use((_req, res, next) => {
    if (draining) {
      res.set('Connection', 'close').status(503).json({ error: 'SHUTTING_DOWN', message: 'botgate is shutting down' });
      return;
    }
    next();
  });

  const health = Router();
  health.get('/healthz', async (_req, res) => {
    // Probes call this every few seconds: the queued count alone is an index seek at any size.
    const counts = await core.jobs.counts({ state: 'queued' });
    res.json({
      status: 'ok',
      node: core.nodeId,
      running: core.worker.running,
      queued: counts.queued,
      automations: core.catalog.list().length,
    });
  });

  // Ready to serve: the database answers and has every migration this code knows.
  health.get('/readyz', async (_req, res) => {
    const readiness = await core.readiness();
    res
      .status(readiness.ready && !draining ? 200 : 503)
      .json({ ...readiness, ready: readiness.ready && !draining, draining });
  });

  health.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use(dispatchByPath([{ paths: ['/healthz', '/readyz', '/metrics'], router: health }, ...routers]));

  app.use((req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` });
  });

  // The shared edge handler: known errors (a storage failure among them) in botgate's own shape, the rest a logged 500.
  app.use(createPlainErrorHandler('server', baseStatuses, logger, core.storage));

  return {
    app,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server = createExpressServer(app, {
          headersTimeout: timeouts.headersTimeout,
          requestTimeout: timeouts.requestTimeout,
          keepAliveTimeout: timeouts.keepAliveTimeout,
          // Node looks for timed-out requests every 30 s by default: a slow client would outlive a short headersTimeout.
          connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(timeouts.headersTimeout / 4))),
        });
        server.once('error', reject);
        server.listen(port, host, () => resolve((server?.address() as AddressInfo).port));
      }),
    async drain() {
      draining = true;
      if (!server) return;
      const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
      server.closeIdleConnections();
      await closing;
    },
  };
};
