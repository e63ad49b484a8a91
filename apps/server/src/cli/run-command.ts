import { basename, resolve } from 'node:path';
import { BotgateError, type InputFile } from '@botgate/core';
import type { Command } from 'commander';
import { withCore, type GlobalOptions } from './context.js';
import { jobJson, printJob, printJson } from './format.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const parseInputs = (pairs: string[]): Record<string, string> => {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new BotgateError('INVALID_VARIABLE', `--input ${pair}: expected name=value`);
    inputs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return inputs;
};

export const registerRunCommand = (program: Command, global: () => GlobalOptions): void => {
  program
    .command('run')
    .description('queue a job of an automation (and with --wait, run it here unless a server takes it first)')
    .argument('<automation>', 'automation id (its folder name)')
    .option('-i, --input <name=value>', 'an input variable, read by its declared type (repeatable)', collect, [])
    .option('-f, --file <path>', "a file for the job's working folder (repeatable)", collect, [])
    .option('--idempotency-key <key>', 'repeating the key answers the first job instead of queueing another')
    .option('-w, --wait', 'wait for the job to end; the exit code is 0 only if it succeeded')
    .option('--json', 'print one JSON document')
    .action(
      async (
        automationId: string,
        options: { input: string[]; file: string[]; wait?: boolean; json?: boolean; idempotencyKey?: string },
      ) => {
        const ok = await withCore(global(), async ({ core }) => {
          const files: InputFile[] = options.file.map((path) => ({ name: basename(path), path: resolve(path) }));
          const { job, created } = await core.jobs.enqueue({
            automationId,
            adapter: 'cli',
            plainInputs: parseInputs(options.input),
            files,
            ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
          });
          if (!options.wait) {
            if (options.json) printJson({ ...jobJson(job), created });
            else
              console.log(
                created ? `queued job ${job.id}` : `job ${job.id} (idempotency key seen before; nothing new queued)`,
              );
            return true;
          }
          // A running server may claim the job first; either way this process waits for its end.
          await core.worker.start({ onlyJobIds: [job.id] });
          const finished = await core.jobs.wait(job.id);
          if (options.json) printJson({ ...jobJson(finished), created });
          else printJob(finished);
          return finished.state === 'succeeded';
        });
        if (!ok) process.exitCode = 1;
      },
    );
};
