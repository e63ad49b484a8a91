import { existsSync } from 'node:fs';
import { Piscina } from 'piscina';
import { collectFiles } from './collect-output-files.js';
import { jobPaths } from './job-paths.js';
import { createModuleOutput, type ModuleOutput } from './module-output.js';
import type { AbortReason, RunRequest, RunResult, Runner } from './runner.js';

export interface ModuleRunnerOptions {
  /** Warm threads kept for module automations. @default 2 */
  minThreads: number;
  /** Threads at most; one per running module job, so a slow module never waits behind another. */
  maxThreads: number;
  /** Bytes of a module's console output kept per job (the tail). @default 65536 */
  logLimit?: number;
}

const workerFile = new URL('./module-worker.mjs', import.meta.url).href;
/** The pool threads' entry: it imports workerFile (why it is CommonJS: module-thread.cjs). */
const threadFile = new URL('./module-thread.cjs', import.meta.url).href;

type Task = { modulePath: string; inputs: Record<string, unknown>; context: Record<string, unknown> };
/** A module's throw comes back as data, with the output printed before it. */
type Called = { outputs: unknown; wroteFiles: boolean } | { threw: unknown };
/** Loaded at the first `none` module: it patches this thread's console and streams (module-worker.mjs). */
let inProcess: Promise<(task: Task, output: ModuleOutput) => Promise<Called>> | undefined;

/**
 * `isolation: none`: the same module call on this thread, with a plain timer (an
 * `AbortSignal.timeout` per call cost more than the call). A timeout or cancel answers at once
 * but cannot stop the function: it is left to finish and its result is dropped.
 */
const runHere = async (
  task: Task,
  output: ModuleOutput,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Called | 'timeout'> => {
  inProcess ??= import(workerFile).then(
    (m: { runModule: (task: Task, output: ModuleOutput) => Promise<Called> }) => m.runModule,
  );
  const run = await inProcess;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    run(task, output)
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
  });
};

/**
 * Runs module automations in a warm pool of worker threads, one job per thread at a time. A
 * module that spins the CPU cannot be interrupted on the main thread; in its own thread, its
 * timeout terminates that thread alone and the pool starts a fresh one. Modules that declare
 * `isolation: none` run on the main thread instead, without the thread hop.
 * See docs/decisions/0002-module-isolation.md for the measured cost.
 */
export const createModuleRunner = (options: ModuleRunnerOptions): Runner & { warm(): void } => {
  // A thread's output by the id its task carries (module-worker.mjs), to the job that printed it.
  const printing = new Map<number, ModuleOutput>();
  let lastOutputId = 0;
  // Made when first needed (`warm()` or a threaded run), not with the core: starting its threads
  // cost every start, and the CLI's and an API node's never run a module in a thread.
  let pool: Piscina | undefined;
  let closed = false;
  const poolOf = (): Piscina => {
    if (pool) return pool;
    pool = new Piscina({
      filename: threadFile,
      minThreads: Math.min(options.minThreads, options.maxThreads),
      maxThreads: options.maxThreads,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
    pool.on('message', (message: { outputId: number; bytes: Uint8Array }) =>
      printing.get(message.outputId)?.write(message.bytes),
    );
    return pool;
  };
  const runInThread = async (task: Task, output: ModuleOutput, signal: AbortSignal): Promise<Called> => {
    const outputId = ++lastOutputId;
    printing.set(outputId, output);
    try {
      const called = (await poolOf().run({ ...task, outputId }, { signal })) as Called & { printed: number };
      await output.received(called.printed);
      return called;
    } finally {
      printing.delete(outputId);
    }
  };
  return {
    async run(request: RunRequest): Promise<RunResult> {
      const { automation, workDir } = request;
      if (automation.run.kind !== 'module') throw new Error(`${automation.id} is not a module automation`);
      const timeoutMs = request.timeoutMs ?? automation.timeoutMs;
      const output = createModuleOutput(options.logLimit ?? 65_536, jobPaths(workDir).log);
      const base = () => ({ outputFiles: [], outputWorkItems: [], exitCode: null, log: output.text() });
      const timedOut = () => ({
        ...base(),
        outputs: {},
        status: 'timed_out' as const,
        error: `timed out after ${timeoutMs} ms`,
        errorCode: 'TIMEOUT' as const,
      });
      const threw = (error: unknown): RunResult => {
        const message = error instanceof Error ? error.message : String(error);
        const printed = output.text();
        const stack = error instanceof Error && error.stack ? error.stack : message;
        return {
          ...base(),
          outputs: {},
          status: 'failed',
          error: message,
          errorCode: 'EXCEPTION',
          log: printed === '' || printed.endsWith('\n') ? printed + stack : `${printed}\n${stack}`,
        };
      };
      const timeout = automation.run.isolation === 'none' ? undefined : AbortSignal.timeout(timeoutMs);
      try {
        const task = {
          modulePath: automation.run.module,
          inputs: request.inputs,
          context: {
            jobId: request.jobId ?? null,
            automationId: automation.id,
            workDir,
            inputFiles: request.inputFiles.map((f) => f.name),
            workItem: request.workItems[0]?.payload ?? null,
            workItems: request.workItems,
          },
        };
        const called =
          timeout === undefined
            ? await runHere(task, output, request.signal, timeoutMs)
            : await runInThread(task, output, AbortSignal.any([request.signal, timeout]));
        if (called === 'timeout') return timedOut();
        if ('threw' in called) return threw(called.threw);
        const { outputs } = called;
        if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
          return {
            ...base(),
            outputs: {},
            status: 'failed',
            error: 'the module must return an object of output variables',
            errorCode: 'OUTPUT_INVALID',
          };
        }
        // Most modules write no files: the disk is looked at only when one may have.
        const outputDir = jobPaths(workDir).outputDir;
        const outputFiles =
          (called.wroteFiles || request.inputFiles.length > 0) && existsSync(outputDir)
            ? await collectFiles(outputDir)
            : [];
        return {
          ...base(),
          outputs: outputs as Record<string, unknown>,
          outputFiles,
          status: 'succeeded',
          error: null,
          errorCode: null,
        };
      } catch (error) {
        if (request.signal.aborted) {
          const reason = request.signal.reason as AbortReason;
          return {
            ...base(),
            outputs: {},
            status: 'aborted',
            abortReason: reason,
            error: reason,
            errorCode: reason === 'canceled' ? 'CANCELED' : 'INTERRUPTED',
          };
        }
        if (timeout?.aborted) return timedOut();
        return threw(error);
      } finally {
        output.end();
      }
    },
    /** Starts the warm threads now, ahead of the first job that needs one. */
    warm() {
      if (!closed) poolOf();
    },
    async close() {
      closed = true;
      await pool?.destroy();
    },
  };
};
