import { createHash, randomUUID } from 'node:crypto';
import { isBotgateError, isFinal, type Core, type Job } from '@botgate/core';
import { baseUrlOf, describeRequest, idempotencyKeyOf, parseInput, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { uipathContract } from '../contract.js';
import { UipathError } from '../errors.js';
import type { Folder, Folders } from '../folders.js';
import { jobFields, jobView } from '../job-view.js';
import { applyODataQuery, createODataCollector, parseODataQuery, type Entity } from '../odata-query.js';
import { releaseFields, releaseView } from '../release-view.js';
import type { Releases } from '../releases.js';
import type { UipathJob, UipathJobs } from '../uipath-jobs.js';
import { requireScope, type Caller } from '../tokens.js';

type FolderInput = {
  headers: { 'X-UIPATH-OrganizationUnitId'?: string | undefined; 'X-UIPATH-FolderPath'?: string | undefined };
};

const startInfo = z.object(
  {
    startInfo: z.object(
      {
        ReleaseKey: z.string({ error: 'startInfo.ReleaseKey is required' }).min(1, 'startInfo.ReleaseKey is required'),
        Strategy: z.string().optional(),
        JobsCount: z.number().int().min(1).max(1000).optional(),
        RobotIds: z.array(z.number()).max(1000).optional(),
        InputArguments: z.string().nullable().optional(),
      },
      { error: 'startInfo must be an object' },
    ),
  },
  { error: 'send { "startInfo": { "ReleaseKey", "Strategy", "JobsCount", "InputArguments" } }' },
);

/** `SoftStop` or `Kill`, by name or by Orchestrator's number (1, 2), as clients send either. */
const strategy = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value).toLowerCase();
  if (text === 'softstop' || text === '1') return 'SoftStop' as const;
  if (text === 'kill' || text === '2') return 'Kill' as const;
  ctx.addIssue({ code: 'custom', message: `strategy must be SoftStop or Kill, not "${String(value)}"` });
  return z.NEVER;
});
const stopJob = z.object({ strategy }, { error: 'send { "strategy": "SoftStop" | "Kill" }' });
const stopJobs = z.object(
  { jobIds: z.array(z.number().int().positive().max(2_147_483_647)).min(1).max(1000), strategy },
  { error: 'send { "jobIds": [..], "strategy": "SoftStop" | "Kill" }' },
);

/** How many jobs a start makes: Orchestrator's strategies, on one machine (botgate is the robot). */
const countOf = (info: z.output<typeof startInfo>['startInfo']): number => {
  switch (info.Strategy ?? 'ModernJobsCount') {
    case 'ModernJobsCount':
    case 'JobsCount':
    case 'RobotCount':
      return info.JobsCount ?? 1;
    case 'Specific':
      return Math.min(1000, Math.max(1, info.RobotIds?.length ?? 1));
    case 'All':
      return 1;
    default:
      throw new UipathError(
        'BAD_REQUEST',
        `startInfo.Strategy must be ModernJobsCount, JobsCount, RobotCount, Specific or All, not "${String(info.Strategy)}"`,
      );
  }
};

/** The inputs of `InputArguments`, a JSON text of one object, as Orchestrator takes them. */
const argumentsOf = (text: string | null | undefined): Record<string, unknown> => {
  if (text === undefined || text === null || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UipathError('BAD_REQUEST', `startInfo.InputArguments is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UipathError('BAD_REQUEST', 'startInfo.InputArguments must be a JSON object of the arguments by name');
  return parsed as Record<string, unknown>;
};

export const createODataRoutes = (core: Core, folders: Folders, releases: Releases, records: UipathJobs) => {
  const folderOf = (input: FolderInput) =>
    folders.ofRequest(input.headers['X-UIPATH-OrganizationUnitId'], input.headers['X-UIPATH-FolderPath']);
  const context = (req: Request, set: string) => `${baseUrlOf(req)}/odata/$metadata#${set}`;
  /** A collection's page as OData answers it, with `@odata.count` when `$count=true` asked for it. */
  const sendCollection = (
    req: Request,
    res: Response,
    set: string,
    { value, count }: { value: Entity[]; count: number | undefined },
  ): void => {
    res.json({ '@odata.context': context(req, set), ...(count === undefined ? {} : { '@odata.count': count }), value });
  };
  /** A job of this folder started here, or Orchestrator's 404 (errorCode 1002). */
  const jobIn = async (folder: Folder, id: number): Promise<{ job: Job; record: UipathJob }> => {
    const record = await records.byJobId(id);
    const job = record && record.folderId === folder.id ? await core.jobs.find(id) : undefined;
    if (!record || !job) throw new UipathError('NOT_FOUND', `Job does not exist (Id ${id}).`);
    return { job, record };
  };
  /**
   * Every job is found in the folder before any is touched (one 404 stops them all); a job that
   * has already ended is left as it is, and a stop is noted only once it took.
   */
  const stop = async (folder: Folder, ids: readonly number[], how: 'SoftStop' | 'Kill'): Promise<void> => {
    const found = [];
    for (const id of ids) found.push(await jobIn(folder, id));
    for (const { job } of found) {
      if (isFinal(job.state)) continue;
      try {
        await core.jobs.cancel(job.id);
      } catch (error) {
        // It ended meanwhile.
        if (isBotgateError(error) && error.code === 'NOT_CANCELABLE') continue;
        throw error;
      }
      await records.noteStop(job.id, how);
    }
  };
  const callerOf = (res: Response) => res.locals.uipathCaller as Caller;

  return {
    async releases(req: Request, res: Response, input: InputOf<typeof uipathContract.releases>): Promise<void> {
      requireScope(callerOf(res), ['OR.Execution', 'OR.Jobs'], true);
      const folder = await folderOf(input);
      const query = parseODataQuery(input.query, releaseFields);
      const views = (await releases.list(folder.id)).map((release) => releaseView(core, release));
      sendCollection(req, res, 'Releases', applyODataQuery(views, query));
    },
    async release(req: Request, res: Response, input: InputOf<typeof uipathContract.release>): Promise<void> {
      requireScope(callerOf(res), ['OR.Execution', 'OR.Jobs'], true);
      const folder = await folderOf(input);
      const release = (await releases.list(folder.id)).find((r) => r.id === Number(input.params.id));
      if (!release) throw new UipathError('NOT_FOUND', `Release does not exist (Id ${input.params.id}).`);
      res.json({ '@odata.context': context(req, 'Releases/$entity'), ...releaseView(core, release) });
    },
    async startJobs(req: Request, res: Response, input: InputOf<typeof uipathContract.startJobs>): Promise<void> {
      const caller = callerOf(res);
      requireScope(caller, ['OR.Jobs'], false);
      const folder = await folderOf(input);
      const info = parseInput(startInfo, req.body, 'body').startInfo;
      const release = await releases.byKey(info.ReleaseKey);
      if (!release || release.folder.id !== folder.id)
        throw new UipathError(
          'NOT_FOUND',
          `Release does not exist (ReleaseKey ${info.ReleaseKey}) in the folder ${folder.displayName}.`,
        );
      describeRequest(res, { automationId: release.automationId });
      const count = countOf(info);
      const plainInputs = argumentsOf(info.InputArguments);
      const batchKey = randomUUID();
      const given = idempotencyKeyOf(req);
      // Core keeps keys per automation: this one is made the caller's, in this folder and release,
      // and of a fixed length whatever the count's suffix.
      const subject = caller.kind === 'user' ? `user:${caller.user.id}` : `app:${caller.app.clientId}`;
      const idempotencyKey =
        given === undefined
          ? undefined
          : `uipath:${createHash('sha256').update(`${subject}\n${folder.id}\n${release.id}\n${given}`).digest('hex')}`;
      const started: Array<{ job: Job; record: UipathJob }> = [];
      for (let i = 0; i < count; i++) {
        const { job, record } = await core.jobs.enqueueRecorded({
          automationId: release.automationId,
          adapter: 'uipath',
          plainInputs,
          // One key per job of the start, so that a repeat answers each of them.
          idempotencyKey:
            idempotencyKey === undefined ? undefined : count === 1 ? idempotencyKey : `${idempotencyKey}#${i + 1}`,
          record: async (tx, created) =>
            records.record(tx, created, {
              releaseId: release.id,
              folderId: folder.id,
              batchKey,
              inputArguments: info.InputArguments ?? null,
            }),
          recordOf: (first) => records.byJobId(first.id),
        });
        // A key this caller used for another start answers that start's jobs; anything else is refused.
        if (!record || record.folderId !== folder.id || record.releaseId !== release.id)
          throw new UipathError('BAD_REQUEST', 'this Idempotency-Key was used for another start');
        started.push({ job, record });
      }
      describeRequest(res, { jobId: started[0]?.job.id });
      res.status(201).json({
        '@odata.context': context(req, 'Jobs'),
        value: started.map(({ job, record }) => jobView(core, job, record, folder)),
      });
    },
    async jobs(req: Request, res: Response, input: InputOf<typeof uipathContract.jobs>): Promise<void> {
      requireScope(callerOf(res), ['OR.Jobs'], true);
      const folder = await folderOf(input);
      const query = parseODataQuery(input.query, jobFields);
      // Read newest first, unless the answer is oldest first.
      const descending = !(query.orderBy[0]?.field === 'Id' && !query.orderBy[0].descending);
      const collector = createODataCollector(query, { field: 'Id', descending });
      for await (const page of records.pagesOfFolder(folder.id, descending)) {
        const jobs = await records.jobsOf(page);
        const views = page.flatMap((record) => {
          const job = jobs.get(record.jobId);
          return job ? [jobView(core, job, record, folder)] : [];
        });
        if (collector.add(views)) break;
      }
      sendCollection(req, res, 'Jobs', collector.result());
    },
    async job(req: Request, res: Response, input: InputOf<typeof uipathContract.job>): Promise<void> {
      requireScope(callerOf(res), ['OR.Jobs'], true);
      const folder = await folderOf(input);
      const { job, record } = await jobIn(folder, Number(input.params.id));
      describeRequest(res, { jobId: job.id, automationId: job.automationId });
      res.json({ '@odata.context': context(req, 'Jobs/$entity'), ...jobView(core, job, record, folder) });
    },
    async stopJob(req: Request, res: Response, input: InputOf<typeof uipathContract.stopJob>): Promise<void> {
      requireScope(callerOf(res), ['OR.Jobs'], false);
      const folder = await folderOf(input);
      const { strategy: how } = parseInput(stopJob, req.body, 'body');
      await stop(folder, [Number(input.params.id)], how);
      res.status(200).end();
    },
    async stopJobs(req: Request, res: Response, input: InputOf<typeof uipathContract.stopJobs>): Promise<void> {
      requireScope(callerOf(res), ['OR.Jobs'], false);
      const folder = await folderOf(input);
      const { jobIds, strategy: how } = parseInput(stopJobs, req.body, 'body');
      await stop(folder, jobIds, how);
      res.status(200).end();
    },
  };
};
