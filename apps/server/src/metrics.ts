import type { Core } from '@botgate/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * botgate's Prometheus metrics. Request counts and durations come from the request log
 * middleware (every adapter's calls, labelled with the adapter and the kind of call); job counts
 * are read from the database at scrape time, so every node reports the whole queue.
 */
export const createMetrics = (core: Core) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'botgate_process_' });

  const requests = new Counter({
    name: 'botgate_requests_total',
    help: 'HTTP calls answered, by adapter, kind of call (trigger, status, execute, …) and status code',
    labelNames: ['adapter', 'operation', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'botgate_request_duration_seconds',
    help: 'Time to answer, by adapter and kind of call (operation="execute" is the real-time execute latency)',
    labelNames: ['adapter', 'operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const jobDurations = new Histogram({
    name: 'botgate_job_duration_seconds',
    help: 'Run time of jobs that ended on this node, by automation and final state',
    labelNames: ['automation', 'state'],
    buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'botgate_webhook_deliveries_total',
    help: 'Webhook and callback attempts sent by this node, by adapter and outcome (delivered, retrying, failed)',
    labelNames: ['adapter', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'botgate_jobs',
    help: 'Jobs in the database by state (queued is the queue depth)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await core.jobs.counts())) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'botgate_queue_depth',
    help: 'Queued jobs by automation',
    labelNames: ['automation'],
    registers: [registry],
    async collect() {
      for (const automation of core.catalog.list())
        this.set(
          { automation: automation.id },
          (await core.jobs.counts({ automationId: automation.id, state: 'queued' })).queued,
        );
    },
  });
  new Gauge({
    name: 'botgate_running_jobs',
    help: 'Jobs running on this node',
    registers: [registry],
    collect() {
      this.set(core.worker.running);
    },
  });

  let streamsOpen: () => number = () => 0;
  new Gauge({
    name: 'botgate_open_streams',
    help: 'Live streams (server-sent events of the console) open on this node; they are not in botgate_request_duration_seconds',
    registers: [registry],
    collect() {
      this.set(streamsOpen());
    },
  });

  const offFinished = core.jobs.onFinished((job) => {
    if (job.startedAt && job.finishedAt)
      jobDurations.observe(
        { automation: job.automationId, state: job.state },
        (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000,
      );
  });

  // Label sets are few (adapter × operation × status): each one's children are bound once, so a
  // request counts without prom-client hashing its labels again.
  const bound = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  const boundOf = (adapter: string, operation: string, status: number) => {
    const key = `${adapter} ${operation} ${status}`;
    let children = bound.get(key);
    if (!children) {
      const counter = requests.labels(adapter, operation, String(status));
      const histogram = durations.labels(adapter, operation);
      children = { count: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      bound.set(key, children);
    }
    return children;
  };

  return {
    registry,
    /** Counts an answered call; `seconds` undefined for a stream, which the duration histogram leaves out. */
    request(adapter: string, operation: string, status: number, seconds: number | undefined): void {
      const children = boundOf(adapter, operation, status);
      children.count();
      if (seconds !== undefined) children.observe(seconds);
    },
    /** Counts the open streams at each scrape (the console's live views). */
    countStreams(open: () => number): void {
      streamsOpen = open;
    },
    deliveryAttempt(adapter: string, outcome: 'delivered' | 'retrying' | 'failed'): void {
      deliveries.inc({ adapter, outcome });
    },
    close: offFinished,
  };
};

export type Metrics = ReturnType<typeof createMetrics>;
