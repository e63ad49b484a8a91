import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliJson, makeCatalog, serverEnv, startServer, useWorkspace, waitFor } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

/** The value of one sample of a Prometheus text exposition, or undefined. */
const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inside = line.startsWith(`${name} `) ? '' : line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((pair) => inside.split(',').includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
};

describe('operations: /metrics, /readyz, request ids and the request log', () => {
  it('labels console calls by operation, and counts live streams apart from the request durations', async () => {
    const env = await serverEnv(join(root, 'streams'), catalog);
    await cliJson(['users', 'add', 'ops', '--role', 'admin', '--password', 'ops-password-1'], env);
    const server = await startServer(env);
    try {
      const login = await fetch(`${server.url}/console/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":"ops","password":"ops-password-1"}',
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect((await fetch(`${server.url}/console/api/overview`, { headers: { cookie } })).status).toBe(200);
      const { id } = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=1'], env);
      // The job's log stream stays open until the job ends, a second or more.
      const stream = fetch(`${server.url}/console/api/jobs/${id}/log`, { headers: { cookie } }).then((r) => r.text());
      const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
      await waitFor('the open stream in the gauge', async () =>
        sample(await scrape(), 'botgate_open_streams', {}) === 1 ? true : undefined,
      );
      expect(await stream).toContain('event: end');
      const metrics = await waitFor('the stream counted', async () => {
        const text = await scrape();
        return sample(text, 'botgate_requests_total', { adapter: 'console', operation: 'jobs', status: '200' }) === 1
          ? text
          : undefined;
      });
      expect(sample(metrics, 'botgate_open_streams', {})).toBe(0);
      expect(sample(metrics, 'botgate_request_duration_seconds_count', { adapter: 'console', operation: 'jobs' })).toBe(
        undefined,
      );
      expect(
        sample(metrics, 'botgate_request_duration_seconds_count', { adapter: 'console', operation: 'overview' }),
      ).toBe(1);
      expect(sample(metrics, 'botgate_requests_total', { adapter: 'console', operation: 'other' })).toBe(undefined);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('counts a known number of triggers per adapter and status, and logs each request without its secrets', async () => {
    const env = await serverEnv(join(root, 'data'), catalog);
    const { uuid } = await cliJson<{ uuid: string }>(['local-api', 'add', 'echo'], env);
    const proc = await cliJson<{ workspaceId: string; processId: string; secret: string }>(
      ['process-api', 'secret', 'echo'],
      env,
    );
    const server = await startServer(env);
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, database: 'ok', pendingMigrations: [] });

      for (let i = 0; i < 7; i++)
        expect((await fetch(`${server.url}/api?uuid=${uuid}&message=m${i}`)).status).toBe(200);
      expect((await fetch(`${server.url}/api?uuid=not-a-skill`)).status).toBe(404);
      const runs = `${server.url}/workspace-v1/workspaces/${proc.workspaceId}/processes/${proc.processId}/runs`;
      for (let i = 0; i < 3; i++) {
        const answer = await fetch(`${runs}?robocloud-process-secret=${proc.secret}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"message":"hi"}',
        });
        expect(answer.status).toBe(200);
      }
      const refused = await fetch(runs, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'robocloud-process-secret': 'wrong' },
        body: '{}',
      });
      expect(refused.status).toBe(403);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(
        sample(metrics, 'botgate_requests_total', { adapter: 'local-api', operation: 'trigger', status: '200' }),
      ).toBe(7);
      expect(
        sample(metrics, 'botgate_requests_total', { adapter: 'local-api', operation: 'trigger', status: '404' }),
      ).toBe(1);
      expect(
        sample(metrics, 'botgate_requests_total', { adapter: 'process-api', operation: 'trigger', status: '200' }),
      ).toBe(3);
      expect(
        sample(metrics, 'botgate_requests_total', { adapter: 'process-api', operation: 'trigger', status: '403' }),
      ).toBe(1);
      expect(
        sample(metrics, 'botgate_request_duration_seconds_count', { adapter: 'local-api', operation: 'trigger' }),
      ).toBe(8);
      expect(metrics).toMatch(/^botgate_jobs\{state="queued"\} \d+/m);
      expect(metrics).toMatch(/^botgate_queue_depth\{automation="echo"\} \d+/m);

      // Jobs run: their durations are observed, and the counts follow.
      await waitFor('the ten jobs to succeed', async () => {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        return sample(text, 'botgate_jobs', { state: 'succeeded' }) === 10 ? text : undefined;
      });
      const after = await (await fetch(`${server.url}/metrics`)).text();
      expect(sample(after, 'botgate_job_duration_seconds_count', { automation: 'echo', state: 'succeeded' })).toBe(10);

      // Request ids: kept when given, made otherwise, answered either way.
      const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
      expect(given.headers.get('x-request-id')).toBe('trace-42');
      const made = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      const logged = await waitFor('the request lines', async () => {
        const lines = server.logLines
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((entry) => entry.msg === 'request');
        return lines.some((entry) => entry.reqId === 'trace-42') ? lines : undefined;
      });
      const trigger = logged.find((entry) => entry.adapter === 'process-api' && entry.status === 200);
      expect(trigger).toMatchObject({
        method: 'POST',
        operation: 'trigger',
        automation: 'echo',
        jobId: expect.any(Number),
        durationMs: expect.any(Number),
      });
      expect(typeof trigger?.reqId).toBe('string');
      const all = server.logLines.join('\n');
      expect(all).not.toContain(proc.secret);
      expect(all).not.toContain('robocloud-process-secret=');
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});
