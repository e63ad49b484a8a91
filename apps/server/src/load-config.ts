import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { durationSchema } from '@botgate/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
// A list in YAML, or comma-separated text in an environment variable.
const textList = z.preprocess(
  (raw) =>
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : raw,
  z.array(z.string().min(1)),
);
const positiveInt = z.coerce.number().int().positive();

/** Every key of `botgate.yaml`; each can be overridden by `BOTGATE_<KEY>` (camelCase becomes UPPER_SNAKE). */
const configSchema = z.strictObject({
  /** @default 3000, as EMILY.RPA's API server */
  port: port.default(3000),
  /** @default '127.0.0.1'; '0.0.0.0' serves the network */
  host: z.string().min(1).default('127.0.0.1'),
  /** @default './data' */
  dataDir: z.string().min(1).default('./data'),
  /** A SQLite file path, or a postgres:// URL for several nodes on one queue. @default '<dataDir>/botgate.sqlite' */
  database: z.string().min(1).optional(),
  /** @default './examples' */
  catalog: z.string().min(1).default('./examples'),
  /** Jobs running at once on this node. @default 8 */
  concurrency: positiveInt.default(8),
  /** Whether this node runs queued jobs; `false` makes an API-only node of a cluster (triggers, status, real-time executes). @default true */
  worker: z.union([z.boolean(), z.stringbool()]).default(true),
  /** Bytes per uploaded file. @default 52428800 (50 MiB) */
  uploadLimit: positiveInt.default(50 * 1024 * 1024),
  /** Bytes of all files of one request together. @default 4 × uploadLimit */
  uploadTotalLimit: positiveInt.optional(),
  /** Arrays and objects nested this deep at most in a request body (and in JSON text of an input). @default 64 */
  jsonDepth: positiveInt.default(64),
  /** A client has this long to send a request's headers (slow clients are dropped). @default 30s */
  headersTimeout: durationSchema.default(30_000),
  /** A client has this long to send a whole request: a 200 MiB upload at 1 MB/s fits. @default 10m */
  requestTimeout: durationSchema.default(600_000),
  /** An idle kept-alive connection is closed after this. @default 5s */
  keepAliveTimeout: durationSchema.default(5000),
  /** How long finished jobs and their folders are kept. @default 7d */
  retention: durationSchema.default(7 * 86_400_000),
  /** How long an idempotency key answers its first job. @default 24h */
  idempotencyWindow: durationSchema.default(86_400_000),
  /** On SIGTERM, how long running jobs may finish before they are requeued. @default 30s */
  shutdownGrace: durationSchema.default(30_000),
  /** The wait before a failed job's first retry; doubled after each, jittered (half to all of it), capped by `retryDelayMax`. An automation's own `retryDelay` overrides it. @default 1s */
  retryDelay: durationSchema.default(1000),
  /** No retry waits longer than this. @default 5m */
  retryDelayMax: durationSchema.default(300_000),
  /** A node silent this long loses its running jobs to recovery (within 1.5 × lease). @default 20s */
  lease: durationSchema.default(20_000),
  /** Fallback look for work queued by other processes. @default 1s */
  poll: durationSchema.default(1000),
  /** SQLite durability: `full` survives power loss, `normal` only a crashed process. @default 'full' */
  sqliteSynchronous: z.enum(['full', 'normal']).default('full'),
  /** HS256 key of the api-task tokens. @default made once into `<dataDir>/api-task-jwt.key` */
  jwtSecret: z.string().min(32, 'use a secret of at least 32 characters').optional(),
  /** @default 'info' */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** EMILY.RPA's API Trigger (`/api`). */
  localApi: z
    .strictObject({
      /** Shown by `GET /api`. @default 'botgate' */
      userId: z.string().min(1).default('botgate'),
      /** When set, every call needs `Authorization: Bearer <token>` or `?token=`. */
      token: z.string().min(16, 'use a token of at least 16 characters').optional(),
      /** When set, only these addresses or CIDR ranges may call. */
      allow: textList.optional(),
    })
    .default({ userId: 'botgate' }),
  /** Robocorp's Process API (`/workspace-v1`, `/process-v1`). */
  processApi: z
    .strictObject({
      /** The workspace every automation belongs to. @default an id made once and kept */
      workspaceId: z
        .string()
        .regex(/^[\w-]{1,64}$/, 'use 1 to 64 letters, digits, _ or -')
        .optional(),
      /** Bytes of a JSON request body. @default 1048576 */
      bodyLimit: positiveInt.default(1024 * 1024),
      /** The first webhook retry waits this long, each next one twice as long. @default 5s */
      webhookRetry: durationSchema.default(5000),
      /** The URL printed in `process-api secret`'s curl line. @default http://<host>:<port> */
      publicUrl: z.url().optional(),
    })
    .default({ bodyLimit: 1024 * 1024, webhookRetry: 5000 }),
  /** Automation Anywhere's API Task real-time endpoint (`/v1/authentication`, `/orchestrator/v1/hotbot`, `/hotbot`). */
  apiTask: z
    .strictObject({
      /** A user token's lifetime. @default 20m */
      tokenLifetime: durationSchema.default(1_200_000),
      /** An execution token's lifetime. @default 12h */
      executionTokenLifetime: durationSchema.default(43_200_000),
      /** The real-time limit of one execution. @default 60s */
      realtimeLimit: durationSchema.default(60_000),
      /** Base of the execution URLs handed out. @default the address each request came to */
      publicUrl: z.url().optional(),
      /** Failed sign-ins per user from one address within `loginWindow` before 429. @default 5 */
      loginAttempts: positiveInt.default(5),
      /** Failed sign-ins per user from all addresses within `loginWindow` before 429. @default 20 */
      loginAttemptsPerUser: positiveInt.default(20),
      /** Failed sign-ins from one address for all users within `loginWindow` before 429 (password spraying). @default 20 */
      loginAttemptsPerAddress: positiveInt.default(20),
      /** @default 15m */
      loginWindow: durationSchema.default(900_000),
      /** The first retry of a deploy's callback waits this long, each next one twice as long. @default 5s */
      callbackRetry: durationSchema.default(5000),
    })
    .default({
      tokenLifetime: 1_200_000,
      executionTokenLifetime: 43_200_000,
      realtimeLimit: 60_000,
      loginAttempts: 5,
      loginAttemptsPerUser: 20,
      loginAttemptsPerAddress: 20,
      loginWindow: 900_000,
      callbackRetry: 5000,
    }),
});

export type Config = z.output<typeof configSchema>;

/** Configuration keys that name paths: relative ones are taken from the folder of the file that sets them. */
const pathKeys = ['dataDir', 'catalog'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const upperSnake = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** Every setting as a key path with its variable: `localApi.userId` is `BOTGATE_LOCAL_API_USER_ID`. */
const settings: Array<{ path: string[]; env: string }> = Object.entries(configSchema.shape).flatMap(([key, schema]) => {
  let inner: unknown = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap();
  return inner instanceof z.ZodObject
    ? Object.keys(inner.shape).map((sub) => ({
        path: [key, sub],
        env: `BOTGATE_${upperSnake(key)}_${upperSnake(sub)}`,
      }))
    : [{ path: [key], env: `BOTGATE_${upperSnake(key)}` }];
});

export interface LoadConfigOptions {
  /** `--config`; when given, the file must exist. */
  path?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Reads `botgate.yaml` (optional unless named), lays `BOTGATE_*` variables over it and validates
 * the whole once. Errors name the file or variable and the key.
 */
export const loadConfig = ({ path, env, cwd }: LoadConfigOptions): Config & { configPath: string | undefined } => {
  const configPath = resolve(cwd, path ?? 'botgate.yaml');
  const sources = new Map<string, string>();
  let raw: Record<string, unknown> = {};
  if (existsSync(configPath)) {
    let document: unknown;
    try {
      document = parseYaml(readFileSync(configPath, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${configPath}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (document !== null && document !== undefined && (typeof document !== 'object' || Array.isArray(document))) {
      throw new ConfigError(`${configPath}: expected a mapping of settings`);
    }
    raw = { ...(document as Record<string, unknown> | null) };
    for (const [key, value] of Object.entries(raw)) {
      sources.set(key, configPath);
      if (typeof value === 'object' && value !== null)
        for (const sub of Object.keys(value)) sources.set(`${key}.${sub}`, configPath);
    }
    for (const key of pathKeys) {
      const value = raw[key];
      if (typeof value === 'string' && !isAbsolute(value)) raw[key] = resolve(dirname(configPath), value);
    }
  } else if (path !== undefined) {
    throw new ConfigError(`${configPath}: configuration file not found`);
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('BOTGATE_') || value === undefined || reservedEnv.has(name)) continue;
    const setting = settings.find((s) => s.env === name);
    if (!setting)
      throw new ConfigError(`${name}: not a botgate setting (known: ${settings.map((s) => s.env).join(', ')})`);
    const [key, sub] = setting.path as [string, string | undefined];
    if (sub === undefined) raw[key] = value;
    else
      raw[key] = { ...(typeof raw[key] === 'object' && raw[key] !== null ? (raw[key] as object) : {}), [sub]: value };
    sources.set(setting.path.join('.'), name);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.slice(0, 2).join('.');
      const source = sources.get(key) ?? sources.get(String(issue.path[0] ?? ''));
      const where =
        source === undefined ? key : source.startsWith('BOTGATE_') ? source : `${source}: ${issue.path.join('.')}`;
      return `${where || '(top level)'}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = parsed.data;
  for (const key of pathKeys) config[key] = resolve(cwd, config[key]);
  return { ...config, configPath: existsSync(configPath) ? configPath : undefined };
};

// Set by botgate itself for the commands it runs; they are not settings.
const reservedEnv = new Set([
  'BOTGATE_JOB_ID',
  'BOTGATE_JOB_DIR',
  'BOTGATE_AUTOMATION_DIR',
  'BOTGATE_INPUT',
  'BOTGATE_OUTPUT',
  'BOTGATE_TEST_DATABASE_URL',
]);
