import { followJob, type Core, type Job } from '@botgate/core';

/**
 * Follows a job to its end: each state as a line, and its output as it is written, to `out`.
 * Answers the job once it ended, or undefined when `signal` aborted first.
 */
export const followToEnd = async (
  core: Core,
  id: number,
  { out, signal }: { out: NodeJS.WritableStream | undefined; signal: AbortSignal },
): Promise<Job | undefined> => {
  // A CLI is watched by a person: at least four looks a second, whatever the server's poll.
  const pollMs = Math.min(core.options.pollMs, 250);
  let last: Job | undefined;
  let midLine = false;
  for await (const update of followJob(core.jobs.get, id, { pollMs, signal })) {
    if (update.kind === 'log') {
      out?.write(update.text);
      midLine = !update.text.endsWith('\n');
      continue;
    }
    last = update.job;
    out?.write(
      `${midLine ? '\n' : ''}job ${id}: ${update.job.state}${update.job.error ? ` (${update.job.error})` : ''}\n`,
    );
    midLine = false;
  }
  return signal.aborted ? undefined : last;
};

/**
 * An AbortSignal that Ctrl-C (or SIGTERM) aborts once, for as long as `work` runs; a second one
 * ends the process as usual.
 */
export const untilInterrupted = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(interrupted.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
