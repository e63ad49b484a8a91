import { jobPaths, toPlainJson, type Job, type JobAttempt, type Values } from '@botgate/core';
import { automationNamed, describeRequest, sendJobFile, uploadedFiles, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { consoleContract } from '../contract.js';
import { openEventStream, sendEvent, type ConsoleContext } from '../console-context.js';
import { ConsoleError } from '../errors.js';
import { summaryOf } from '../job-summary.js';

const plain = (values: Values) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, toPlainJson(value)]));

/** The jobs, newest first, filtered by state, automation, adapter, id, input text and creation time; `before` pages on. */
export const listJobs =
  (context: ConsoleContext) => async (_req: Request, res: Response, input: InputOf<typeof consoleContract.jobs>) => {
    const filter = input.query;
    const jobs = await context.core.jobs.list({
      state: filter.state,
      automationId: filter.automation,
      adapter: filter.adapter,
      ids: filter.id === undefined ? undefined : [filter.id],
      inputContains: filter.q,
      createdFrom: filter.from,
      createdTo: filter.to,
      beforeId: filter.before,
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

export const getJob =
  (context: ConsoleContext) => async (req: Request, res: Response, input: InputOf<typeof consoleContract.job>) => {
    res.json(await detailOf(context, await context.core.jobs.get(input.params.id)));
  };

/** One input or output file of a job; only names the job lists are served. */
export const downloadJobFile =
  (context: ConsoleContext) => async (req: Request, res: Response, input: InputOf<typeof consoleContract.jobFile>) => {
    const job = await context.core.jobs.get(input.params.id);
    const { kind, name } = input.params;
    const files = kind === 'output' ? job.outputFiles : job.inputFiles;
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

export const cancelJob =
  (context: ConsoleContext) => async (req: Request, res: Response, input: InputOf<typeof consoleContract.cancel>) => {
    res.json(await detailOf(context, await context.core.jobs.cancel(input.params.id)));
  };

/** The same automation again, with the job's inputs and files, as a new job. */
export const rerunJob =
  (context: ConsoleContext) => async (req: Request, res: Response, input: InputOf<typeof consoleContract.rerun>) => {
    res.status(201).json(await detailOf(context, await context.core.jobs.rerun(input.params.id, 'console')));
  };

/** Server-sent events: `jobs` with every job that changed, from any node, until the browser leaves. */
export const jobEvents = (context: ConsoleContext) => (req: Request, res: Response) => {
  let unsubscribe = () => {};
  openEventStream(context, req, res, () => unsubscribe());
  unsubscribe = context.feed.subscribe((changed) => sendEvent(res, 'jobs', changed));
};

/**
 * Queues a job of an automation from the console's Run page: the fields are its inputs, read by
 * their declared types (text, as the CLI's `--input`), and the files go to its working folder.
 */
export const runAutomation =
  (context: ConsoleContext) => async (req: Request, res: Response, input: InputOf<typeof consoleContract.run>) => {
    const automation = automationNamed(context.core, input.params.id);
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ConsoleError('BAD_REQUEST', 'send the inputs as an object: { "name": value, … }');
    // Entries, not assignments: a field named `__proto__` is a field.
    const plainInputs = Object.fromEntries(Object.entries(body));
    const { job } = await context.core.jobs.enqueue({
      automationId: automation.id,
      adapter: 'console',
      plainInputs,
      files: uploadedFiles(req),
    });
    describeRequest(res, { automationId: automation.id, jobId: job.id });
    res.json(summaryOf(job));
  };
