import type { AdapterDescriptor, Automation, Core, Logger } from '@botgate/core';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { HttpError } from './http-error.js';
import type { ResponseSpec, RouteSpec } from './route-table.js';

/** The server's own settings an adapter may read, parsed once by the server. */
export interface SharedSettings {
  host: string;
  port: number;
  dataDir: string;
  /** Bytes per uploaded file. */
  uploadLimit: number;
  /** Bytes of all files of one request together. */
  uploadTotalLimit: number;
  /** How often background work looks for something to do, in ms. */
  pollMs: number;
  /** HS256 key of signed tokens; undefined means one made once in the data folder. */
  jwtSecret: string | undefined;
}

/** What an adapter is given when the server starts it. */
export interface AdapterContext<Settings> {
  core: Core;
  /** The adapter's own section of the configuration, parsed by its schema. */
  settings: Settings;
  shared: SharedSettings;
  logger: Logger;
  /** Told of each outcome of a delivery the adapter sends (webhooks, callbacks), for /metrics. */
  onDeliveryAttempt(outcome: 'delivered' | 'retrying' | 'failed'): void;
}

/** An adapter started over a core: its routes, and what runs beside them. */
export interface AdapterRuntime {
  router: Router;
  /** Background work (webhooks, callbacks): started with the workers, stopped before the core closes. */
  services?: { start(): void; stop(): Promise<void> };
  /** The adapter's part of the operator console. */
  console?: ConsolePanel;
}

/** Someone signed in to the console. */
export interface ConsoleOperator {
  id: number;
  username: string;
  role: 'admin' | 'developer';
}

/** Who signs in to the console, and how their sessions are checked: one adapter's users (api-task's). */
export interface ConsoleOperators {
  /** The sign-in body (documented in the console's OpenAPI document). */
  credentials: z.ZodType;
  /**
   * Checks a sign-in body, with the adapter's limit on failures; answers the operator and a signed
   * session token carrying `csrf`, valid for `lifetimeMs`.
   */
  signIn(
    body: unknown,
    address: string | undefined,
    session: { csrf: string; lifetimeMs: number },
  ): Promise<{ operator: ConsoleOperator; token: string }>;
  /** A session token's operator and CSRF token, checked against the records now (a removed user's session ends at once). */
  session(token: string): Promise<{ operator: ConsoleOperator; csrf: string; end(): Promise<void> }>;
}

/** A console route of an adapter: who may call it (`anyone` signed in, or an `admin`); the console documents its session security. */
export type ConsoleRoute = RouteSpec & { access: 'anyone' | 'admin' };

/** What an adapter brings to the operator console: its part of each automation, its actions and, for one, the operators. */
export interface ConsolePanel {
  /** Its key in each automation of `GET /console/api/automations` (`localApi`). */
  section: string;
  /** Its part of each automation, by automation id; `null` where it does not expose one. */
  exposure(baseUrl: string): Promise<Record<string, unknown>>;
  /** Its routes under `/console/api`, in the console's route table and OpenAPI document. */
  routes: ConsoleRoute[];
  operators?: ConsoleOperators;
}

/** The operator a console route's guard let in. */
export const consoleOperatorOf = (res: Response): ConsoleOperator => res.locals.consoleOperator as ConsoleOperator;

/**
 * Everything a vendor contract brings to botgate, in one object: what core needs before it opens
 * (`describe`: migrations, CLI commands, retention, OpenAPI), its configuration section, and its
 * router and background work over a core. The server lists these and iterates them; nothing
 * outside the adapter's folder names it.
 */
export interface AdapterModule<Settings = unknown> {
  /** The adapter's name: its jobs' `adapter`, its CLI word, its tables' prefix (`-` as `_`). */
  name: string;
  /**
   * Its section of `botgate.yaml` (`localApi:`), each key also `BOTGATE_<SECTION>_<KEY>`; an
   * object schema whose every key has a default or is optional, so an absent section parses.
   */
  section: string;
  settings: z.ZodType<Settings>;
  describe(settings: Settings, shared: SharedSettings): AdapterDescriptor;
  start(context: AdapterContext<Settings>): AdapterRuntime;
}

/** Declares an adapter (see `AdapterModule`); typed by its settings' schema. */
export const defineAdapter = <Settings>(module: AdapterModule<Settings>): AdapterModule<Settings> => module;

/** An adapter of any settings, as the server lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each adapter has its own settings type
export type AnyAdapterModule = AdapterModule<any>;

/** The automation a console route names (`:id`), or 404. */
export const automationNamed = (core: Core, id: unknown): Automation => {
  const automation = core.catalog.find(String(id));
  if (!automation) throw new HttpError('NOT_FOUND', `no automation "${String(id)}"`);
  return automation;
};

/** Where the caller reached this server, for the URLs and curl lines shown; `publicUrl` when one is set. */
export const baseUrlOf = (req: Request, publicUrl?: string): string =>
  (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '');

const consoleError = z.object({ error: z.string(), message: z.string() });

/** A console route's refusal, documented as the console writes its errors (`{ error, message }`). */
export const consoleFailure = (description: string): ResponseSpec => ({ description, schema: consoleError });

/** The `:id` of a console route about one automation. */
export const automationParams = z.object({
  id: z.string().meta({ description: 'The automation id (its folder name)' }),
});
