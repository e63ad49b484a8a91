import { describe, expect, it } from 'vitest';
import { databaseOf } from '../src/create-core.js';
import { waitFor } from '@botgate/testing';
import { useCore, useTempDir } from './helpers.js';

const openCore = useCore(useTempDir('botgate-leases-'));

describe('leases of the jobs a node runs', () => {
  it('keeps a real-time run longer than its lease, and recovery leaves a job this node runs alone', async () => {
    const core = await openCore({ leaseMs: 300 });
    const running = core.jobs.execute({
      automationId: 'slow',
      adapter: 'test',
      inputs: { ms: { type: 'NUMBER', value: '1200' } },
      timeoutMs: 10_000,
    });
    const job = await waitFor('the run to be written', async () => (await core.jobs.list({ state: 'running' }))[0]);
    // As if this node had stalled past its lease: recovery must not take its own live job.
    await databaseOf(core)('jobs')
      .where({ id: job.id })
      .update({ lease_expires_at: Date.now() - 1000 });
    await core.recover();
    expect((await core.jobs.get(job.id)).state).toBe('running');
    expect(await running).toMatchObject({ id: job.id, state: 'succeeded' });
    expect((await core.jobs.attempts(await core.jobs.get(job.id))).map((a) => a.state)).toEqual(['succeeded']);
  });

  it('stops a run here once another node has taken its job over, and leaves that node its job', async () => {
    const core = await openCore({ leaseMs: 300 });
    // A minute long: only being stopped here ends it within the test's time.
    const running = core.jobs.execute({
      automationId: 'slow',
      adapter: 'test',
      inputs: { ms: { type: 'NUMBER', value: '60000' } },
      timeoutMs: 120_000,
    });
    const job = await waitFor('the run to be written', async () => (await core.jobs.list({ state: 'running' }))[0]);
    await databaseOf(core)('jobs')
      .where({ id: job.id })
      .update({ lease_owner: 'elsewhere/1/taken-over', lease_expires_at: Date.now() + 60_000 });
    await expect(running).rejects.toMatchObject({ code: 'JOB_LOST' });
    expect(core.worker.running).toBe(0);
    expect(await core.jobs.get(job.id)).toMatchObject({ state: 'running', leaseOwner: 'elsewhere/1/taken-over' });
  });
});
