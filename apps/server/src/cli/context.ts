import type { Core } from '@botgate/core';
import type { Logger } from 'pino';
import { openCore } from '../core-options.js';
import { loadConfig, type Config } from '../load-config.js';
import { createLogger } from '../logger.js';

export interface GlobalOptions {
  config?: string;
}

export interface CommandContext {
  config: Config;
  logger: Logger;
  core: Core;
}

/** Loads configuration and opens the core for one CLI command, closing it afterwards. */
export const withCore = async <T>(
  global: GlobalOptions,
  work: (context: CommandContext) => Promise<T>,
  { logTo = 'stderr' }: { logTo?: 'stdout' | 'stderr' } = {},
): Promise<T> => {
  const config = loadConfig({ path: global.config, env: process.env, cwd: process.cwd() });
  const logger = createLogger(logTo === 'stderr' && config.logLevel === 'info' ? 'error' : config.logLevel, logTo);
  const core = await openCore(config, process.env, logger);
  try {
    return await work({ config, logger, core });
  } finally {
    await core.close({ graceMs: 0 });
  }
};
