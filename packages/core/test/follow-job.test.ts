import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followJob, type JobUpdate } from '../src/index.js';
import { useCore, useTempDir } from './helpers.js';

const newDir = useTempDir();
const openCore = useCore(newDir);

describe('followJob', () => {
  it('tells each state and each byte of output once, while the job runs and after it ended', async () => {
    const core = await openCore();
    await core.worker.start();
    const gate = join(newDir(), 'gate');
    const { job } = await core.jobs.enqueue({
      automationId: 'chatty',
      adapter: 'test',
      plainInputs: { say: 'A', gate },
    });
    const updates: JobUpdate[] = [];
    try {
      for await (const update of followJob(core.jobs.get, job.id, { pollMs: 50 })) {
        updates.push(update);
        // Once it was told running and its first lines were out, it may finish.
        const sawRunning = updates.some((u) => u.kind === 'state' && u.job.state === 'running');
        if (sawRunning && updates.some((u) => u.kind === 'log')) writeFileSync(gate, '');
      }
    } finally {
      writeFileSync(gate, '');
    }
    const appended = (list: JobUpdate[]) =>
      list.map((u) => (u.kind === 'log' ? (u.live ? u.text : `[whole]${u.text}`) : '')).join('');
    expect(appended(updates)).toBe('log A\nstdout A\nerror A\n');
    const states = updates.flatMap((u) => (u.kind === 'state' ? [u.job.state] : []));
    expect(states.at(-1)).toBe('succeeded');
    expect(states).toContain('running');

    expect(updates.at(-1)).toMatchObject({ kind: 'state', job: { state: 'succeeded' } });
    // Followed after its end: the output once, then the state.
    const after: JobUpdate[] = [];
    for await (const update of followJob(core.jobs.get, job.id, { pollMs: 50 })) after.push(update);
    expect(after.filter((u) => u.kind === 'state')).toMatchObject([{ job: { state: 'succeeded' } }]);
    expect(after.at(-1)).toMatchObject({ kind: 'state', job: { state: 'succeeded' } });
    expect(appended(after)).toBe('log A\nstdout A\nerror A\n');
  });
});
