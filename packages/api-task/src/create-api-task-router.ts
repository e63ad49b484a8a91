import { silentLogger, type Core, type Logger } from '@botgate/core';
import { acceptBodies, jsonBody, mountRoutes, operation } from '@botgate/http';
import { type RequestHandler, Router } from 'express';
import { readToken } from './auth/read-token.js';
import type { Role } from './auth/tokens.js';
import { createConcurrencyGate } from './concurrency-gate.js';
import { apiTaskContract } from './contract.js';
import { ApiTaskError, createApiTaskErrorHandler } from './errors.js';
import { createApiTaskAccess, type ApiTaskAccess } from './execution-access.js';
import { accessDetails } from './routes/access-details.js';
import { createAllocation, listAllocations } from './routes/allocation-routes.js';
import { authenticate, logout, refresh, validate } from './routes/authentication.js';
import { createDeployments } from './deployments.js';
import { deploy, listActivity, manageActivity } from './routes/deploy-routes.js';
import { listDevices, listRunAsUsers } from './routes/device-routes.js';
import { execute } from './routes/execute.js';
import { getFile, listFiles } from './routes/repository-routes.js';

export interface ApiTaskOptions {
  /** HS256 key of all api-task tokens. @default made once into `<dataDir>/api-task-jwt.key` */
  jwtSecret?: string | undefined;
  /** Lifetime of a user's token. @default 1_200_000 (20 minutes) */
  tokenLifetimeMs?: number;
  /** Lifetime of an execution token. @default 43_200_000 (12 hours) */
  executionTokenLifetimeMs?: number;
  /** The real-time limit of one execution; past it the answer is 504 and the job ends timed_out. @default 60_000 */
  realtimeLimitMs?: number;
  /** Base of the execution URLs handed out. @default the address the request came to */
  publicUrl?: string | undefined;
  /** Bytes of a JSON request body. @default 1048576 */
  bodyLimit?: number;
  /** Failed sign-ins before 429 (per user and address, per user, per address) and their window. @default 5, 20, 20 per 15 minutes */
  loginAttempts?: number;
  loginAttemptsPerUser?: number;
  loginAttemptsPerAddress?: number;
  loginWindowMs?: number;
  /** Users, tokens, sign-in limit and allocations shared with another part of the server (the console). @default made from these options */
  access?: ApiTaskAccess;
  /** @default a silent logger */
  logger?: Logger;
}

/** The user of the token, as its record says now, with one of these roles. */
const requireRole =
  (access: ApiTaskAccess, allowed: readonly Role[], what: string): RequestHandler =>
  (req, res, next) => {
    Promise.resolve()
      .then(() => access.check.user(readToken(req)))
      .then((user) => {
        if (!allowed.includes(user.role))
          throw new ApiTaskError(
            'FORBIDDEN',
            `${what} needs the ${allowed.join(' or ')} role; ${user.username} is ${user.role}`,
          );
        res.locals.user = user;
        next();
      })
      .catch(next);
  };

/** Every path under these is the Control Room's: unknown routes and wrong methods there answer in its error shape too. */
export const apiTaskPaths = [
  '/v1/authentication',
  '/orchestrator/v1/hotbot',
  '/hotbot',
  '/v1/devices',
  '/v2/devices',
  '/v2/repository',
  '/v3/automations',
  '/v3/activity',
] as const;

const jsonOnly = (limit: number, maxDepth: number): RequestHandler[] => [
  acceptBodies(['application/json'], 'send Content-Type: application/json'),
  ...jsonBody({ limit, maxDepth, strict: false }),
];

/**
 * Automation Anywhere's API Task real-time flow over a botgate core: authentication, allocation
 * (admin), execution URL and token (developer or admin), and synchronous execution. Mount it at
 * the root.
 */
export const createApiTaskRouter = (core: Core, options: ApiTaskOptions = {}): Router => {
  const access = options.access ?? createApiTaskAccess(core, options);
  const { allocations } = access;
  const gate = createConcurrencyGate(core);
  const json = jsonOnly(options.bodyLimit ?? 1024 * 1024, core.options.jsonDepth);
  const admin = requireRole(access, ['admin'], 'allocating API Tasks');
  const developer = requireRole(access, ['admin', 'developer'], 'generating execution URLs');
  const reader = requireRole(access, ['admin', 'developer'], 'reading the repository and devices');
  const deployer = requireRole(access, ['admin', 'developer'], 'deploying bots and reading their activity');
  const deployments = createDeployments(core);
  const router = Router();
  for (const base of apiTaskPaths) router.use(base, operation('api-task', 'other'));

  mountRoutes(router, 'api-task', [
    { ...apiTaskContract.authenticate, before: json, handler: authenticate(access) },
    { ...apiTaskContract.refresh, before: json, handler: refresh(access) },
    { ...apiTaskContract.validate, handler: validate(access) },
    { ...apiTaskContract.logout, before: json, handler: logout(access) },
    { ...apiTaskContract.listFiles, before: [reader, ...json], handler: listFiles(core) },
    { ...apiTaskContract.getFile, before: [reader], handler: getFile(core) },
    { ...apiTaskContract.listRunAsUsers, before: [reader, ...json], handler: listRunAsUsers(access.users) },
    { ...apiTaskContract.listDevices, before: [reader, ...json], handler: listDevices(core, access.users) },
    { ...apiTaskContract.deploy, before: [deployer, ...json], handler: deploy(core, access.users, deployments) },
    { ...apiTaskContract.listActivity, before: [deployer, ...json], handler: listActivity(core, deployments) },
    { ...apiTaskContract.manageActivity, before: [deployer, ...json], handler: manageActivity(core, deployments) },
    { ...apiTaskContract.allocate, before: [admin, ...json], handler: createAllocation(core, allocations) },
    { ...apiTaskContract.list, before: [admin, ...json], handler: listAllocations(core, allocations) },
    {
      ...apiTaskContract.accessDetails,
      before: [developer, ...json],
      handler: accessDetails(core, access, options.publicUrl),
    },
    {
      ...apiTaskContract.execute,
      before: json,
      handler: execute(core, access.check, gate, options.realtimeLimitMs ?? 60_000),
    },
  ]);

  const errors = createApiTaskErrorHandler(options.logger ?? silentLogger, core.storage);
  for (const base of apiTaskPaths) {
    router.use(base, (req, _res, next) =>
      next(new ApiTaskError('NOT_FOUND', `no API Task route ${req.method} ${req.originalUrl.split('?')[0]}`)),
    );
    router.use(base, errors);
  }
  return router;
};
