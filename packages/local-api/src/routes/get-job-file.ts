import { jobPaths, type Core } from '@botgate/core';
import { sendJobFile, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import { LocalApiError } from '../errors.js';
import type { localApiContract } from '../contract.js';
import type { Skills } from '../skills.js';
import { findJob } from './get-job.js';

/** `GET /api/job/files/<name>`: one output file of a job; only names the job listed are served. */
export const getJobFile =
  (core: Core, skills: Skills) =>
  async (_req: Request, res: Response, input: InputOf<typeof localApiContract.file>) => {
    const { job } = await findJob(core, skills, input.query);
    const { name } = input.params;
    const file = job.outputFiles.find((f) => f.name === name);
    if (!file) throw new LocalApiError('NOT_FOUND', `job has no output file "${name}"`);
    await sendJobFile(
      res,
      jobPaths(job.workDir).outputDir,
      file.name,
      () => new LocalApiError('NOT_FOUND', `output file "${name}" is no longer on disk`),
    );
  };
