import { BotgateError, isFinal, isJobState, jobStates } from '@botgate/core';
import type { Command } from 'commander';
import { withCore, type GlobalOptions } from './context.js';
import { followToEnd, untilInterrupted } from './follow.js';
import { formatDuration, jobJson, printJob, printJson, printTable } from './format.js';

const jobId = (text: string): number => {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new BotgateError('JOB_NOT_FOUND', `"${text}" is not a job id`);
  return id;
};

export const registerJobsCommand = (program: Command, global: () => GlobalOptions): void => {
  const jobs = program.command('jobs').description('jobs of every adapter');
  jobs
    .command('list')
    .description('newest jobs first')
    .option('--state <state>', `only jobs in this state (${jobStates.join(', ')})`)
    .option('--automation <id>', 'only jobs of this automation')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print one JSON document')
    .action(async (options: { state?: string; automation?: string; limit: string; json?: boolean }) => {
      if (options.state !== undefined && !isJobState(options.state)) {
        throw new BotgateError('INVALID_CONFIG', `--state: "${options.state}" is not one of ${jobStates.join(', ')}`);
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit <= 0)
        throw new BotgateError('INVALID_CONFIG', `--limit: "${options.limit}" is not a positive whole number`);
      await withCore(global(), async ({ core }) => {
        const list = await core.jobs.list({ state: options.state as never, automationId: options.automation, limit });
        if (options.json) return printJson(list.map((job) => jobJson(job)));
        printTable(
          ['ID', 'AUTOMATION', 'ADAPTER', 'STATE', 'CREATED', 'DURATION', 'ERROR'],
          list.map((j) => [
            String(j.id),
            j.automationId,
            j.adapter,
            j.state,
            j.createdAt.toISOString(),
            formatDuration(j),
            j.error ?? '',
          ]),
        );
      });
    });
  jobs
    .command('show')
    .description('one job with its inputs, outputs, files, attempts and log')
    .argument('<id>')
    .option(
      '-f, --follow',
      'print its states and log as they come until it ends, then the job; the exit code is 0 only if it succeeded',
    )
    .option('--json', 'print one JSON document (with --follow, once the job ended)')
    .action(async (id: string, options: { json?: boolean; follow?: boolean }) => {
      const exitCode = await withCore(global(), async ({ core }) => {
        let job = await core.jobs.get(jobId(id));
        if (options.follow) {
          const out = options.json ? undefined : process.stdout;
          const ended = await untilInterrupted((signal) => followToEnd(core, job.id, { out, signal }));
          // Ctrl-C: the job goes on wherever it runs; only the following stops.
          if (!ended) return 130;
          job = ended;
        }
        const attempts = await core.jobs.attempts(job);
        if (options.json) printJson(jobJson(job, attempts));
        else if (options.follow) printJob(job, attempts, { log: false });
        else printJob(job, attempts);
        return options.follow && job.state !== 'succeeded' ? 1 : 0;
      });
      if (exitCode !== 0) process.exitCode = exitCode;
    });
  jobs
    .command('cancel')
    .description('cancel a queued job, or kill a running one')
    .argument('<id>')
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { json?: boolean }) => {
      await withCore(global(), async ({ core }) => {
        let job = await core.jobs.cancel(jobId(id));
        // The node running the job sees the request at its next poll, then stops the process.
        if (!isFinal(job.state))
          job = await core.jobs.wait(job.id, { timeoutMs: core.options.pollMs * 3 + core.options.killGraceMs + 2000 });
        if (options.json) printJson(jobJson(job));
        else
          console.log(
            isFinal(job.state)
              ? `job ${job.id} is ${job.state}`
              : `cancel of job ${job.id} requested; it is still ${job.state}`,
          );
      });
    });
};
