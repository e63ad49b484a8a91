import { isBotgateError } from '@botgate/core';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../load-config.js';
import { registerAdapterCommands } from './adapter-commands.js';
import { registerAutomationsCommand } from './automations-command.js';
import type { GlobalOptions } from './context.js';
import { registerJobsCommand } from './jobs-command.js';
import { registerRunCommand } from './run-command.js';
import { registerServeCommand } from './serve-command.js';

export const createProgram = (): Command => {
  const program = new Command('botgate')
    .description(
      'Turns automations into jobs that other systems trigger over HTTP (EMILY.RPA, Robocorp and Automation Anywhere APIs)',
    )
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

/** Runs the CLI; known errors become one clear line (or a JSON error with --json) and exit code 1. */
export const main = async (argv: string[]): Promise<void> => {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const json = argv.includes('--json');
    if (isBotgateError(error) || error instanceof ConfigError) {
      const code = isBotgateError(error) ? error.code : 'INVALID_CONFIG';
      if (json) console.log(JSON.stringify({ error: code, message: error.message }, null, 2));
      else console.error(`botgate: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  }
};
