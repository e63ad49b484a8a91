import { lockKey, sql, type Core } from '@botgate/core';

type Transaction = Parameters<NonNullable<Parameters<Core['jobs']['enqueue']>[0]['inTransaction']>>[0];

/**
 * Gives a new job its `msUnixTime`: the current millisecond, or one past the skill's last number
 * when triggers come faster than the clock (or the clock stepped back). It is written in the
 * job's own transaction, so an answered number always resolves, even after a crash.
 */
export const allocateMsUnixTime = async (tx: Transaction, uuid: string, jobId: number): Promise<string> => {
  // Two nodes numbering the same skill at once must not both read the same last number.
  await lockKey(tx, `local-api:${uuid}`);
  // Jobs of one batch (group commit) share the transaction and its lock: read the last number once.
  let last = lastNumbers.get(tx)?.get(uuid);
  if (last === undefined) {
    const [row] = await sql<{ last: number | string | null }>(tx, 'SELECT max(ms_unix_time) AS last FROM local_api_jobs WHERE uuid = ?', [uuid]);
    last = Number(row?.last ?? 0);
  }
  const next = Math.max(Date.now(), last + 1);
  await sql(tx, 'INSERT INTO local_api_jobs (uuid, ms_unix_time, job_id) VALUES (?, ?, ?)', [uuid, next, jobId]);
  if (!lastNumbers.has(tx)) lastNumbers.set(tx, new Map());
  lastNumbers.get(tx)?.set(uuid, next);
  return String(next);
};

const lastNumbers = new WeakMap<Transaction, Map<string, number>>();

export const msUnixTimeOfJob = async (core: Core, jobId: number): Promise<string | undefined> => {
  const row = (await core.db('local_api_jobs').where({ job_id: jobId }).first('ms_unix_time')) as { ms_unix_time: number | string } | undefined;
  return row === undefined ? undefined : String(row.ms_unix_time);
};

export const jobIdOf = async (core: Core, uuid: string, msUnixTime: string): Promise<number | undefined> => {
  const [row] = await sql<{ job_id: number | string }>(core.db, 'SELECT job_id FROM local_api_jobs WHERE uuid = ? AND ms_unix_time = ?', [uuid, Number(msUnixTime)]);
  return row === undefined ? undefined : Number(row.job_id);
};
