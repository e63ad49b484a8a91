import { isBotgateError, type Core } from '@botgate/core';
import { baseUrlOf, parseInput, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { uipathContract } from '../contract.js';
import { UipathError } from '../errors.js';
import { requireScope, type Caller } from '../tokens.js';
import { createWebhooks, jobEvents, type Webhook } from '../webhooks/webhooks.js';

const newWebhook = z.object(
  {
    Url: z.string({ error: 'Url is required' }).min(1, 'Url is required').max(2000),
    Enabled: z.boolean().optional(),
    Secret: z.string().max(100).nullable().optional(),
    SubscribeToAllEvents: z.boolean().optional(),
    AllowInsecureSsl: z.boolean().optional(),
    Events: z.array(z.object({ EventType: z.string() })).optional(),
  },
  { error: 'send { "Url", "Enabled", "Secret", "SubscribeToAllEvents", "Events": [{ "EventType" }] }' },
);

/** A webhook as Orchestrator's `WebhookDto` shows it; the secret is never given back. */
export const webhookView = (webhook: Webhook) => ({
  Url: webhook.url,
  Enabled: webhook.enabled,
  Secret: null,
  SubscribeToAllEvents: webhook.subscribeToAll,
  AllowInsecureSsl: false,
  Events: webhook.subscribeToAll ? [] : webhook.events.map((EventType) => ({ EventType })),
  Id: webhook.id,
});

/**
 * Webhooks are the tenant's: an admin user, or an external application given `OR.Webhooks`,
 * manages them (Orchestrator's Webhooks permission).
 */
const mayManage = (caller: Caller, reads = false): void => {
  if (caller.kind === 'user' && caller.user.role !== 'admin')
    throw new UipathError('FORBIDDEN', 'You are not authorized! Managing webhooks needs an admin.');
  requireScope(caller, ['OR.Webhooks'], reads);
};

export const createWebhookRoutes = (core: Core) => {
  const webhooks = createWebhooks(core);
  const callerOf = (res: Response) => res.locals.uipathCaller as Caller;
  const context = (req: Request, set: string) => `${baseUrlOf(req)}/odata/$metadata#${set}`;
  return {
    async list(req: Request, res: Response): Promise<void> {
      mayManage(callerOf(res), true);
      res.json({ '@odata.context': context(req, 'Webhooks'), value: (await webhooks.list()).map(webhookView) });
    },
    async one(req: Request, res: Response, input: InputOf<typeof uipathContract.webhook>): Promise<void> {
      mayManage(callerOf(res), true);
      const webhook = await webhooks.find(Number(input.params.id));
      if (!webhook) throw new UipathError('NOT_FOUND', `Webhook does not exist (Id ${input.params.id}).`);
      res.json({ '@odata.context': context(req, 'Webhooks/$entity'), ...webhookView(webhook) });
    },
    async add(req: Request, res: Response): Promise<void> {
      mayManage(callerOf(res));
      const body = parseInput(newWebhook, req.body, 'body');
      let webhook: Webhook;
      try {
        webhook = await webhooks.add({
          url: body.Url,
          secret: body.Secret,
          enabled: body.Enabled,
          subscribeToAll: body.SubscribeToAllEvents,
          events: body.Events?.map((event) => event.EventType),
        });
      } catch (error) {
        // A bad URL or event type is the caller's: Orchestrator's 400.
        if (isBotgateError(error)) throw new UipathError('BAD_REQUEST', error.message);
        throw error;
      }
      res.status(201).json({ '@odata.context': context(req, 'Webhooks/$entity'), ...webhookView(webhook) });
    },
    async remove(_req: Request, res: Response, input: InputOf<typeof uipathContract.webhook>): Promise<void> {
      mayManage(callerOf(res));
      if (!(await webhooks.remove(Number(input.params.id))))
        throw new UipathError('NOT_FOUND', `Webhook does not exist (Id ${input.params.id}).`);
      res.status(204).end();
    },
    async eventTypes(req: Request, res: Response): Promise<void> {
      mayManage(callerOf(res), true);
      res.json({
        '@odata.context': context(req, 'Collection(UiPath.Server.Configuration.OData.WebhookEventTypeDto)'),
        value: jobEvents.map((Name) => ({ Name, Group: 'job' })),
      });
    },
  };
};
