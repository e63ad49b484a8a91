import { jobPaths, jobStates, toPlainJson, type Job, type JobAttempt, type Values } from '@botgate/core';
import { parseInput, sendJobFile } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { openEventStream, sendEvent, type ConsoleContext } from '../console-context.js';
import { ConsoleError } from '../errors.js';
import { summaryOf } from '../job-summary.js';

export const filterQuery = z.object({
  state: z.enum(jobStates).optional(),
  automation: z.string().min(1).optional(),
  adapter: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const jobIdOf = (req: Request): number => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new ConsoleError('BAD_REQUEST', `job id must be a positive integer, got "${String(req.params.id)}"`);
  return id;
};

const plain = (values: Values) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, toPlainJson(value)]));

/** The jobs, newest first, filtered by state, automation and adapter. */
export const listJobs = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const filter = parseInput(filterQuery, req.query, 'query');
  const jobs = await context.core.jobs.list({
    state: filter.state,
    automationId: filter.automation,
    adapter: filter.adapter,
    limit: filter.limit,
  });
  res.json(jobs.map(summaryOf));
};

const detailOf = async (context: ConsoleContext, job: Job) => ({
  ...summaryOf(job),
  inputs: plain(job.inputs),
  outputs: plain(job.outputs),
  workItem: job.workItem,
  inputFiles: job.inputFiles,
  outputFiles: job.outputFiles,
  exitCode: job.exitCode,
  errorCode: job.errorCode,
  maxAttempts: job.maxAttempts,
  cancelRequested: job.cancelRequested,
  metadata: job.metadata,
  attempts: (await context.core.jobs.attempts(job)).map((a: JobAttempt) => ({
    ...a,
    startedAt: a.startedAt?.getTime() ?? null,
    endedAt: a.endedAt?.getTime() ?? null,
  })),
});

export const getJob = (context: ConsoleContext) => async (req: Request, res: Response) => {
  res.json(await detailOf(context, await context.core.jobs.get(jobIdOf(req))));
};

/** One input or output file of a job; only names the job lists are served. */
export const downloadJobFile = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const job = await context.core.jobs.get(jobIdOf(req));
  const kind = req.params.kind;
  const name = ((req.params as { name?: string[] }).name ?? []).join('/');
  const files = kind === 'output' ? job.outputFiles : kind === 'input' ? job.inputFiles : undefined;
  if (files === undefined) throw new ConsoleError('NOT_FOUND', `files are "input" or "output", not "${String(kind)}"`);
  const file = files.find((f) => f.name === name);
  if (!file) throw new ConsoleError('NOT_FOUND', `job ${job.id} has no ${kind} file "${name}"`);
  const dir = kind === 'output' ? jobPaths(job.workDir).outputDir : job.workDir;
  await sendJobFile(
    res,
    dir,
    file.name,
    () => new ConsoleError('NOT_FOUND', `${kind} file "${name}" is no longer on disk`),
  );
};

export const cancelJob = (context: ConsoleContext) => async (req: Request, res: Response) => {
  res.json(await detailOf(context, await context.core.jobs.cancel(jobIdOf(req))));
};

/** The same automation again, with the job's inputs and files, as a new job. */
export const rerunJob = (context: ConsoleContext) => async (req: Request, res: Response) => {
  res.status(201).json(await detailOf(context, await context.core.jobs.rerun(jobIdOf(req), 'console')));
};

/** Server-sent events: `jobs` with every job that changed, from any node, until the browser leaves. */
export const jobEvents = (context: ConsoleContext) => (req: Request, res: Response) => {
  let unsubscribe = () => {};
  openEventStream(context, req, res, () => unsubscribe());
  unsubscribe = context.feed.subscribe((changed) => sendEvent(res, 'jobs', changed));
};
