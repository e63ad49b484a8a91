import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createApiTaskAccess, type ApiTaskAccess, type ApiTaskAccessOptions } from '@botgate/api-task';
import { silentLogger, type Core, type Logger } from '@botgate/core';
import { acceptBodies, jsonBody, mountRoutes, operation } from '@botgate/http';
import { createSkills } from '@botgate/local-api';
import { createProcesses, createWorkspaceKeys } from '@botgate/process-api';
import express, { Router, type RequestHandler } from 'express';
import type { ConsoleContext } from './console-context.js';
import { consoleApiBase, consoleContract } from './contract.js';
import { ConsoleError, createConsoleErrorHandler } from './errors.js';
import { createJobFeed } from './job-feed.js';
import { addKey, addUser, listKeys, listUsers, removeKey, removeUser } from './routes/admin.js';
import {
  addToLocalApi,
  allocate,
  deleteSecret,
  executionAccess,
  generateSecret,
  listAutomations,
  removeFromLocalApi,
} from './routes/automations.js';
import { jobLog } from './routes/job-log.js';
import { cancelJob, downloadJobFile, getJob, jobEvents, listJobs, rerunJob } from './routes/jobs.js';
import { overview } from './routes/overview.js';
import { createSessions } from './session.js';

/** The console sides of the adapters the server started (`AdapterRuntime.console`), by adapter name. */
interface AdapterSides {
  'api-task'?: { access: ApiTaskAccess; publicUrl?: string | undefined };
  'process-api'?: { workspaceId?: string | undefined; publicUrl?: string | undefined };
}

export interface ConsoleOptions extends ApiTaskAccessOptions {
  /** Each adapter's console side, by name, as the server started them. */
  adapters?: Record<string, unknown>;
  /** The process-api workspace, as the adapter is configured. @default the process-api side's */
  workspaceId?: string | undefined;
  /** Base of the URLs and curl lines the console shows. @default the adapters' public URL, or the address the browser used */
  publicUrl?: string | undefined;
  /** How long a sign-in lasts. @default 28_800_000 (8 hours) */
  sessionLifetimeMs?: number;
  /** The api-task adapter's users, tokens and allocations, shared with its router. @default made from these options */
  access?: ApiTaskAccess;
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
 * The operator console at `/console`: its JSON API under `/console/api` (sessions of api-task
 * users, automations and their exposure per adapter, live jobs, overview, users and keys) and
 * the web app that uses it. Mount it at the root.
 */
export const createConsoleRouter = (core: Core, options: ConsoleOptions = {}): Router & { close(): void } => {
  const sides = (options.adapters ?? {}) as AdapterSides;
  const apiTask = options.access ?? sides['api-task']?.access ?? createApiTaskAccess(core, options);
  const workspaceId = options.workspaceId ?? sides['process-api']?.workspaceId;
  const publicUrl = options.publicUrl ?? sides['api-task']?.publicUrl ?? sides['process-api']?.publicUrl;
  const pollMs = options.pollMs ?? 500;
  const context: ConsoleContext = {
    core,
    skills: createSkills(core),
    processes: createProcesses(core, workspaceId),
    workspaceKeys: createWorkspaceKeys(core),
    apiTask,
    feed: createJobFeed(core, pollMs),
    streams: new Set(),
    publicUrl,
  };
  const sessions = createSessions(apiTask, { lifetimeMs: options.sessionLifetimeMs ?? 8 * 3_600_000 });
  const anyone = sessions.require(['admin', 'developer']);
  const admin = sessions.require(['admin']);

  const api = Router();
  api.use(
    acceptBodies(['application/json'], 'send Content-Type: application/json'),
    ...jsonBody({ limit: '100kb', maxDepth: core.options.jsonDepth }),
  );
  const c = consoleContract;
  mountRoutes(api, 'console', [
    { ...c.login, handler: sessions.login },
    { ...c.logout, handler: sessions.logout },
    { ...c.session, handler: sessions.current },
    { ...c.automations, before: [anyone], handler: listAutomations(context) },
    { ...c.addToLocalApi, before: [anyone], handler: addToLocalApi(context) },
    { ...c.removeFromLocalApi, before: [anyone], handler: removeFromLocalApi(context) },
    { ...c.generateSecret, before: [anyone], handler: generateSecret(context) },
    { ...c.deleteSecret, before: [anyone], handler: deleteSecret(context) },
    { ...c.allocate, before: [admin], handler: allocate(context) },
    { ...c.executionAccess, before: [anyone], handler: executionAccess(context) },
    { ...c.jobs, before: [anyone], handler: listJobs(context) },
    { ...c.jobEvents, before: [anyone], handler: async (req, res) => jobEvents(context)(req, res) },
    { ...c.job, before: [anyone], handler: getJob(context) },
    { ...c.jobLog, before: [anyone], handler: jobLog(context, Math.max(100, pollMs / 2)) },
    { ...c.jobFile, before: [anyone], handler: downloadJobFile(context) },
    { ...c.cancel, before: [anyone], handler: cancelJob(context) },
    { ...c.rerun, before: [anyone], handler: rerunJob(context) },
    { ...c.overview, before: [anyone], handler: overview(context) },
    { ...c.users, before: [admin], handler: listUsers(context) },
    { ...c.addUser, before: [admin], handler: addUser(context) },
    { ...c.removeUser, before: [admin], handler: removeUser(context) },
    { ...c.keys, before: [admin], handler: listKeys(context) },
    { ...c.addKey, before: [admin], handler: addKey(context) },
    { ...c.removeKey, before: [admin], handler: removeKey(context) },
  ]);

  api.use((req, _res, next) =>
    next(new ConsoleError('NOT_FOUND', `no console API route ${req.method} ${req.originalUrl.split('?')[0]}`)),
  );
  api.use(createConsoleErrorHandler(options.logger ?? silentLogger, core.storage));

  const webDir = options.webDir ?? defaultWebDir();
  const router = Router();
  router.use(consoleApiBase, operation('console', 'other'), api);
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
  return Object.assign(router, {
    /** Ends the live streams, so the server can close. */
    close() {
      context.feed.close();
      for (const stream of context.streams) stream.end();
      context.streams.clear();
    },
  });
};
