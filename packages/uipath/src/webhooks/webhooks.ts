import { BotgateError, type Core } from '@botgate/core';

/** The job events botgate sends: a job's end, in Orchestrator's words. */
export const jobEvents = ['job.completed', 'job.faulted', 'job.stopped'] as const;
export type JobEvent = (typeof jobEvents)[number];

export interface Webhook {
  id: number;
  url: string;
  secret: string | null;
  enabled: boolean;
  subscribeToAll: boolean;
  events: JobEvent[];
  createdAt: Date;
}

interface WebhookRow {
  id: number;
  url: string;
  secret: string | null;
  enabled: boolean | number;
  subscribe_all: boolean | number;
  events: string;
  created_at: number | string;
}

const toWebhook = (row: WebhookRow): Webhook => ({
  id: Number(row.id),
  url: row.url,
  secret: row.secret,
  enabled: Boolean(row.enabled),
  subscribeToAll: Boolean(row.subscribe_all),
  events: JSON.parse(row.events) as JobEvent[],
  createdAt: new Date(Number(row.created_at)),
});

export interface NewWebhook {
  url: string;
  secret?: string | null | undefined;
  enabled?: boolean | undefined;
  /** Every job event when true or when `events` is empty. */
  subscribeToAll?: boolean | undefined;
  events?: readonly string[] | undefined;
}

const checkUrl = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BotgateError('INVALID_CONFIG', `the webhook URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new BotgateError('INVALID_CONFIG', `the webhook URL must be http or https, not ${parsed.protocol}`);
  if (url.length > 2000) throw new BotgateError('INVALID_CONFIG', 'the webhook URL is longer than 2000 characters');
  return url;
};

/** Orchestrator's webhooks: URLs told of job ends, each signed with its secret when it has one. */
export const createWebhooks = (core: Core) => {
  const store = core.store('uipath');
  const table = () => store.table<WebhookRow>('uipath_webhooks');
  return {
    async add(given: NewWebhook): Promise<Webhook> {
      const unknown = (given.events ?? []).filter((event) => !(jobEvents as readonly string[]).includes(event));
      if (unknown.length > 0)
        throw new BotgateError(
          'INVALID_CONFIG',
          `unknown event types ${unknown.join(', ')}; botgate sends ${jobEvents.join(', ')}`,
        );
      if (given.secret && given.secret.length > 100)
        throw new BotgateError('INVALID_CONFIG', 'a webhook secret is at most 100 characters');
      const events = [...new Set(given.events ?? [])] as JobEvent[];
      const subscribeAll = given.subscribeToAll === true || events.length === 0;
      const row = {
        url: checkUrl(given.url),
        secret: given.secret || null,
        enabled: given.enabled ?? true,
        subscribe_all: subscribeAll,
        events: JSON.stringify(subscribeAll ? [...jobEvents] : events),
        created_at: Date.now(),
      };
      const [inserted] = (await table().insert(row).returning('id')) as Array<{ id: number } | number>;
      const id = typeof inserted === 'object' ? inserted.id : Number(inserted);
      return toWebhook({ ...row, id } as WebhookRow);
    },
    async list(): Promise<Webhook[]> {
      return (await table().orderBy('id')).map(toWebhook);
    },
    async find(id: number): Promise<Webhook | undefined> {
      const row = await table().where({ id }).first();
      return row && toWebhook(row);
    },
    /** Removes it; its deliveries not yet made are not sent. */
    async remove(id: number): Promise<Webhook | undefined> {
      const row = await table().where({ id }).first();
      if (!row) return undefined;
      await store.transaction(async (tx) => {
        await tx.table('uipath_webhooks').where({ id }).delete();
        await tx
          .table('uipath_deliveries')
          .where({ webhook_id: id, state: 'pending' })
          .update({ state: 'failed', last_error: 'the webhook was removed' });
      });
      return toWebhook(row);
    },
  };
};

export type Webhooks = ReturnType<typeof createWebhooks>;
