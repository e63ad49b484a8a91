import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { settingTypes, type AnyAdapterModule } from '@botgate/http';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { adapterModules } from './adapters.js';
import { didYouMean } from './nearest.js';

const { port, positiveInt, duration: durationSchema } = settingTypes;

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
});

/** The server's own keys, and each adapter's section (`localApi:`) as its schema parsed it, by section. */
export type Config = z.output<typeof configSchema> & { sections: Record<string, unknown> };

/** Configuration keys that name paths: relative ones are taken from the folder of the file that sets them. */
const pathKeys = ['dataDir', 'catalog'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const upperSnake = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** The whole schema: the server's keys and each adapter's section. */
const schemaWith = (adapters: readonly AnyAdapterModule[]) =>
  configSchema.extend(Object.fromEntries(adapters.map((adapter) => [adapter.section, adapter.settings])));

/** Every setting as a key path with its variable: `localApi.userId` is `BOTGATE_LOCAL_API_USER_ID`. */
const settingsOf = (schema: z.ZodObject): Array<{ path: string[]; env: string }> =>
  Object.entries(schema.shape).flatMap(([key, schema]) => {
    let inner: unknown = schema;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional)
      inner = inner.unwrap();
    return inner instanceof z.ZodObject
      ? Object.keys(inner.shape).map((sub) => ({
          path: [key, sub],
          env: `BOTGATE_${upperSnake(key)}_${upperSnake(sub)}`,
        }))
      : [{ path: [key], env: `BOTGATE_${upperSnake(key)}` }];
  });

/** The keys a level of the configuration knows: the server's, or a section's. */
const keysAt = (schema: z.ZodObject, path: readonly PropertyKey[]): string[] => {
  if (path.length === 0) return Object.keys(schema.shape);
  let inner: unknown = schema.shape[String(path[0])];
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional)
    inner = inner.unwrap();
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
};

const valueAt = (raw: Record<string, unknown>, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    raw,
  );

/**
 * Every setting as `botgate serve --help` lists it: its key in `botgate.yaml`, its variable and
 * its default (`-` when it has none: optional, or made at the first start).
 */
export const settingsHelp = (adapters: readonly AnyAdapterModule[] = adapterModules): string => {
  const schema = schemaWith(adapters);
  const defaults = schema.safeParse({}).data ?? {};
  const rows = settingsOf(schema).map(({ path, env }) => {
    const value = valueAt(defaults, path);
    const shown = value === undefined ? '-' : Array.isArray(value) ? value.join(',') || '-' : String(value);
    return [path.join('.'), env, shown] as const;
  });
  const width = (column: 0 | 1) => Math.max(...rows.map((row) => row[column].length));
  return [
    'Settings (botgate.yaml key, its variable, its default; durations in ms; see README "Configuration"):',
    ...rows.map(([key, env, value]) => `  ${key.padEnd(width(0))}  ${env.padEnd(width(1))}  ${value}`),
  ].join('\n');
};

export interface LoadConfigOptions {
  /** `--config`; when given, the file must exist. */
  path?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** @default the adapters the server registers */
  adapters?: readonly AnyAdapterModule[];
}

/**
 * Reads `botgate.yaml` (optional unless named), lays `BOTGATE_*` variables over it and validates
 * the whole once. Errors name the file or variable and the key.
 */
export const loadConfig = ({
  path,
  env,
  cwd,
  adapters = adapterModules,
}: LoadConfigOptions): Config & { configPath: string | undefined } => {
  const schema = schemaWith(adapters);
  const settings = settingsOf(schema);
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
      throw new ConfigError(
        `${name}: not a botgate setting${didYouMean(
          name,
          settings.map((s) => s.env),
        )}; \`botgate serve --help\` lists every setting`,
      );
    const [key, sub] = setting.path as [string, string | undefined];
    if (sub === undefined) raw[key] = value;
    else
      raw[key] = { ...(typeof raw[key] === 'object' && raw[key] !== null ? (raw[key] as object) : {}), [sub]: value };
    sources.set(setting.path.join('.'), name);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const whereOf = (path: PropertyKey[]) => {
      const key = path.slice(0, 2).join('.');
      const source = sources.get(key) ?? sources.get(String(path[0] ?? ''));
      return source === undefined ? key : source.startsWith('BOTGATE_') ? source : `${source}: ${path.join('.')}`;
    };
    const lines = parsed.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        // A misspelt key: named with the nearest known one of its level (the server's or a section's).
        const known = keysAt(schema, issue.path);
        return issue.keys.map(
          (key) => `${whereOf([...issue.path, key])}: not a botgate setting${didYouMean(key, known)}`,
        );
      }
      const value = valueAt(raw, issue.path);
      // The value given, unless the message already says it.
      const got =
        value === undefined || typeof value === 'object' || issue.message.includes(' got ')
          ? ''
          : `, got ${JSON.stringify(value)}`;
      return [`${whereOf(issue.path) || '(top level)'}: ${issue.message}${got}`];
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = parsed.data as z.output<typeof configSchema> & Record<string, unknown>;
  for (const key of pathKeys) config[key] = resolve(cwd, config[key]);
  const sections = Object.fromEntries(adapters.map((adapter) => [adapter.section, config[adapter.section]]));
  const server = Object.fromEntries(
    Object.entries(config).filter(([key]) => !Object.hasOwn(sections, key)),
  ) as z.output<typeof configSchema>;
  return { ...server, sections, configPath: existsSync(configPath) ? configPath : undefined };
};

// Set by botgate itself for the commands it runs; they are not settings.
const reservedEnv = new Set([
  'BOTGATE_JOB_ID',
  // The CLI's: the stack of an unexpected error.
  'BOTGATE_DEBUG',
  'BOTGATE_JOB_DIR',
  'BOTGATE_AUTOMATION_DIR',
  'BOTGATE_INPUT',
  'BOTGATE_OUTPUT',
  'BOTGATE_TEST_DATABASE_URL',
  // The test harness's PostgreSQL (`eval "$(.ci/start-postgres)"` exports them into the shell).
  'BOTGATE_TEST_POSTGRES',
  'BOTGATE_PG_DATA',
  'BOTGATE_PG_PORT',
]);
