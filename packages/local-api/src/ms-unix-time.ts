import { createSequence, type Core, type StoreTransaction } from '@botgate/core';

// Two nodes numbering the same skill at once must not both read the same last number.
const numbers = createSequence({
  table: 'local_api_ms_numbers',
  lastOf: 'SELECT coalesce(max(ms_unix_time), 0) FROM local_api_jobs WHERE uuid = ?',
});

/**
 * Gives a new job its `msUnixTime`: the current millisecond, or one past the skill's last number
 * when triggers come faster than the clock (or the clock stepped back). It is written in the
 * job's own transaction, so an answered number always resolves, even after a crash.
 */
export const allocateMsUnixTime = async (tx: StoreTransaction, uuid: string, jobId: number): Promise<string> => {
  const next = await numbers.next(tx, uuid, Date.now());
  tx.insert('local_api_jobs', { uuid, ms_unix_time: next, job_id: jobId });
  return String(next);
};

export const msUnixTimeOfJob = async (core: Core, jobId: number): Promise<string | undefined> => {
  const row = (await core.store('local-api').table('local_api_jobs').where({ job_id: jobId }).first('ms_unix_time')) as
    { ms_unix_time: number | string } | undefined;
  return row === undefined ? undefined : String(row.ms_unix_time);
};

/**
 * The job a skill's `msUnixTime` names, with its runs, while the skill is added: one statement
 * (the status lookup's whole read).
 */
export const jobOfNumber = (core: Core, uuid: string, msUnixTime: string) =>
  core
    .store('local-api')
    .findJob(
      'SELECT n.job_id FROM local_api_jobs n JOIN local_api_skills s ON s.uuid = n.uuid WHERE n.uuid = ? AND n.ms_unix_time = ? AND s.enabled = ?',
      [uuid, Number(msUnixTime), true],
    );
