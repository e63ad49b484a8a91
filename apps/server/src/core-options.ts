import { isAbsolute, resolve } from 'node:path';
import type { CoreOptions, Logger } from '@botgate/core';
import { adaptersOf } from './adapter-runtimes.js';
import type { Config } from './load-config.js';

/**
 * What command automations inherit: the server's environment without botgate's own settings,
 * which may carry secrets (tokens, database URLs) that no automation needs.
 */
const commandEnvOf = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('BOTGATE_')));

/** The core's slice of the configuration. */
export const coreOptionsOf = (config: Config, env: NodeJS.ProcessEnv, logger: Logger): CoreOptions => ({
  dataDir: config.dataDir,
  database:
    config.database === undefined
      ? { client: 'sqlite', filename: resolve(config.dataDir, 'botgate.sqlite'), synchronous: config.sqliteSynchronous }
      : /^postgres(ql)?:\/\//.test(config.database)
        ? { client: 'pg', connectionString: config.database }
        : {
            client: 'sqlite',
            filename: isAbsolute(config.database) ? config.database : resolve(config.database),
            synchronous: config.sqliteSynchronous,
          },
  catalogDir: config.catalog,
  commandEnv: commandEnvOf(env),
  concurrency: config.concurrency,
  idempotencyWindowMs: config.idempotencyWindow,
  leaseMs: config.lease,
  pollMs: config.poll,
  retentionMs: config.retention,
  jsonDepth: config.jsonDepth,
  retryDelayMs: config.retryDelay,
  retryDelayMaxMs: config.retryDelayMax,
  logger,
  adapters: adaptersOf(config),
});
