import { actOnKept, type Core, type HeldStamp, type InputFile } from '@botgate/core';
import { describeRequest, idempotencyKeyOf, uploadedFiles, type InputOf } from '@botgate/http';
import type { localApiContract } from '../contract.js';
import type { Request, Response } from 'express';
import { LocalApiError } from '../errors.js';
import { allocateMsUnixTime, msUnixTimeOfJob } from '../ms-unix-time.js';
import type { Skill, Skills } from '../skills.js';
import { reservedQuery } from './query.js';

const textFields = (body: unknown): Array<[string, unknown]> =>
  typeof body === 'object' && body !== null ? Object.entries(body as Record<string, unknown>) : [];

/** `GET|POST /api?uuid=`: queue the skill; answer its `msUnixTime` once the job is committed. */
export const trigger =
  (core: Core, skills: Skills) =>
  async (req: Request, res: Response, input: InputOf<typeof localApiContract.trigger>) => {
    const { uuid } = input.query;
    const key = idempotencyKeyOf(req);
    // Entries, not assignments: a field named `__proto__` is a field, and must not set a prototype.
    const inputs: Record<string, unknown> = Object.fromEntries([
      ...Object.entries(req.query).filter(([name]) => !reservedQuery.has(name)),
      ...textFields(req.body),
    ]);
    const files: InputFile[] = uploadedFiles(req);
    const enqueue = (skill: Skill & { held?: HeldStamp }) => {
      describeRequest(res, { automationId: skill.automationId });
      return core.jobs.enqueueRecorded({
        automationId: skill.automationId,
        adapter: 'local-api',
        plainInputs: inputs,
        // EMILY has no declared inputs: fields a skill does not declare still reach it in input.json.
        allowUnknownInputs: true,
        files,
        idempotencyKey: key,
        held: skill.held,
        record: (tx, created) => allocateMsUnixTime(tx, uuid, created.id),
        recordOf: (first) => msUnixTimeOfJob(core, first.id),
      });
    };
    // Not with uploads: the first try of a kept skill moves them into the job's folder.
    const { job, record: msUnixTime } = await actOnKept(
      files.length === 0 ? skills.peek(uuid) : undefined,
      async () => {
        const skill = await skills.find(uuid);
        if (!skill) throw new LocalApiError('NOT_FOUND', `no skill with uuid ${uuid} is added to the API`);
        return skill;
      },
      enqueue,
    );
    describeRequest(res, { jobId: job.id });
    if (msUnixTime === undefined)
      throw new LocalApiError(
        'NOT_FOUND',
        `the Idempotency-Key was used for job ${job.id}, which is not a local API job`,
      );
    res.json({ msUnixTime });
  };
