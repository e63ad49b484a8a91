import type { Automation, Core } from '@botgate/core';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { PanelCard, PanelPage } from './console-view.js';
import { HttpError } from './http-error.js';
import type { ResponseSpec, RouteSpec } from './route-table.js';

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

/** One adapter's part of one automation: its data (the panel's `section` key) and its card. */
export interface Exposure {
  data: unknown;
  card: PanelCard;
}

/**
 * What an adapter brings to the operator console, all of it as data the console's web app draws:
 * its part of each automation, its pages, its routes and, for one adapter, the operators.
 */
export interface ConsolePanel {
  /** Its key in each automation of `GET /console/api/automations` (`localApi`). */
  section: string;
  /** Its part of each automation, by automation id, as `viewer` may see and change it. */
  exposure(viewer: { operator: ConsoleOperator; baseUrl: string }): Promise<Record<string, Exposure>>;
  /** Its pages in the console's navigation (`GET /console/api/pages`). */
  pages?: PanelPage[];
  /** Its routes under `/console/api`, in the console's route table and OpenAPI document. */
  routes: ConsoleRoute[];
  operators?: ConsoleOperators;
}

/** The operator a console route's guard let in. */
export const consoleOperatorOf = (res: Response): ConsoleOperator => res.locals.consoleOperator as ConsoleOperator;

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
