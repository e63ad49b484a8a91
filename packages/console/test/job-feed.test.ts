import { join } from 'node:path';
import { createCore, type Core } from '@botgate/core';
import { createTestDatabase, useTestRoot, waitFor } from '@botgate/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobFeed } from '../src/job-feed.js';
import type { JobSummary } from '../src/job-summary.js';

const examples = new URL('../../../examples', import.meta.url).pathname;
const { root } = useTestRoot('botgate-console-');
const cores: Core[] = [];
const drops: Array<() => Promise<void>> = [];

const openCore = async (name: string) => {
  const database = await createTestDatabase();
  drops.push(() => database.drop());
  const core = await createCore({
    dataDir: join(root, name),
    catalogDir: examples,
    commandEnv: process.env,
    pollMs: 50,
    ...(database.config ? { database: database.config } : {}),
  });
  cores.push(core);
  return core;
};

afterAll(async () => {
  for (const core of cores) await core.close({ graceMs: 0 });
  for (const drop of drops) await drop();
});

/** Every event's jobs, and the last state heard of each. */
const watch = (feed: ReturnType<typeof createJobFeed>) => {
  const heard: JobSummary[] = [];
  const unsubscribe = feed.subscribe((changed) => heard.push(...changed));
  const latest = () => new Map(heard.map((job) => [job.id, job.state]));
  return { heard, latest, unsubscribe };
};

describe('job feed', () => {
  it('tells a new job, then its start and end, once each', async () => {
    const core = await openCore('one');
    const feed = createJobFeed(core, 50);
    const { heard, latest, unsubscribe } = watch(feed);
    try {
      await new Promise((resolve) => setTimeout(resolve, 120)); // the feed has taken its mark
      const { job } = await core.jobs.enqueue({
        automationId: 'sleep',
        adapter: 'test',
        plainInputs: { seconds: 0.3 },
      });
      await waitFor('the queued job to be told', async () => (latest().get(job.id) === 'queued' ? true : undefined));
      await core.worker.start();
      await waitFor('the job to be told running', async () =>
        heard.some((j) => j.id === job.id && j.state === 'running') ? true : undefined,
      );
      await waitFor('the job to be told succeeded', async () =>
        latest().get(job.id) === 'succeeded' ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // ticks that see it again say nothing
      expect(heard.filter((j) => j.id === job.id).map((j) => j.state)).toEqual(['queued', 'running', 'succeeded']);
    } finally {
      unsubscribe();
      feed.close();
    }
  });

  it('tells every one of more new jobs than a tick reads, once, over several ticks', async () => {
    const core = await openCore('many');
    // Batches of 100 rows: 2500 new jobs take at least 25 ticks, each taking up where the last stopped.
    const feed = createJobFeed(core, 50, 100);
    const { heard, unsubscribe } = watch(feed);
    try {
      await new Promise((resolve) => setTimeout(resolve, 120));
      const ids = [];
      for (let i = 0; i < 2500; i++)
        ids.push(core.jobs.enqueue({ automationId: 'echo', adapter: 'test' }).then(({ job }) => job.id));
      const made = await Promise.all(ids);
      await waitFor(
        'all 2500 jobs to be told',
        async () => (new Set(heard.map((j) => j.id)).size === made.length ? true : undefined),
        20_000,
      );
      expect(new Set(heard.map((j) => j.id))).toEqual(new Set(made));
      expect(heard).toHaveLength(made.length);
    } finally {
      unsubscribe();
      feed.close();
    }
  });
});
