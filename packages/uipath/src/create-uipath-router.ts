import { silentLogger, type Core, type Logger } from '@botgate/core';
import { acceptBodies, jsonBody, mountRoutes, operation, type UserDirectory } from '@botgate/http';
import express, { Router, type RequestHandler } from 'express';
import { createApps } from './apps.js';
import { uipathContract } from './contract.js';
import { createUipathErrorHandler, UipathError } from './errors.js';
import { createFolders } from './folders.js';
import { createReleases } from './releases.js';
import { createODataRoutes } from './routes/odata-routes.js';
import { authenticate, clientCredentials } from './routes/sign-in.js';
import { createWebhookRoutes } from './routes/webhook-routes.js';
import { createTokens } from './tokens.js';
import { createUipathJobs } from './uipath-jobs.js';

export interface UipathOptions {
  /** The tenancy `Account/Authenticate` takes. @default 'Default' */
  tenancyName?: string;
  /** A password sign-in's token lifetime, in ms. @default 1800000 (30 minutes, as Orchestrator's) */
  tokenLifetimeMs?: number;
  /** A client-credentials token's lifetime, in ms. @default 3600000 (an hour, as UiPath's identity server's) */
  appTokenLifetimeMs?: number;
  /** The server's users, for `Account/Authenticate`; without them only external applications sign in. */
  directory?: () => UserDirectory | undefined;
  /** Bytes of a JSON body. @default 1048576 */
  bodyLimit?: number;
  /** @default a silent logger */
  logger?: Logger;
}

/** Where Orchestrator's API answers: the router gets these paths and no others. */
export const uipathPaths = ['/api/account', '/identity_', '/odata'] as const;

/**
 * UiPath Orchestrator's job API over a botgate core: classic and client-credentials sign-in,
 * `/odata/Releases`, `StartJobs`, `/odata/Jobs` and `StopJob(s)`. Mount it at the root.
 */
export const createUipathRouter = (core: Core, options: UipathOptions = {}): Router => {
  const apps = createApps(core);
  const folders = createFolders(core);
  const releases = createReleases(core, folders);
  const records = createUipathJobs(core);
  const tokens = createTokens(core, apps, options.directory ?? (() => undefined));
  const odata = createODataRoutes(core, folders, releases, records);
  const hooks = createWebhookRoutes(core);
  const json = [
    ...jsonBody({ limit: options.bodyLimit ?? 1024 * 1024, maxDepth: core.options.jsonDepth }),
    acceptBodies(['application/json'], 'send JSON (Content-Type: application/json)'),
  ];
  const form = [express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' })];
  const signIn = authenticate(tokens, options.directory ?? (() => undefined), {
    tenancyName: options.tenancyName ?? 'Default',
    lifetimeMs: options.tokenLifetimeMs ?? 1_800_000,
  });

  const router = Router();
  for (const path of uipathPaths) router.use(path, operation('uipath', 'other'));
  // Every OData call checks its caller's token before anything else: a 401 makes the client sign in again.
  const caller: RequestHandler = (req, res, next) => {
    tokens.check(req.get('authorization')).then((found) => {
      res.locals.uipathCaller = found;
      next();
    }, next);
  };
  const c = uipathContract;
  mountRoutes(router, 'uipath', [
    { ...c.account, before: json, handler: signIn },
    { ...c.authenticate, before: json, handler: signIn },
    {
      ...c.token,
      before: form,
      handler: clientCredentials(apps, tokens, { lifetimeMs: options.appTokenLifetimeMs ?? 3_600_000 }),
    },
    { ...c.releases, before: [caller], handler: odata.releases },
    { ...c.release, before: [caller], handler: odata.release },
    { ...c.startJobs, before: [caller, ...json], handler: odata.startJobs },
    { ...c.jobs, before: [caller], handler: odata.jobs },
    { ...c.job, before: [caller], handler: odata.job },
    { ...c.stopJob, before: [caller, ...json], handler: odata.stopJob },
    { ...c.stopJobs, before: [caller, ...json], handler: odata.stopJobs },
    { ...c.webhooks, before: [caller], handler: hooks.list },
    { ...c.addWebhook, before: [caller, ...json], handler: hooks.add },
    { ...c.webhook, before: [caller], handler: hooks.one },
    { ...c.removeWebhook, before: [caller], handler: hooks.remove },
    { ...c.eventTypes, before: [caller], handler: hooks.eventTypes },
  ]);
  for (const path of uipathPaths)
    router.use(path, (req, _res, next) =>
      next(new UipathError('NOT_FOUND', `no Orchestrator route ${req.method} ${req.originalUrl.split('?')[0]}`)),
    );
  for (const path of uipathPaths)
    router.use(path, createUipathErrorHandler(options.logger ?? silentLogger, core.storage));
  return router;
};
