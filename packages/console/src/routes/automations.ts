import type { Automation } from '@botgate/core';
import { triggerCurl } from '@botgate/process-api';
import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { baseUrlOf, type ConsoleContext } from '../console-context.js';
import { ConsoleError } from '../errors.js';
import { consoleUserOf } from '../session.js';

const automationOf = (context: ConsoleContext, req: Request): Automation => {
  const automation = context.core.catalog.find(String(req.params.id));
  if (!automation) throw new ConsoleError('NOT_FOUND', `no automation "${String(req.params.id)}"`);
  return automation;
};

const localApiCurl = (base: string, uuid: string) => `curl "${base}/api?uuid=${uuid}"`;

/** Every automation with its declared variables and how each adapter exposes it. */
export const listAutomations = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const base = baseUrlOf(context, req);
  const [skills, processes, allocations, workspaceId] = await Promise.all([
    context.skills.list(),
    context.processes.list(),
    context.apiTask.allocations.page(0, 100_000),
    context.processes.workspaceId(),
  ]);
  res.json(
    context.core.catalog.list().map((automation) => {
      const skill = skills.find((s) => s.automationId === automation.id);
      const process = processes.find((p) => p.automationId === automation.id);
      const allocation = allocations.list.find((a) => a.automationId === automation.id);
      return {
        id: automation.id,
        name: automation.name,
        description: automation.description,
        kind: automation.run.kind,
        inputs: automation.inputs,
        outputs: automation.outputs,
        concurrency: automation.concurrency,
        timeoutMs: automation.timeoutMs,
        fileId: automation.fileId,
        repositoryPath: automation.repositoryPath,
        localApi: skill ? { uuid: skill.uuid, curl: localApiCurl(base, skill.uuid) } : null,
        processApi: {
          workspaceId,
          processId: process?.processId ?? null,
          hasSecret: (process?.secretHash ?? null) !== null,
        },
        apiTask: allocation ? { allocationId: allocation.id, concurrencyLimit: allocation.concurrencyLimit } : null,
      };
    }),
  );
};

/** EMILY's "Add to API": the uuid and a ready call. */
export const addToLocalApi = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const skill = await context.skills.add(automationOf(context, req).id);
  res.json({ uuid: skill.uuid, curl: localApiCurl(baseUrlOf(context, req), skill.uuid) });
};

export const removeFromLocalApi = (context: ConsoleContext) => async (req: Request, res: Response) => {
  await context.skills.remove(automationOf(context, req).id);
  res.status(204).end();
};

/** Robocorp's "Generate secret" (and rotate): the secret is shown this once, with its curl line. */
export const generateSecret = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const { process, secret } = await context.processes.rotateSecret(automationOf(context, req).id);
  const workspaceId = await context.processes.workspaceId();
  res.json({
    workspaceId,
    processId: process.processId,
    secret,
    curl: triggerCurl(baseUrlOf(context, req), workspaceId, process.processId, secret),
  });
};

export const deleteSecret = (context: ConsoleContext) => async (req: Request, res: Response) => {
  await context.processes.deleteSecret(automationOf(context, req).id);
  res.status(204).end();
};

export const allocationBody = z.object({ concurrencyLimit: z.number().int().min(1).max(1000) });

/** Automation Anywhere's "Add API Task to Cloud" with its concurrency limit (admin). */
export const allocate = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const { concurrencyLimit } = parseInput(allocationBody, req.body, 'body');
  const allocation = await context.apiTask.allocations.upsert(automationOf(context, req), null, concurrencyLimit);
  res.json({ allocationId: allocation.id, concurrencyLimit: allocation.concurrencyLimit });
};

/** An execution URL and `X-Authorization` token, as accessdetails gives them, with a ready call. */
export const executionAccess = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const automation = automationOf(context, req);
  const allocation = await context.apiTask.allocations.byFileId(automation.fileId);
  if (!allocation)
    throw new ConsoleError(
      'NOT_FOUND',
      `${automation.id} is not allocated as an API Task; an admin allocates it first`,
    );
  const { url, headers } = context.apiTask.executionDetails(allocation, consoleUserOf(res), baseUrlOf(context, req));
  const token = headers['X-Authorization'];
  const curl = `curl --request POST --header "X-Authorization: ${token}" --header "Content-Type: application/json" --data "{\\"botInput\\":{}}" ${url}`;
  res.json({ url, token, curl });
};
