import type { Job, JobErrorCode } from '../jobs/job.js';
import type { JobState } from '../jobs/job-state.js';

export interface JobRow {
  id: number;
  automation_id: string;
  adapter: string;
  state: JobState;
  inputs: string;
  input_files: string;
  outputs: string;
  output_files: string;
  exit_code: number | null;
  error: string | null;
  error_code: string | null;
  log: string;
  attempt: number;
  max_attempts: number;
  idempotency_key: string | null;
  work_dir: string;
  cancel_requested: boolean | number;
  metadata: string;
  work_item: string | null;
  work_items?: string | null;
  output_work_items: string;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  run_after: number | string | null;
}

// Rows written before files had names hold their paths only: the name is the path's last part.
const outputWorkItemsOf = (text: string | null | undefined): Job['outputWorkItems'] =>
  (
    JSON.parse(text ?? '[]') as Array<{
      payload: Job['outputWorkItems'][number]['payload'];
      files: Array<string | { name: string; path: string }>;
    }>
  ).map((item) => ({
    payload: item.payload,
    files: item.files.map((file) =>
      typeof file === 'string' ? { name: file.split('/').pop() ?? file, path: file } : file,
    ),
  }));

// PostgreSQL returns bigint columns as text.
const toDate = (value: number | string | null): Date | null => (value === null ? null : new Date(Number(value)));

export const jobFromRow = (row: JobRow): Job => ({
  id: Number(row.id),
  automationId: row.automation_id,
  adapter: row.adapter,
  state: row.state,
  inputs: JSON.parse(row.inputs),
  inputFiles: JSON.parse(row.input_files),
  outputs: JSON.parse(row.outputs),
  outputFiles: JSON.parse(row.output_files),
  exitCode: row.exit_code,
  error: row.error,
  errorCode: row.error_code as JobErrorCode | null,
  log: row.log,
  attempt: row.attempt,
  maxAttempts: row.max_attempts,
  idempotencyKey: row.idempotency_key,
  workDir: row.work_dir,
  cancelRequested: Boolean(row.cancel_requested),
  metadata: JSON.parse(row.metadata),
  workItem: row.work_item === null ? null : JSON.parse(row.work_item),
  workItems: row.work_items === null || row.work_items === undefined ? null : JSON.parse(row.work_items),
  outputWorkItems: outputWorkItemsOf(row.output_work_items),
  createdAt: toDate(row.created_at) as Date,
  startedAt: toDate(row.started_at),
  runAfter: toDate(row.run_after ?? null),
  leaseOwner: row.lease_owner,
  finishedAt: toDate(row.finished_at),
});
