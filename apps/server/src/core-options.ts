import { isAbsolute, resolve } from 'node:path';
import type { CoreOptions, Logger } from '@botgate/core';
import type { Config } from './load-config.js';

/** The core's slice of the configuration. */
export const coreOptionsOf = (config: Config, env: NodeJS.ProcessEnv, logger: Logger): CoreOptions => ({
  dataDir: config.dataDir,
  database:
    config.database === undefined
      ? { client: 'sqlite', filename: resolve(config.dataDir, 'botgate.sqlite'), synchronous: config.sqliteSynchronous }
      : /^postgres(ql)?:\/\//.test(config.database)
        ? { client: 'pg', connectionString: config.database }
        : { client: 'sqlite', filename: isAbsolute(config.database) ? config.database : resolve(config.database), synchronous: config.sqliteSynchronous },
  catalogDir: config.catalog,
  commandEnv: env,
  concurrency: config.concurrency,
  idempotencyWindowMs: config.idempotencyWindow,
  leaseMs: config.lease,
  pollMs: config.poll,
  retentionMs: config.retention,
  logger,
});
