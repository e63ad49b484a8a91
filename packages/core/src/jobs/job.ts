import type { Values } from '../variables/index.js';
import type { JobState } from './job-state.js';

/** Why a job did not succeed, as a stable code adapters map to their vendor's words. */
export type JobErrorCode = 'EXIT_CODE' | 'EXCEPTION' | 'TIMEOUT' | 'CANCELED' | 'INTERRUPTED' | 'OUTPUT_INVALID' | 'START_FAILED' | 'AUTOMATION_REMOVED';

export interface JobFile {
  /** Path relative to the job's working folder (input files) or its `output/` folder (output files), with `/`. */
  name: string;
  size: number;
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
  /** Adapter-owned data kept with the job (e.g. a vendor's own job number). */
  metadata: Record<string, unknown>;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}
