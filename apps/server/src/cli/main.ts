import { isBotgateError } from '@botgate/core';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../load-config.js';
import { registerAdapterCommands } from './adapter-commands.js';
import { registerAutomationsCommand } from './automations-command.js';
import type { GlobalOptions } from './context.js';
import { registerJobsCommand } from './jobs-command.js';
import { registerRunCommand } from './run-command.js';
import { registerServeCommand } from './serve-command.js';
import { botgateVersion } from './version.js';

export const createProgram = (): Command => {
  const program = new Command('botgate')
    .description(
      'Turns automations into jobs that other systems trigger over HTTP (EMILY.RPA, Robocorp and Automation Anywhere APIs)',
    )
    .version(botgateVersion(), '-V, --version', 'print the version of botgate and exit')
    .option('-c, --config <path>', 'configuration file (default ./botgate.yaml, optional)')
    .showHelpAfterError()
    .exitOverride();
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  registerServeCommand(program, global);
  registerAutomationsCommand(program, global);
  registerRunCommand(program, global);
  registerJobsCommand(program, global);
  registerAdapterCommands(program, global);
  return program;
};

/** One line for an error nobody planned for: a system error's own text names its call and path. */
const lineOf = (error: unknown): string =>
  error instanceof Error ? error.message.split('\n')[0] || error.name : String(error);

/**
 * A reader that stops early (`botgate jobs list | head -5`) closes the pipe: what is left has
 * nowhere to go, and that is no error.
 */
const endQuietlyOnClosedPipe = (stream: NodeJS.WriteStream): void => {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
};

/**
 * Runs the CLI. Every error is one clear line on stderr (with --json, one JSON error document on
 * stdout) and exit code 1; BOTGATE_DEBUG=1 adds the stack of an unexpected one.
 */
export const main = async (argv: string[]): Promise<void> => {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const known = isBotgateError(error) || error instanceof ConfigError;
    const code = isBotgateError(error) ? error.code : error instanceof ConfigError ? 'INVALID_CONFIG' : 'FAILED';
    const message = known ? (error as Error).message : lineOf(error);
    if (argv.includes('--json')) console.log(JSON.stringify({ error: code, message }, null, 2));
    else console.error(`botgate: ${message}`);
    if (!known && process.env.BOTGATE_DEBUG === '1') console.error(error);
    process.exitCode = 1;
  }
};
