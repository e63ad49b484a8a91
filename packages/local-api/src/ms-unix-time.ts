import { lockKey, type Core } from '@botgate/core';

type Transaction = Parameters<NonNullable<Parameters<Core['jobs']['enqueue']>[0]['inTransaction']>>[0];

/**
 * Gives a new job its `msUnixTime`: the current millisecond, or one past the skill's last number
 * when triggers come faster than the clock (or the clock stepped back). It is written in the
 * job's own transaction, so an answered number always resolves, even after a crash.
 */
export const allocateMsUnixTime = async (tx: Transaction, uuid: string, jobId: number): Promise<string> => {
  // Two nodes numbering the same skill at once must not both read the same last number.
  await lockKey(tx, `local-api:${uuid}`);
  const row = (await tx('local_api_jobs').where({ uuid }).max({ last: 'ms_unix_time' }).first()) as { last: number | string | null } | undefined;
  const next = Math.max(Date.now(), Number(row?.last ?? 0) + 1);
  await tx('local_api_jobs').insert({ uuid, ms_unix_time: next, job_id: jobId });
  return String(next);
};

export const msUnixTimeOfJob = async (core: Core, jobId: number): Promise<string | undefined> => {
  const row = (await core.db('local_api_jobs').where({ job_id: jobId }).first('ms_unix_time')) as { ms_unix_time: number | string } | undefined;
  return row === undefined ? undefined : String(row.ms_unix_time);
};

export const jobIdOf = async (core: Core, uuid: string, msUnixTime: string): Promise<number | undefined> => {
  const row = (await core.db('local_api_jobs').where({ uuid, ms_unix_time: msUnixTime }).first('job_id')) as { job_id: number } | undefined;
  return row === undefined ? undefined : Number(row.job_id);
};
