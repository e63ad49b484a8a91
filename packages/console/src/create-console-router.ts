import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { silentLogger, type Core, type Logger } from '@botgate/core';
import {
  acceptBodies,
  jsonBody,
  mountRoutes,
  operation,
  receiveUploads,
  type ConsolePanel,
  type UploadOptions,
  type RouteDoc,
  type RouteSpec,
} from '@botgate/http';
import express, { Router, type RequestHandler } from 'express';
import type { ConsoleContext } from './console-context.js';
import { consoleApiBase, consoleContract, consoleOpenApi } from './contract.js';
import { ConsoleError, createConsoleErrorHandler } from './errors.js';
import { createJobFeed } from './job-feed.js';
import { listAutomations, listPages } from './routes/automations.js';
import { jobLog } from './routes/job-log.js';
import { cancelJob, downloadJobFile, getJob, jobEvents, listJobs, rerunJob, runAutomation } from './routes/jobs.js';
import { getDelivery, listDeliveries, redeliver, type DeliverySource } from './routes/deliveries.js';
import { overview } from './routes/overview.js';
import { createSessions } from './session.js';

export interface ConsoleOptions {
  /** The panels of the adapters the server started (`AdapterRuntime.console`); one of them signs operators in. */
  panels: readonly ConsolePanel[];
  /** What else starts jobs, as their `adapter` names it (each adapter, the CLI): the jobs list's filter offers these and `console`. */
  origins?: readonly string[];
  /** What the adapters send out (webhooks, callbacks): the Deliveries page and the overview's counts. @default none */
  deliveries?: readonly DeliverySource[];
  /** The Run page's file uploads: limits and the folder they wait in. @default 50 MiB a file, 200 MiB a request, `<dataDir>/uploads` */
  uploads?: Partial<UploadOptions>;
  /** How long a sign-in lasts. @default 28_800_000 (8 hours) */
  sessionLifetimeMs?: number;
  /** How often live views look for changes. @default 500 */
  pollMs?: number;
  /** The built web app. @default this package's `dist/web` */
  webDir?: string;
  logger?: Logger;
}

const defaultWebDir = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('@botgate/console/package.json')), 'dist', 'web');

/** The console's pages may load only what this server serves, and may not be framed. */
const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  next();
};

/**
 * The operator console at `/console`: its JSON API under `/console/api` (sessions of the operators
 * one adapter signs in, automations and their exposure per adapter, live jobs, overview, and each
 * adapter's panel: its actions, users, keys) and the web app that uses it. Mount it at the root.
 */
export const createConsoleRouter = (
  core: Core,
  options: ConsoleOptions,
): Router & { close(): void; openApi(): Record<string, unknown>; openStreams(): number } => {
  const operators = options.panels.find((panel) => panel.operators)?.operators;
  if (!operators) throw new Error('the console needs an adapter whose panel signs operators in');
  const pollMs = options.pollMs ?? 500;
  const deliveries = options.deliveries ?? [];
  const context: ConsoleContext = {
    core,
    panels: options.panels,
    feed: createJobFeed(core, pollMs),
    streams: new Set(),
  };
  const sessions = createSessions(operators, { lifetimeMs: options.sessionLifetimeMs ?? 8 * 3_600_000 });
  const anyone = sessions.require(['admin', 'developer']);
  const admin = sessions.require(['admin']);

  const api = Router();
  api.use(
    acceptBodies(['application/json'], 'send Content-Type: application/json'),
    ...jsonBody({ limit: '100kb', maxDepth: core.options.jsonDepth }),
  );
  const c = consoleContract;
  const guards = { anyone, admin };
  const routes: RouteSpec[] = [
    { ...c.login, body: { content: { 'application/json': operators.credentials } }, handler: sessions.login },
    { ...c.logout, handler: sessions.logout },
    { ...c.session, handler: sessions.current },
    { ...c.automations, before: [anyone], handler: listAutomations(context) },
    { ...c.pages, before: [anyone], handler: listPages(context) },
    {
      ...c.origins,
      before: [anyone],
      handler: async (_req, res) => void res.json([...(options.origins ?? []), 'console']),
    },
    { ...c.jobs, before: [anyone], handler: listJobs(context) },
    { ...c.jobEvents, before: [anyone], handler: async (req, res) => jobEvents(context)(req, res) },
    { ...c.job, before: [anyone], handler: getJob(context) },
    { ...c.jobLog, before: [anyone], handler: jobLog(context, Math.max(100, pollMs / 2)) },
    { ...c.jobFile, before: [anyone], handler: downloadJobFile(context) },
    { ...c.cancel, before: [anyone], handler: cancelJob(context) },
    { ...c.rerun, before: [anyone], handler: rerunJob(context) },
    { ...c.deliveries, before: [anyone], handler: listDeliveries(deliveries) },
    { ...c.delivery, before: [anyone], handler: getDelivery(deliveries) },
    { ...c.redeliver, before: [admin], handler: redeliver(deliveries) },
    { ...c.overview, before: [anyone], handler: overview(context, deliveries) },
    // Each adapter's actions: signed in, behind the guard its route asks for.
    ...options.panels.flatMap((panel) =>
      panel.routes.map(({ access, ...route }) => ({
        ...route,
        security: ['session'],
        before: [guards[access], ...(route.before ?? [])],
      })),
    ),
  ];
  mountRoutes(api, 'console', routes);

  // The Run page sends files: its route takes multipart bodies, which the rest of the API refuses.
  const uploads: UploadOptions = {
    uploadLimit: options.uploads?.uploadLimit ?? 50 * 1024 * 1024,
    uploadTotalLimit: options.uploads?.uploadTotalLimit ?? 200 * 1024 * 1024,
    uploadDir: options.uploads?.uploadDir ?? join(core.options.dataDir, 'uploads'),
  };
  const runRoute: RouteSpec = {
    ...c.run,
    before: [
      anyone,
      acceptBodies(['multipart/form-data', 'application/json'], 'send multipart/form-data or application/json'),
      ...receiveUploads(uploads),
      ...jsonBody({ limit: '1mb', maxDepth: core.options.jsonDepth }),
    ],
    handler: runAutomation(context),
  };
  const runApi = Router();
  mountRoutes(runApi, 'console', [runRoute]);
  runApi.use(createConsoleErrorHandler(options.logger ?? silentLogger, core.storage));

  api.use((req, _res, next) =>
    next(new ConsoleError('NOT_FOUND', `no console API route ${req.method} ${req.originalUrl.split('?')[0]}`)),
  );
  api.use(createConsoleErrorHandler(options.logger ?? silentLogger, core.storage));

  const webDir = options.webDir ?? defaultWebDir();
  const router = Router();
  router.use(consoleApiBase, operation('console', 'other'), runApi, api);
  router.get('/console', (req, res, next) =>
    req.originalUrl === '/console' ? res.redirect(301, '/console/') : next(),
  );
  router.use(
    '/console',
    pageHeaders,
    express.static(webDir, {
      index: 'index.html',
      // Vite names built assets by their content: they never change; index.html always may.
      setHeaders: (res, path) =>
        res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  );
  router.use('/console', (_req, res) => {
    if (!existsSync(join(webDir, 'index.html')))
      res
        .status(503)
        .json({ error: 'NOT_BUILT', message: `the console's web app is not built (${webDir}); run npm run build` });
    else res.status(404).json({ error: 'NOT_FOUND', message: 'no such console page' });
  });
  // Made when first asked for, as the adapters' documents are (zod to JSON Schema costs a start).
  let document: Record<string, unknown> | undefined;
  return Object.assign(router, {
    openApi: () => (document ??= consoleOpenApi([...routes, runRoute] as RouteDoc[])),
    /** Live streams open now (the server's `botgate_open_streams`). */
    openStreams: () => context.streams.size,
    /** Ends the live streams, so the server can close. */
    close() {
      context.feed.close();
      for (const stream of context.streams) stream.end();
      context.streams.clear();
    },
  });
};
