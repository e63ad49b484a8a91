import type { Automation } from '../catalog/automation.js';
import type { InputWorkItem, JobErrorCode, JobFile, OutputWorkItem } from '../jobs/job.js';
import type { JsonValue } from '../variables/index.js';

/** Why a run was stopped from outside: a user's cancel, this node shutting down, or its job taken over by another node. */
export type AbortReason = 'canceled' | 'shutdown' | 'lost';

export interface RunRequest {
  /** Undefined for a real-time run that is recorded only once it has ended. */
  jobId: number | undefined;
  automation: Automation;
  /** Input variables as plain JSON, as `input.json` carries them. */
  inputs: Record<string, JsonValue>;
  inputFiles: JobFile[];
  /** The input work items to offer the robot: the job's, or one whose payload is the inputs and whose files are all the input files. */
  workItems: InputWorkItem[];
  workDir: string;
  /** Overrides the automation's timeout (a real-time caller's limit may be shorter). */
  timeoutMs?: number;
  /** Aborted with an `AbortReason` as its reason. */
  signal: AbortSignal;
}

export interface RunResult {
  status: 'succeeded' | 'failed' | 'timed_out' | 'aborted';
  abortReason?: AbortReason;
  /** Output variables as plain JSON, before they are read against the manifest's declared outputs. */
  outputs: Record<string, unknown>;
  outputFiles: JobFile[];
  outputWorkItems: OutputWorkItem[];
  exitCode: number | null;
  error: string | null;
  errorCode: JobErrorCode | null;
  log: string;
}

export interface Runner {
  run(request: RunRequest): Promise<RunResult>;
  close(): Promise<void>;
}
