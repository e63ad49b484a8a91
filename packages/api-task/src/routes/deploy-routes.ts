import { fromTypedJson, validateInputs, type Core, type Values } from '@botgate/core';
import { idempotencyKeyOf, parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { User, Users } from '../auth/users.js';
import { activityRecord, executionIdOf, type Deployments } from '../deployments.js';
import { ApiTaskError } from '../errors.js';
import { listPage, listQuery, type Filter } from '../list-query.js';

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'expected an id')]);

export const deployBody = z.object({
  fileId: id,
  runAsUserIds: z.array(id).max(100).nullish(),
  poolIds: z.array(id).max(100).nullish(),
  overrideDefaultDevice: z.boolean().nullish(),
  numOfRunAsUsersToUse: z.number().int().min(1).nullish(),
  automationName: z.string().min(1).max(400).nullish(),
  automationPriority: z.enum(['PRIORITY_LOW', 'PRIORITY_MEDIUM', 'PRIORITY_HIGH']).nullish(),
  description: z.string().max(2000).nullish(),
  botInput: z.record(z.string(), z.unknown()).nullish(),
  callbackInfo: z.object({ url: z.url().optional(), headers: z.record(z.string(), z.string()).optional() }).nullish(),
});

/**
 * `POST /v3/automations/deploy`: queues the automation of `fileId` with its typed `botInput` (the
 * same typed variables as execute) and answers `{ deploymentId, automationName }` once the job is
 * written. `runAsUserIds` must name existing users (or `poolIds` be given, botgate's nodes being
 * the one pool); the bot runs once, on whichever node takes the job.
 */
export const deploy = (core: Core, users: Users, deployments: Deployments) => async (req: Request, res: Response) => {
  const body = parseInput(deployBody, req.body ?? {}, 'body');
  const idempotencyKey = idempotencyKeyOf(req);
  const automation = core.catalog.findByFileId(Number(body.fileId));
  if (!automation) throw new ApiTaskError('NOT_FOUND', `no file ${body.fileId} in the repository`, {}, 'fileId');
  const runAs = body.runAsUserIds ?? [];
  if (runAs.length === 0 && (body.poolIds ?? []).length === 0)
    throw new ApiTaskError(
      'BAD_REQUEST',
      'give runAsUserIds (from v1/devices/runasusers/list) or poolIds',
      {},
      'runAsUserIds',
    );
  // Only the users named, not every user, per deploy.
  const found = await Promise.all([...new Set(runAs.map(Number))].map((userId) => users.find(userId)));
  if (found.some((user) => user === undefined))
    throw new ApiTaskError(
      'BAD_REQUEST',
      'INVALID_ARGUMENT: Some or all users provided are either deleted or disabled',
      {},
      'runAsUserIds',
    );
  const botInput = body.botInput ?? {};
  const inputs: Values = Object.fromEntries(
    Object.entries(botInput).map(([name, raw]) => [name, fromTypedJson(name, raw)]),
  );
  validateInputs(automation.inputs, inputs);
  const callback = body.callbackInfo?.url
    ? { url: body.callbackInfo.url, headers: body.callbackInfo.headers ?? {} }
    : null;
  const { deployment, job } = await deployments.deploy(automation, inputs, res.locals.user as User, {
    automationName: body.automationName ?? undefined,
    callback,
    idempotencyKey,
  });
  if (!deployment)
    throw new ApiTaskError('NOT_FOUND', `the Idempotency-Key was used for job ${job.id}, which is not a deploy`);
  res.json({ deploymentId: deployment.deploymentId, automationName: deployment.automationName });
};

const activityFields = [
  'id',
  'deploymentId',
  'automationName',
  'automationId',
  'status',
  'fileId',
  'fileName',
  'filePath',
  'userId',
  'userName',
  'deviceId',
  'startDateTime',
  'endDateTime',
  'createdOn',
  'modifiedOn',
  'type',
];

/** The deployment ids a filter is limited to (an `eq` on deploymentId, alone or inside an `and`, or an `or` of them), so only those are read. */
const deploymentIdsOf = (filter: Filter | null | undefined): string[] | undefined => {
  // Operands are unchecked here: the listing walks and checks them after.
  if (!filter || typeof filter.operator !== 'string') return undefined;
  const operator = filter.operator.toLowerCase();
  if (operator === 'eq' && filter.field === 'deploymentId') return [String(filter.value)];
  const operands = (filter.operands ?? []).map((operand) => operand as Filter);
  if (operator === 'and') return operands.map(deploymentIdsOf).find((ids) => ids !== undefined);
  if (operator === 'or') {
    const parts = operands.map(deploymentIdsOf);
    return parts.length > 0 && parts.every((ids) => ids !== undefined) ? (parts.flat() as string[]) : undefined;
  }
  return undefined;
};

/** How many of the newest deploys a list without a deploymentId filter reads. */
const newestDeploys = 5000;

/** `POST /v3/activity/list`: deploys as Control Room executions, with its filter, sort and page. */
export const listActivity = (core: Core, deployments: Deployments) => async (req: Request, res: Response) => {
  const query = parseInput(listQuery, req.body ?? {}, 'body');
  const found = await deployments.withJobs(deploymentIdsOf(query.filter), newestDeploys);
  const records = found.map(({ deployment, job }) =>
    activityRecord(deployment, job, core.catalog.findByFileId(deployment.fileId)),
  );
  res.json(listPage(records, query, activityFields, { field: 'createdOn', direction: 'desc' }));
};

export const manageBody = z.object(
  { stop_executions: z.object({ execution_ids: z.array(z.string().min(1)).min(1).max(1000) }) },
  { error: 'send { "stop_executions": { "execution_ids": [ … ] } }' },
);

/** `POST /v3/activity/manage` `{ "stop_executions": { "execution_ids": […] } }`: stops them (a queued one never starts, a running one's process is killed). */
export const manageActivity = (core: Core, deployments: Deployments) => async (req: Request, res: Response) => {
  const { stop_executions: stop } = parseInput(manageBody, req.body ?? {}, 'body');
  const wanted = [...new Set(stop.execution_ids)];
  const found = await deployments.withJobs(
    [...new Set(wanted.map((executionId) => executionId.split('_')[0] as string))],
    wanted.length,
  );
  const byExecution = new Map(found.map((f) => [executionIdOf(f.deployment), f]));
  const unknown = wanted.filter((executionId) => !byExecution.has(executionId));
  if (unknown.length > 0)
    throw new ApiTaskError('NOT_FOUND', `no execution ${unknown.join(', ')}`, {}, 'execution_ids');
  for (const executionId of wanted)
    await core.jobs.cancel((byExecution.get(executionId) as (typeof found)[number]).job.id);
  res.json({ stop_executions: { execution_ids: wanted } });
};
