import { join } from 'node:path';
import type { Core } from '@botgate/core';
import type { AnyAdapterModule } from '@botgate/http';
import { createTestDatabase, useTestRoot, waitFor } from '@botgate/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLeakGuard } from './leak-guard.js';
import { startAdapterProcess } from './start-adapter-process.js';
import { databaseConfigOf, sharedSettingsFor, startAdapter, type StartedAdapter } from './start-adapter.js';

/** A request the suite sends: to a path of the adapter, with the fixture's credentials. */
export interface ProbeRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
}

/** What the suite needs to know of one adapter's contract; every other step is the same for all. */
export interface ConformanceSpec<Fixture> {
  adapter: AnyAdapterModule;
  /** Its built module, for the node the suite kills: package and export (`@botgate/local-api`, `localApi`). */
  module: { specifier: string; exportName: string };
  catalogDir: string;
  /** Its configuration section. @default {} */
  settings?: Record<string, unknown>;
  /** Makes what triggering the `echo` automation needs (a skill's uuid, a workspace key, a user's token). */
  prepare(started: StartedAdapter): Promise<Fixture>;
  /** The status the contract answers a trigger with. @default 200 */
  triggerStatus?: number;
  /** Triggers `echo` once; answers the HTTP status and the contract's id of the run. */
  trigger(url: string, fixture: Fixture, idempotencyKey?: string): Promise<{ status: number; id: string }>;
  /** Whether the contract's status call finds the run. */
  find(url: string, fixture: Fixture, id: string): Promise<boolean>;
  /** The core job of a run, for the suite to watch it end. */
  jobIdOf(started: StartedAdapter, fixture: Fixture, id: string): Promise<number>;
  /** How many rows the adapter keeps of a job, in all its tables. */
  rowsOf(started: StartedAdapter, jobId: number): Promise<number>;
  /** A path under the adapter's routes that no route matches. */
  unknownPath: string;
  /** A known path with a method its route does not take, and the methods it does (the `Allow` header). */
  wrongMethod: ProbeRequest & { allow: string };
  /** A route that reads a JSON body. */
  jsonRoute(fixture: Fixture): ProbeRequest;
  /** The body limit of `jsonRoute`, in bytes. */
  bodyLimit: number;
  /** The contract's error body: the suite checks every refusal has it. */
  errorShape(body: unknown): boolean;
}

const send = async (url: string, request: ProbeRequest, body?: string | Buffer, contentType?: string) => {
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
};

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route a router mounts, read from express's own route table (its `\(` escapes as the literal characters). */
const mountedRoutes = (router: Router): string[] =>
  (router.stack as Layer[]).flatMap(({ route }) =>
    route === undefined
      ? []
      : Object.keys(route.methods)
          .filter((method) => method !== '_all')
          .map(
            (method) =>
              `${method.toUpperCase()} ${route.path.replace(/[:*]([A-Za-z_]\w*)/g, '{$1}').replace(/\\(.)/g, '$1')}`,
          ),
  );

const countJobs = async (core: Core): Promise<number> =>
  Object.values(await core.jobs.counts()).reduce((a, b) => a + b);

/**
 * The contract every adapter keeps, on the database the run is on (SQLite, or PostgreSQL when
 * BOTGATE_TEST_DATABASE_URL is set): idempotent replay; 404 and 405 in the adapter's error
 * shape; 413, 415 and 400 for bodies; an answered trigger survives SIGKILL; retention removes
 * what the adapter keeps. Also fails the file when it leaves a server, core or process running.
 */
export const conformanceSuite = <Fixture>(spec: ConformanceSpec<Fixture>): void => {
  const kind = process.env.BOTGATE_TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  describe(`${spec.adapter.name} conformance, on ${kind}`, () => {
    useLeakGuard();
    const { root, cleanups } = useTestRoot(`botgate-conformance-${spec.adapter.name}-`);
    let made = 0;
    const start = async (options: Partial<Parameters<typeof startAdapter>[1]> = {}) => {
      const started = await startAdapter(spec.adapter, {
        catalogDir: spec.catalogDir,
        dataDir: join(root, `data-${++made}`),
        ...(spec.settings ? { settings: spec.settings } : {}),
        ...options,
      });
      cleanups.push(async () => {
        await started.close();
        if (!options.database) await started.database.drop();
      });
      return started;
    };
    let main: StartedAdapter;
    let fixture: Fixture;
    beforeAll(async () => {
      main = await start();
      fixture = await spec.prepare(main);
    });
    afterAll(async () => {
      await main?.close();
    });

    it('answers a repeat of an Idempotency-Key with the first run, and queues nothing', async () => {
      const key = `conformance-${Date.now()}`;
      const first = await spec.trigger(main.url, fixture, key);
      expect(first.status).toBe(spec.triggerStatus ?? 200);
      const jobs = await countJobs(main.core);
      const again = await spec.trigger(main.url, fixture, key);
      expect(again).toEqual(first);
      expect(await countJobs(main.core)).toBe(jobs);
      const other = await spec.trigger(main.url, fixture, `${key}-other`);
      expect(other.id).not.toBe(first.id);
    });

    it('documents every route its router mounts in a valid OpenAPI 3.1 document, and declares their paths (the server routes by them)', async () => {
      const claimed = main.runtime.paths.map((path) => path.toLowerCase());
      const document = spec.adapter
        .describe(spec.adapter.settings.parse(spec.settings ?? {}), sharedSettingsFor(root, 100))
        .openApi() as { openapi: string; paths?: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');
      const validation = await new Validator().validate(document as never);
      expect(validation.errors ?? []).toEqual([]);
      const paths = document.paths ?? {};
      const documentedRoutes = Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(documentedRoutes.sort()).toEqual([...new Set(mountedRoutes(main.runtime.router))].sort());
      const documented = Object.keys(paths);
      expect(documented.length).toBeGreaterThan(0);
      const unclaimed = documented.filter(
        (path) => !claimed.some((base) => path.toLowerCase() === base || path.toLowerCase().startsWith(`${base}/`)),
      );
      expect(unclaimed).toEqual([]);
    });

    it("answers an unknown route 404 in the contract's error shape", async () => {
      const answer = await send(main.url, { method: 'GET', path: spec.unknownPath });
      expect(answer.status).toBe(404);
      expect(spec.errorShape(answer.body), JSON.stringify(answer.body)).toBe(true);
    });

    it("answers a wrong method 405 with Allow, in the contract's error shape", async () => {
      const answer = await send(main.url, spec.wrongMethod);
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe(spec.wrongMethod.allow);
      expect(spec.errorShape(answer.body), JSON.stringify(answer.body)).toBe(true);
    });

    it("answers a body over the limit 413, another media type 415 and malformed JSON 400, in the contract's shape", async () => {
      const route = spec.jsonRoute(fixture);
      const tooLarge = await send(
        main.url,
        route,
        JSON.stringify({ pad: 'x'.repeat(spec.bodyLimit + 1) }),
        'application/json',
      );
      const otherType = await send(main.url, route, '<a/>', 'application/xml');
      const malformed = await send(main.url, route, '{"message": ', 'application/json');
      expect([tooLarge.status, otherType.status, malformed.status]).toEqual([413, 415, 400]);
      for (const answer of [tooLarge, otherType, malformed])
        expect(spec.errorShape(answer.body), JSON.stringify(answer.body)).toBe(true);
    });

    it('keeps an answered trigger when its node is killed (SIGKILL) and started again', async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      const dataDir = join(root, `data-${++made}`);
      // Prepared on a node of its own, closed before the process opens the same data folder.
      const preparing = await start({ dataDir, database, worker: false });
      const prepared = await spec.prepare(preparing);
      await preparing.close();
      const node = await startAdapterProcess({
        module: spec.module.specifier,
        exportName: spec.module.exportName,
        settings: spec.settings ?? {},
        dataDir,
        catalogDir: spec.catalogDir,
        database: databaseConfigOf(database, dataDir),
      });
      let answered: { status: number; id: string };
      try {
        answered = await spec.trigger(node.url, prepared, 'before-the-kill');
      } finally {
        await node.kill();
      }
      expect(answered.status).toBe(spec.triggerStatus ?? 200);
      const restarted = await start({ dataDir, database });
      expect(await spec.find(restarted.url, prepared, answered.id)).toBe(true);
      const job = await restarted.core.jobs.wait(await spec.jobIdOf(restarted, prepared, answered.id), {
        timeoutMs: 20_000,
      });
      expect(job.state).toBe('succeeded');
    });

    it('removes the job and every row the adapter keeps of it once retention has passed', async () => {
      // Retention runs with the worker: started once the rows are seen.
      const expiring = await start({ core: { retentionMs: 1, leaseMs: 1000 }, worker: false });
      const prepared = await spec.prepare(expiring);
      const { status, id } = await spec.trigger(expiring.url, prepared);
      expect(status).toBe(spec.triggerStatus ?? 200);
      const jobId = await spec.jobIdOf(expiring, prepared, id);
      expect(await spec.rowsOf(expiring, jobId)).toBeGreaterThan(0);
      await expiring.core.worker.start();
      await waitFor(
        'the job to be removed',
        async () => ((await expiring.core.jobs.find(jobId)) ? undefined : true),
        15_000,
      );
      expect(await spec.rowsOf(expiring, jobId)).toBe(0);
      expect(await spec.find(expiring.url, prepared, id)).toBe(false);
    });
  });
};
