import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { claimQueued, type ClaimQueuedRequest } from '../src/queue/claim-jobs.js';
import { createDatabase, type Database } from '../src/queue/database.js';
import { endJobs, type Finish } from '../src/queue/finish-job.js';
import { jobsChannel } from '../src/queue/job-notifications.js';
import { migrateDatabase, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-end-and-claim-');
const newDatabase = useDatabase();
const node = 'node-a';
let db: Database | undefined;
let url = '';

afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

/** A migrated PostgreSQL database holding `count` queued jobs of the fixture's `echo`. */
const queueOf = async (count: number): Promise<Database> => {
  const database = await newDatabase();
  await migrateDatabase(database, newDir());
  url = (database.config as { connectionString: string }).connectionString;
  db = createDatabase(database.config as NonNullable<typeof database.config>);
  await db.raw(
    `INSERT INTO jobs (automation_id, adapter, state, inputs, input_files, outputs, output_files, log, attempt,
       max_attempts, work_dir, cancel_requested, metadata, created_at)
     SELECT 'echo', 'test', 'queued', '{}', '[]', '{}', '[]', '', 0, 2, '', false, '{}', 1 FROM generate_series(1, ?)`,
    [count],
  );
  return db;
};

const claim = (limit: number, concurrency: number): ClaimQueuedRequest => ({
  automations: [{ automationId: 'echo', limit, concurrency }],
  free: limit,
  nodeId: node,
  leaseMs: 60_000,
});

const succeeded = (id: number): Finish => ({
  id,
  nodeId: node,
  outcome: {
    state: 'succeeded',
    outputs: {},
    outputFiles: [],
    outputWorkItems: [],
    exitCode: 0,
    error: null,
    errorCode: null,
    log: '',
  },
});

/**
 * A draining node waited for two round trips between its jobs: the ends' commit, then a claim
 * that counts the running jobs and so had to come after it. On PostgreSQL the ends and the claim
 * of the slots they free are one call; the claim must count the jobs as ended.
 */
describe.skipIf(!process.env.BOTGATE_TEST_DATABASE_URL)('ending jobs and claiming in one call (PostgreSQL)', () => {
  it('claims the slots its own ends free, and no more than the concurrency allows', async () => {
    const db = await queueOf(5);
    expect((await claimQueued(db, claim(2, 2))).map((j) => j.id)).toEqual([1, 2]);

    // Both slots are taken until job 1's end, in the same call, frees one.
    const first = await endJobs(db, [succeeded(1)], claim(2, 2));
    expect(first.ended.map((j) => j?.state)).toEqual(['succeeded']);
    expect(first.claimed.map((j) => [j.id, j.state, j.leaseOwner])).toEqual([[3, 'running', node]]);

    // With a concurrency of one, job 3 still running fills it: the end claims nothing.
    const second = await endJobs(db, [succeeded(2)], claim(2, 1));
    expect(second.ended.map((j) => j?.state)).toEqual(['succeeded']);
    expect(second.claimed).toEqual([]);

    const states = await db('jobs').orderBy('id').pluck('state');
    expect(states).toEqual(['succeeded', 'succeeded', 'running', 'queued', 'queued']);
    const attempts = await db('job_attempts').orderBy('job_id').select('job_id', 'state');
    expect(attempts).toEqual([
      { job_id: 1, state: 'succeeded' },
      { job_id: 2, state: 'succeeded' },
    ]);
  });

  it('answers a job ended back to the queue and claimed again by the same call as both', async () => {
    const db = await queueOf(1);
    await claimQueued(db, claim(1, 1));
    const shutdown: Finish = {
      ...succeeded(1),
      outcome: { ...succeeded(1).outcome, state: 'queued', refundAttempt: true, errorCode: 'INTERRUPTED' },
    };
    const { ended, claimed } = await endJobs(db, [shutdown], claim(1, 1));
    expect(ended.map((j) => j?.state)).toEqual(['queued']);
    expect(claimed.map((j) => [j.id, j.state, j.attempt])).toEqual([[1, 'running', 2]]);
  });

  it('leaves a job another node has taken over as it is, and still claims', async () => {
    const db = await queueOf(2);
    await claimQueued(db, claim(1, 1));
    await db('jobs').where({ id: 1 }).update({ lease_owner: 'node-b' });
    const { ended, claimed } = await endJobs(db, [succeeded(1)], claim(1, 2));
    expect(ended).toEqual([undefined]);
    expect(claimed.map((j) => j.id)).toEqual([2]);
    expect(await db('jobs').where({ id: 1 }).first('state', 'lease_owner')).toEqual({
      state: 'running',
      lease_owner: 'node-b',
    });
  });

  it('tells the other nodes of an automation only where it left room: fewer of its jobs claimed than ended', async () => {
    const db = await queueOf(4);
    await claimQueued(db, claim(2, 2));
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const heard: string[] = [];
    let probed: (() => void) | undefined;
    listener.on('notification', ({ payload }) => {
      heard.push(payload ?? '');
      if (payload?.startsWith('probe')) probed?.();
    });
    // Notifications arrive in commit order: once a probe sent after a call is heard, so is
    // anything the call sent.
    const probe = async (name: string): Promise<void> => {
      const arrived = new Promise<void>((resolve) => (probed = resolve));
      await db.raw('SELECT pg_notify(?, ?)', [jobsChannel, name]);
      await arrived;
    };
    try {
      await listener.query(`LISTEN ${jobsChannel}`);
      // Job 1's end and job 3's claim: as many running as before, no room for anyone.
      const refilled = await endJobs(db, [succeeded(1)], claim(2, 2));
      expect(refilled.claimed.map((j) => j.id)).toEqual([3]);
      await probe('probe 1');
      // Job 2's end with nothing claimed: a slot is free for another node.
      await endJobs(db, [succeeded(2)]);
      await probe('probe 2');
      expect(heard).toEqual(['probe 1', 'echo', 'probe 2']);
    } finally {
      await listener.end();
    }
  });
});
