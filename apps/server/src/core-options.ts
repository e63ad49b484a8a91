import { isAbsolute, resolve } from 'node:path';
import { BotgateError, createCore, type Core, type CoreOptions, type Logger } from '@botgate/core';
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

/** Errors of a data folder or SQLite file botgate cannot use: a read-only, full or wrong path. */
const storageCodes =
  /^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_FULL|SQLITE_IOERR|EACCES|EROFS|ENOTDIR|EPERM|ENOSPC|EEXIST)/;
/** Errors of reaching a PostgreSQL server: refused, unknown host, timed out, refused sign-in, no such database. */
const connectionCodes = /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|28P01|28000|3D000)$/;

const firstLine = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);

/** A PostgreSQL URL as it may be shown: its host, port and database, and nothing that may be a secret. */
const shown = (connectionString: string): string => {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.host}${url.pathname}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
};

/**
 * Opens the core the configuration describes. A data folder, database file or PostgreSQL server it
 * cannot use is one error that names it and says what botgate needs, not a driver's stack.
 */
export const openCore = async (config: Config, env: NodeJS.ProcessEnv, logger: Logger): Promise<Core> => {
  const options = coreOptionsOf(config, env, logger);
  try {
    return await createCore(options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    const { database } = options;
    if (database?.client === 'pg' && connectionCodes.test(code))
      throw new BotgateError(
        'STORAGE_UNAVAILABLE',
        `cannot use the database ${shown(database.connectionString)}: ${firstLine(error)}`,
      );
    if (storageCodes.test(code))
      throw new BotgateError(
        'STORAGE_UNAVAILABLE',
        config.database === undefined || database?.client !== 'sqlite'
          ? `cannot use the data folder ${config.dataDir}: ${firstLine(error)}; botgate creates and writes files there (set dataDir, or BOTGATE_DATA_DIR)`
          : `cannot use the database ${database.filename} (data folder ${config.dataDir}): ${firstLine(error)}; botgate creates and writes it and the files beside it (set database, or BOTGATE_DATABASE)`,
      );
    throw error;
  }
};
