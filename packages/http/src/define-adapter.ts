import type { AdapterDescriptor, Core, DeliveryLog, Logger } from '@botgate/core';
import type { Router } from 'express';
import type { z } from 'zod';
import type { ConsolePanel } from './console-panel.js';
import type { UserDirectory } from './user-directory.js';

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
  /**
   * The server's users, from the adapter that keeps them (its runtime's `directory`); undefined
   * when no started adapter does. Read it when a request needs it: adapters start one by one.
   */
  directory(): UserDirectory | undefined;
}

/** An adapter started over a core: its routes, and what runs beside them. */
export interface AdapterRuntime {
  router: Router;
  /** The path prefixes its router answers under: the server hands it those requests and no others. */
  paths: readonly string[];
  /** Background work (webhooks, callbacks): started with the workers, stopped before the core closes. */
  services?: { start(): void; stop(): Promise<void> };
  /** The adapter's part of the operator console. */
  console?: ConsolePanel;
  /** The server's users, when this adapter keeps them, for the others' sign-ins. */
  directory?: UserDirectory;
  /** What it sends out (webhooks, callbacks), for the console's Deliveries page: `what` names one (`webhook`). */
  deliveries?: { what: string; log: DeliveryLog };
}

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
