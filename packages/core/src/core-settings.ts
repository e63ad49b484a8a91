import type { Logger } from './logger.js';
import type { DatabaseConfig } from './queue/database.js';
import type { SpawnerKind } from './runners/create-spawner.js';

/** Core's settings as its caller gives them, adapters aside. */
export interface CoreSettingsInput {
  /** SQLite file (unless `database` says otherwise) and job working folders. */
  dataDir: string;
  /** @default SQLite in `<dataDir>/botgate.sqlite` */
  database?: DatabaseConfig;
  /** Folder of automation folders. */
  catalogDir: string;
  /** Environment every command automation starts with (the server passes its own). */
  commandEnv: NodeJS.ProcessEnv;
  /** Jobs running at once on this node. @default 8 */
  concurrency?: number;
  /** How long an idempotency key answers its first job. @default 86_400_000 (24 h) */
  idempotencyWindowMs?: number;
  /** A running job's lease; a node silent this long is taken for dead (recovery runs every lease / 2, so within 1.5 × lease). @default 20_000 */
  leaseMs?: number;
  /** Fallback look for work queued elsewhere and for cancels. @default 1000 */
  pollMs?: number;
  /** The wait before a failed job's first retry, doubling after each (jittered); an automation's `retryDelay` overrides it. @default 1000 */
  retryDelayMs?: number;
  /** No retry waits longer than this. @default 300_000 (5 min) */
  retryDelayMaxMs?: number;
  /** How long finished jobs and their folders are kept. @default 604_800_000 (7 days) */
  retentionMs?: number;
  /** Arrays and objects nested this deep at most, in request bodies and in JSON text of inputs. @default 64 */
  jsonDepth?: number;
  /** Bytes of a command's stdout and stderr kept per job. @default 65536 */
  logLimit?: number;
  /** After SIGTERM, how long a timed-out or canceled process gets before SIGKILL. @default 5000 */
  killGraceMs?: number;
  /**
   * What starts command automations' processes: the native spawner where this build has one,
   * else the JavaScript one (see `SpawnerKind`). Tests choose one; an operator has no need to.
   * @default 'auto'
   */
  commandSpawner?: SpawnerKind;
  /** Warm worker threads for module automations. @default 2 */
  moduleThreads?: number;
  /** @default a silent logger */
  logger?: Logger;
}

/** The settings core runs with, every default filled in. */
export type CoreSettings = Required<Omit<CoreSettingsInput, 'database'>> & { database: DatabaseConfig };
