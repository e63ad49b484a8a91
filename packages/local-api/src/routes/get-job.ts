import { isFinal, toPlainJson, type Core, type Job, type JobAttempt } from '@botgate/core';
import { describeRequest, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import { LocalApiError } from '../errors.js';
import { mapJobState } from '../map-job-state.js';
import { jobOfNumber } from '../ms-unix-time.js';
import type { Skills } from '../skills.js';
import type { localApiContract } from '../contract.js';

/** The job of a skill named by a status or file call's `uuid` and `msUnixTime` (checked by the route's schema), with its runs, or says precisely why not. */
export const findJob = async (
  core: Core,
  skills: Skills,
  { uuid, msUnixTime }: InputOf<typeof localApiContract.status>['query'],
): Promise<{ job: Job; attempts: JobAttempt[]; uuid: string; msUnixTime: string }> => {
  const found = await jobOfNumber(core, uuid, msUnixTime);
  // A skill's jobs are of its automation: one that left the catalog takes the skill with it.
  if (found && core.catalog.find(found.job.automationId))
    return { job: found.job, attempts: found.attempts, uuid, msUnixTime };
  if (!(await skills.find(uuid)))
    throw new LocalApiError('NOT_FOUND', `no skill with uuid ${uuid} is added to the API`);
  throw new LocalApiError('NOT_FOUND', `skill ${uuid} has no job ${msUnixTime}`);
};

/**
 * `GET /api/job`: EMILY's `status`, then what EMILY leaves out: how a finished job ended, its
 * error, output variables and output files with their download links.
 */
export const getJob =
  (core: Core, skills: Skills) =>
  async (req: Request, res: Response, input: InputOf<typeof localApiContract.status>) => {
    const found = await findJob(core, skills, input.query);
    const { job, uuid, msUnixTime } = found;
    describeRequest(res, { automationId: job.automationId, jobId: job.id });
    const attempts = found.attempts.map((a) => ({
      number: a.number,
      state: a.state,
      startedAt: a.startedAt?.toISOString() ?? null,
      finishedAt: a.endedAt?.toISOString() ?? null,
      errorCode: a.errorCode,
      error: a.error,
      exitCode: a.exitCode,
    }));
    // EMILY's documented fields first; `attempt` and `attempts` are botgate's additions. Literals
    // without spreads: a property after a spread costs a runtime call on Node 20 (docs/performance.md).
    const status = mapJobState(job.state);
    const createdAt = job.createdAt.toISOString();
    const startedAt = job.startedAt?.toISOString() ?? null;
    if (!isFinal(job.state)) {
      res.json({ status, uuid, msUnixTime, createdAt, startedAt, attempt: job.attempt, attempts });
      return;
    }
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const query = `uuid=${encodeURIComponent(uuid)}&msUnixTime=${msUnixTime}`;
    res.json({
      status,
      uuid,
      msUnixTime,
      createdAt,
      startedAt,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      result: job.state,
      error: job.error,
      exitCode: job.exitCode,
      outputs: Object.fromEntries(Object.entries(job.outputs).map(([name, value]) => [name, toPlainJson(value)])),
      files: job.outputFiles.map((file) => ({
        name: file.name,
        size: file.size,
        url: `${origin}/api/job/files/${file.name.split('/').map(encodeURIComponent).join('/')}?${query}`,
      })),
      attempt: job.attempt,
      attempts,
    });
  };
