import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createCore, isFinal, type Core, type Job } from '@botgate/core';
import { createTestDatabase, useTestRoot, waitFor, type TestDatabase } from '@botgate/testing';
import { adaptersOf } from '../src/adapter-runtimes.js';
import { loadConfig } from '../src/load-config.js';
import { afterAll, expect } from 'vitest';

export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const examplesDir = join(repoRoot, 'examples');
const bin = join(repoRoot, 'apps/server/bin/botgate.js');

/** A fresh folder per test file, kept when a test failed so its database and job folders can be read. */
export const useWorkspace = (): string => useTestRoot('botgate-server-').root;

/** The bundled examples plus test variants whose manifests differ (timeouts, retries). */
export const makeCatalog = (
  root: string,
  variants: Record<string, { from: string; manifest: string }> = {},
): string => {
  const catalog = join(root, 'catalog');
  cpSync(examplesDir, catalog, { recursive: true });
  for (const [id, variant] of Object.entries(variants)) {
    cpSync(join(examplesDir, variant.from), join(catalog, id), { recursive: true });
    writeFileSync(join(catalog, id, 'automation.yaml'), variant.manifest);
  }
  return catalog;
};

export interface RunningServer {
  process: ChildProcess;
  port: number;
  url: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Its log lines so far (JSON). */
  logLines: string[];
}

const children = new Set<ChildProcess>();

/** Starts `botgate serve` as a real child process on a free port and waits until it listens. */
export const startServer = async (env: Record<string, string>): Promise<RunningServer> => {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, BOTGATE_PORT: '0', BOTGATE_POLL: '0.1', BOTGATE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => (children.delete(child), resolve(code))),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const logLines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      logLines.push(line);
      try {
        const entry = JSON.parse(line) as { port?: number; msg?: string };
        if (entry.msg?.startsWith('botgate listening') && entry.port) resolve(entry.port);
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => reject(new Error(`botgate serve exited (${code}) before listening: ${stderr}`)));
  });
  return { process: child, port, url: `http://127.0.0.1:${port}`, exited, logLines };
};

export interface CliRun {
  process: ChildProcess;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Its exit code and what it printed, once it ended. */
  ended: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the CLI; `ended` resolves at its end. */
export const startCli = (args: string[], env: Record<string, string>): CliRun => {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { process: child, stdout: () => stdout, stderr: () => stderr, ended };
};

/** Runs the CLI to its end. */
export const cli = (
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> => startCli(args, env).ended;

export { bin as botgateBin };

export const cliJson = async <T = Record<string, unknown>>(args: string[], env: Record<string, string>): Promise<T> => {
  const result = await cli([...args, '--json'], env);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `botgate ${args.join(' ')} printed no JSON (exit ${result.code}): ${result.stdout}${result.stderr}`,
    );
  }
};

const databases: TestDatabase[] = [];

/** Settings for a database of the test's own: none for SQLite (its file is in the data folder), BOTGATE_DATABASE for PostgreSQL. */
export const newDatabaseEnv = async (): Promise<Record<string, string>> => {
  const database = await createTestDatabase();
  databases.push(database);
  return database.env;
};

/** What `botgate` needs to run on a data folder and catalog of a test's own, with its database and any other settings. */
export const serverEnv = async (
  dataDir: string,
  catalog: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> => ({
  BOTGATE_DATA_DIR: dataDir,
  BOTGATE_CATALOG: catalog,
  ...(await newDatabaseEnv()),
  ...extra,
});

/** A maker of separate data folders (SQLite file and job folders) for a test file, one per test, with their environment. */
export const freshEnvs = (root: string, catalog: string) => {
  let made = 0;
  return async (extra: Record<string, string> = {}): Promise<{ dataDir: string; env: Record<string, string> }> => {
    const dataDir = join(root, `data-${++made}`);
    return { dataDir, env: await serverEnv(dataDir, catalog, extra) };
  };
};

/** A core on the same database as the server, for the test to read job rows directly. */
export const observe = async (dataDir: string, catalogDir: string, env: Record<string, string> = {}): Promise<Core> => {
  const database = env.BOTGATE_DATABASE
    ? { database: { client: 'pg' as const, connectionString: env.BOTGATE_DATABASE } }
    : {};
  const core = await createCore({ dataDir, catalogDir, commandEnv: {}, adapters, ...database });
  observers.add(core);
  return core;
};
const observers = new Set<Core>();
// The adapters' tables exist too, as the server made them.
const adapters = adaptersOf(loadConfig({ env: {}, cwd: process.cwd() }));

export { waitFor };

export const waitForState = (core: Core, id: number, states: Job['state'][], timeoutMs?: number): Promise<Job> =>
  waitFor(
    `job ${id} to be ${states.join(' or ')}`,
    async () => {
      const job = await core.jobs.get(id);
      return states.includes(job.state) ? job : undefined;
    },
    timeoutMs,
  );

export const waitForFinal = (core: Core, id: number, timeoutMs?: number): Promise<Job> =>
  waitFor(
    `job ${id} to end`,
    async () => {
      const job = await core.jobs.get(id);
      return isFinal(job.state) ? job : undefined;
    },
    timeoutMs,
  );

/** The process a running command job started, found by its working folder in /proc (its log is saved only when it ends). */
export const processOfJob = (core: Core, id: number): Promise<number> =>
  waitFor(`job ${id} to start its process`, async () => {
    const { workDir } = await core.jobs.get(id);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(`BOTGATE_JOB_DIR=${workDir}\0`))
          return Number(entry);
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
    return undefined;
  });

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0 until its parent reaps it; it runs no more.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
};

afterAll(async () => {
  await Promise.all([...observers].map((core) => core.close({ graceMs: 0 })));
  const left = [...children].filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of left) child.kill('SIGKILL');
  for (const database of databases) await database.drop();
  // A test that leaves a server or CLI process running fails.
  expect(left.map((child) => child.spawnargs.join(' '))).toEqual([]);
});
