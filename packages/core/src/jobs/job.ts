import type { JsonValue, Values } from '../variables/index.js';
import type { JobState } from './job-state.js';

/** Why a job did not succeed, as a stable code adapters map to their vendor's words. */
export type JobErrorCode =
  | 'EXIT_CODE'
  | 'EXCEPTION'
  | 'TIMEOUT'
  | 'CANCELED'
  | 'INTERRUPTED'
  | 'OUTPUT_INVALID'
  | 'START_FAILED'
  | 'AUTOMATION_REMOVED';

/** How one run of a job ended; `running` for the run under way. */
export type AttemptState = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'canceled' | 'interrupted';

/** One run of a job: retries, and runs cut short by a node's shutdown or death, each have their own. */
export interface JobAttempt {
  /** 1 for the first run. */
  number: number;
  /** The node that ran it. */
  node: string | null;
  startedAt: Date | null;
  /** Null while it runs. */
  endedAt: Date | null;
  state: AttemptState;
  errorCode: JobErrorCode | null;
  error: string | null;
  exitCode: number | null;
  /** Bounded tail of its output. */
  log: string;
}

export interface JobFile {
  /** Path relative to the job's working folder (input files) or its `output/` folder (output files), with `/`. */
  name: string;
  size: number;
}

/** One input work item of a job: its payload, and its files by the name the robot sees, each a file of the job's input files. */
export interface InputWorkItem {
  payload: JsonValue;
  files: Record<string, string>;
}

export interface OutputWorkItem {
  payload: JsonValue | null;
  /** Each file by its name (the FileAdapter's key) and where it is, relative to the job's folder. */
  files: Array<{ name: string; path: string }>;
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
   * A Robocorp work item payload exactly as the caller sent it (any JSON: an object, an array,
   * nulls included); the robot reads it through the work-item file adapter. With several input
   * work items, the first one's. Null when the job has none.
   */
  workItem: JsonValue | null;
  /** The input work items of a run over several (Robocorp's run-request), each with its own files; null for one. */
  workItems: InputWorkItem[] | null;
  /** Work items the robot wrote to `RC_WORKITEM_OUTPUT_PATH`: `[{ payload, files }]`. */
  outputWorkItems: OutputWorkItem[];
  /** Adapter-owned data kept with the job (e.g. a vendor's own job number). */
  metadata: Record<string, unknown>;
  createdAt: Date;
  /** When the current (or last) attempt started. */
  startedAt: Date | null;
  /** A retry waiting for its backoff is not started before this. */
  runAfter: Date | null;
  /** The node running it, while it runs. */
  leaseOwner: string | null;
  finishedAt: Date | null;
}
