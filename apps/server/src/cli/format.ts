import { toPlainJson, type Job, type JobAttempt, type Values } from '@botgate/core';

/** Prints rows as aligned columns under a header. */
export const printTable = (header: string[], rows: string[][]): void => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
};

export const printJson = (value: unknown): void => {
  console.log(JSON.stringify(value, null, 2));
};

const plain = (values: Values) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, toPlainJson(value)]));

/** A job as `--json` prints it: values typed as core keeps them. */
export type JobJson = Omit<Job, 'createdAt' | 'startedAt' | 'finishedAt' | 'runAfter'> & {
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  runAfter: string | null;
  /** `jobs show` only: every run of the job. */
  attempts?: AttemptJson[];
};

export type AttemptJson = Omit<JobAttempt, 'startedAt' | 'endedAt'> & {
  startedAt: string | null;
  endedAt: string | null;
};

const attemptJson = (attempt: JobAttempt): AttemptJson => ({
  ...attempt,
  startedAt: attempt.startedAt?.toISOString() ?? null,
  endedAt: attempt.endedAt?.toISOString() ?? null,
});

export const jobJson = (job: Job, attempts?: JobAttempt[]): JobJson => ({
  ...job,
  createdAt: job.createdAt.toISOString(),
  startedAt: job.startedAt?.toISOString() ?? null,
  finishedAt: job.finishedAt?.toISOString() ?? null,
  runAfter: job.runAfter?.toISOString() ?? null,
  ...(attempts ? { attempts: attempts.map(attemptJson) } : {}),
});

export const formatDuration = (job: Job): string => {
  if (!job.startedAt) return '';
  const ms = (job.finishedAt ?? new Date()).getTime() - job.startedAt.getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
};

/** A job as text; `log: false` leaves its log out (it was streamed already). */
export const printJob = (job: Job, attempts: JobAttempt[] = [], { log = true }: { log?: boolean } = {}): void => {
  const rows: Array<[string, string]> = [
    ['id', String(job.id)],
    ['automation', job.automationId],
    ['adapter', job.adapter],
    ['state', job.state],
    ['attempt', `${job.attempt} of ${job.maxAttempts}`],
    ['created', job.createdAt.toISOString()],
    ['started', job.startedAt?.toISOString() ?? '-'],
    ...(job.runAfter && job.state === 'queued'
      ? [['retry after', job.runAfter.toISOString()] as [string, string]]
      : []),
    ['finished', job.finishedAt?.toISOString() ?? '-'],
    ['duration', formatDuration(job) || '-'],
    ['inputs', JSON.stringify(plain(job.inputs))],
    ['input files', job.inputFiles.map((f) => `${f.name} (${f.size} B)`).join(', ') || '-'],
    ['outputs', JSON.stringify(plain(job.outputs))],
    ['output files', job.outputFiles.map((f) => `${f.name} (${f.size} B)`).join(', ') || '-'],
    ['exit code', job.exitCode === null ? '-' : String(job.exitCode)],
    ['error', job.error ?? '-'],
    ['working folder', job.workDir],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
  if (attempts.length > 1) {
    console.log('\nattempts:');
    printTable(
      ['#', 'STATE', 'STARTED', 'ENDED', 'EXIT', 'ERROR'],
      attempts.map((a) => [
        String(a.number),
        a.state,
        a.startedAt?.toISOString() ?? '-',
        a.endedAt?.toISOString() ?? '-',
        a.exitCode === null ? '-' : String(a.exitCode),
        a.error ?? '',
      ]),
    );
  }
  if (log && job.log) console.log(`\nlog:\n${job.log.trimEnd()}`);
};
