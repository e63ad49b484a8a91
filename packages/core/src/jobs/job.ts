import type { Values } from '../variables/index.js';
import type { JobState } from './job-state.js';

/** Why a job did not succeed, as a stable code adapters map to their vendor's words. */
export type JobErrorCode = 'EXIT_CODE' | 'EXCEPTION' | 'TIMEOUT' | 'CANCELED' | 'INTERRUPTED' | 'OUTPUT_INVALID' | 'START_FAILED' | 'AUTOMATION_REMOVED';

export interface JobFile {
  /** Path relative to the job's working folder (input files) or its `output/` folder (output files), with `/`. */
  name: string;
  size: number;
}

export interface OutputWorkItem {
  payload: unknown;
  /** File names as the robot gave them, relative to the job's folder when they are inside it. */
  files: string[];
}

export interface Job {
  id: number;
  automationId: string;
  /** The adapter (or `cli`) that created the job. */
  adapter: string;
  state: JobState;
  inputs: Values;
  inputFiles: JobFile[];
  outputs: Values;
  outputFiles: JobFile[];
  exitCode: number | null;
  error: string | null;
  errorCode: JobErrorCode | null;
  /** Bounded tail of the automation's stdout and stderr. */
  log: string;
  /** Runs started so far, retries included. */
  attempt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  workDir: string;
  cancelRequested: boolean;
  /**
   * A Robocorp work item payload exactly as the caller sent it (any JSON object, nulls included);
   * the robot reads it through the work-item file adapter. Null when the job has none.
   */
  workItem: Record<string, unknown> | null;
  /** Work items the robot wrote to `RC_WORKITEM_OUTPUT_PATH`: `[{ payload, files }]`. */
  outputWorkItems: OutputWorkItem[];
  /** Adapter-owned data kept with the job (e.g. a vendor's own job number). */
  metadata: Record<string, unknown>;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}
