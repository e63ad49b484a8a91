import { existsSync } from 'node:fs';
import { Piscina } from 'piscina';
import { collectFiles } from './collect-output-files.js';
import { jobPaths } from './job-paths.js';
import type { AbortReason, RunRequest, RunResult, Runner } from './runner.js';

export interface ModuleRunnerOptions {
  /** Warm threads kept for module automations. @default 2 */
  minThreads: number;
  /** Threads at most; one per running module job, so a slow module never waits behind another. */
  maxThreads: number;
}

const workerFile = new URL('./module-worker.mjs', import.meta.url).href;

/**
 * Runs module automations in a warm pool of worker threads, one job per thread at a time. A
 * module that spins the CPU cannot be interrupted on the main thread; in its own thread, its
 * timeout terminates that thread alone and the pool starts a fresh one.
 * See docs/decisions/0002-module-isolation.md for the measured cost.
 */
export const createModuleRunner = (options: ModuleRunnerOptions): Runner => {
  const pool = new Piscina({
    filename: workerFile,
    minThreads: Math.min(options.minThreads, options.maxThreads),
    maxThreads: options.maxThreads,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
  });
  return {
    async run(request: RunRequest): Promise<RunResult> {
      const { automation, workDir } = request;
      if (automation.run.kind !== 'module') throw new Error(`${automation.id} is not a module automation`);
      const timeoutMs = request.timeoutMs ?? automation.timeoutMs;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([request.signal, timeout]);
      const base = { outputFiles: [], outputWorkItems: [], exitCode: null, log: '' };
      try {
        const outputs = (await pool.run(
          {
            modulePath: automation.run.module,
            inputs: request.inputs,
            context: { jobId: request.jobId ?? null, automationId: automation.id, workDir, inputFiles: request.inputFiles.map((f) => f.name), workItem: request.workItem },
          },
          { signal },
        )) as unknown;
        if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
          return { ...base, outputs: {}, status: 'failed', error: 'the module must return an object of output variables', errorCode: 'OUTPUT_INVALID' };
        }
        // Most modules write no files: a synchronous existence check spares them a thread-pool round trip.
        const outputDir = jobPaths(workDir).outputDir;
        const outputFiles = existsSync(outputDir) ? await collectFiles(outputDir) : [];
        return { ...base, outputs: outputs as Record<string, unknown>, outputFiles, status: 'succeeded', error: null, errorCode: null };
      } catch (error) {
        if (request.signal.aborted) {
          const reason = request.signal.reason as AbortReason;
          return { ...base, outputs: {}, status: 'aborted', abortReason: reason, error: reason, errorCode: reason === 'canceled' ? 'CANCELED' : 'INTERRUPTED' };
        }
        if (timeout.aborted) {
          return { ...base, outputs: {}, status: 'timed_out', error: `timed out after ${timeoutMs} ms`, errorCode: 'TIMEOUT' };
        }
        const message = error instanceof Error ? error.message : String(error);
        return { ...base, outputs: {}, status: 'failed', error: message, errorCode: 'EXCEPTION', log: error instanceof Error && error.stack ? error.stack : message };
      }
    },
    async close() {
      await pool.destroy();
    },
  };
};
