import type { Automation } from '../catalog/automation.js';
import type { Finish, JobOutcome } from '../queue/finish-job.js';
import type { RunResult, Runner } from '../runners/runner.js';
import { fromPlainJson, own, valuesToPlain, type Values } from '../variables/index.js';
import type { Job } from './job.js';

export interface RunJobDeps {
  nodeId: string;
  /** Records a job's end (batched with other jobs ending at the same time). */
  finish: (finish: Finish) => Promise<Job | undefined>;
  runners: { module: Runner; command: Runner };
  /** The wait before retrying `automation` after its attempt number `attempt` failed. */
  retryDelay: (automation: Automation, attempt: number) => number;
}

/** Reads a run's plain outputs against the declared output types; undeclared ones are inferred. */
const readOutputs = (automation: Automation, plain: Record<string, unknown>): Values =>
  Object.fromEntries(
    Object.entries(plain).map(([name, raw]) => [name, fromPlainJson(name, raw, own(automation.outputs, name))]),
  );

export const outcomeOf = (
  job: Pick<Job, 'attempt' | 'maxAttempts'>,
  automation: Automation,
  result: RunResult,
): JobOutcome => {
  const base = {
    outputs: {},
    outputFiles: result.outputFiles,
    outputWorkItems: result.outputWorkItems,
    exitCode: result.exitCode,
    error: result.error,
    errorCode: result.errorCode,
    log: result.log,
  };
  if (result.status === 'aborted') {
    return result.abortReason === 'canceled'
      ? { ...base, state: 'canceled' }
      : { ...base, state: 'queued', refundAttempt: true };
  }
  if (result.status === 'succeeded') {
    try {
      return { ...base, state: 'succeeded', outputs: readOutputs(automation, result.outputs) };
    } catch (error) {
      return {
        ...base,
        state: 'failed',
        error: `invalid output: ${(error as Error).message}`,
        errorCode: 'OUTPUT_INVALID',
      };
    }
  }
  if (result.status === 'failed' && job.attempt < job.maxAttempts) return { ...base, state: 'queued' };
  return { ...base, state: result.status };
};

export const runnerFailure = (error: unknown): RunResult => ({
  status: 'failed',
  outputs: {},
  outputFiles: [],
  outputWorkItems: [],
  exitCode: null,
  error: `runner error: ${(error as Error).message}`,
  errorCode: 'START_FAILED',
  log: '',
});

/**
 * Runs one claimed job to its end and records the outcome. A runner that throws still ends the
 * job `failed`: a claimed job that is never finished would stay running until its lease expires.
 */
export const runJob = async (
  deps: RunJobDeps,
  job: Job,
  automation: Automation,
  signal: AbortSignal,
): Promise<Job | undefined> => {
  const runner = deps.runners[automation.run.kind];
  let result: RunResult;
  try {
    const inputs = valuesToPlain(job.inputs);
    result = await runner.run({
      jobId: job.id,
      automation,
      inputs,
      inputFiles: job.inputFiles,
      workItems: job.workItems ?? [
        { payload: job.workItem ?? inputs, files: Object.fromEntries(job.inputFiles.map((f) => [f.name, f.name])) },
      ],
      workDir: job.workDir,
      signal,
    });
  } catch (error) {
    result = runnerFailure(error);
  }
  const outcome = outcomeOf(job, automation, result);
  // A run cut short by our shutdown is no failure of the job: it may start again at once.
  const runAfter =
    outcome.state === 'queued' && !outcome.refundAttempt
      ? Date.now() + deps.retryDelay(automation, job.attempt)
      : undefined;
  return deps.finish({ id: job.id, nodeId: deps.nodeId, outcome, runAfter });
};
