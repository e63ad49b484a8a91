import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BotgateError, type Core, type InputFile } from '@botgate/core';
import type { Command } from 'commander';
import { withCore, type GlobalOptions } from './context.js';
import { followToEnd, untilInterrupted } from './follow.js';
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

/** Each `--file`, checked before anything is queued. */
const filesOf = (paths: string[]): InputFile[] =>
  paths.map((path) => {
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      throw new BotgateError('INVALID_FILE', `--file ${path}: no such file`);
    }
    if (!isFile) throw new BotgateError('INVALID_FILE', `--file ${path}: not a file`);
    return { name: basename(path), path: resolve(path) };
  });

const note = (text: string) => process.stderr.write(`botgate: ${text}\n`);

/** Which node will run the job, in words. */
const workersOf = async (core: Core): Promise<string | undefined> => {
  const alive = await core.nodes.alive();
  if (alive.length === 0) return undefined;
  return alive.length === 1 ? `node ${alive[0]?.id}` : `one of ${alive.length} nodes`;
};

export const registerRunCommand = (program: Command, global: () => GlobalOptions): void => {
  program
    .command('run')
    .description('queue a job of an automation; with --wait, follow it to its end (run here when no worker is running)')
    .argument('<automation>', 'automation id (its folder name)')
    .option('-i, --input <name=value>', 'an input variable, read by its declared type (repeatable)', collect, [])
    .option('-f, --file <path>', "a file for the job's working folder (repeatable)", collect, [])
    .option('--idempotency-key <key>', 'repeating the key answers the first job instead of queueing another')
    .option('-w, --wait', 'print its states and log (to stderr) until it ends; the exit code is 0 only if it succeeded')
    .option('--json', 'print one JSON document (with --wait, only the final one)')
    .action(
      async (
        automationId: string,
        options: { input: string[]; file: string[]; wait?: boolean; json?: boolean; idempotencyKey?: string },
      ) => {
        const files = filesOf(options.file);
        const exitCode = await withCore(global(), async ({ core }) => {
          const { job, created } = await core.jobs.enqueue({
            automationId,
            adapter: 'cli',
            plainInputs: parseInputs(options.input),
            files,
            ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
          });
          const workers = await workersOf(core);
          if (!options.wait) {
            if (options.json) printJson({ ...jobJson(job), created });
            else
              console.log(
                created ? `queued job ${job.id}` : `job ${job.id} (idempotency key seen before; nothing new queued)`,
              );
            if (!workers && created) note(`no worker is running: job ${job.id} waits until \`botgate serve\` starts`);
            return 0;
          }
          const progress = options.json ? undefined : process.stderr;
          let here = workers === undefined;
          const runHere = async (why: string) => {
            here = true;
            if (progress) note(why);
            await core.worker.start({ onlyJobIds: [job.id] });
          };
          if (here) await runHere(`no worker is running (\`botgate serve\`): job ${job.id} runs here`);
          else if (progress) note(`job ${job.id} is queued; ${workers} will run it`);
          // A worker that stops (or dies, once its lease passes) before taking the job leaves it here.
          const watch = here
            ? undefined
            : setInterval(() => {
                void (async () => {
                  if (here || (await core.jobs.get(job.id)).state !== 'queued') return;
                  if ((await core.nodes.alive()).length > 0) return;
                  await runHere(`no worker is running any more: job ${job.id} runs here`);
                })().catch(() => undefined);
              }, 2000);
          let finished;
          try {
            finished = await untilInterrupted((signal) => followToEnd(core, job.id, { out: progress, signal }));
          } finally {
            clearInterval(watch);
          }
          if (!finished) {
            // Closing the core (on the way out) puts a job this process runs back in the queue.
            note(
              here
                ? `interrupted: job ${job.id} goes back to the queue for the next worker`
                : `stopped waiting; job ${job.id} goes on. Follow it with: botgate jobs show ${job.id} --follow`,
            );
            return 130;
          }
          if (options.json) printJson({ ...jobJson(finished), created });
          else printJob(finished, [], { log: false });
          return finished.state === 'succeeded' ? 0 : 1;
        });
        if (exitCode !== 0) process.exitCode = exitCode;
      },
    );
};
