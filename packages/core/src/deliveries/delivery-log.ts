import type { AdapterStore } from '../store/adapter-store.js';

/** The tables of one adapter's deliveries (see `DeliveryDispatcherOptions.tables`). */
export interface DeliveryTables {
  deliveries: string;
  attempts: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** A webhook or callback as an operator sees it. */
export interface Delivery {
  id: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  createdAt: Date;
  /** When it is tried next, while pending. */
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** One attempt at a delivery: the receiver's status, or why there was none. */
export interface DeliveryAttempt {
  attempt: number;
  at: Date;
  status: number | null;
  error: string | null;
  durationMs: number;
}

interface DeliveryRow {
  id: string;
  url: string;
  state: DeliveryState;
  attempts: number | string;
  created_at: number | string;
  next_attempt_at: number | string;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | string | null;
}

interface AttemptRow {
  attempt: number | string;
  at: number | string;
  status: number | null;
  error: string | null;
  duration_ms: number | string;
}

const deliveryOf = (row: DeliveryRow): Delivery => ({
  id: row.id,
  url: row.url,
  state: row.state,
  attempts: Number(row.attempts),
  createdAt: new Date(Number(row.created_at)),
  nextAttemptAt: row.state === 'pending' ? new Date(Number(row.next_attempt_at)) : null,
  lastStatus: row.last_status === null ? null : Number(row.last_status),
  lastError: row.last_error,
  deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
});

const columns = [
  'id',
  'url',
  'state',
  'attempts',
  'created_at',
  'next_attempt_at',
  'last_status',
  'last_error',
  'delivered_at',
];

/**
 * What an adapter's deliveries are and were, for its operator (the console's Deliveries page,
 * `botgate process-api webhook deliveries`), and a redelivery: over the same tables as the
 * adapter's `createDeliveryDispatcher`, which sends what this marks due.
 */
export const createDeliveryLog = (store: AdapterStore, tables: DeliveryTables) => ({
  /** Newest first; `before` (a delivery's id) pages on from that delivery. */
  async list(
    filter: { state?: DeliveryState | undefined; limit?: number | undefined; before?: string | undefined } = {},
  ): Promise<Delivery[]> {
    const query = store.table(tables.deliveries).select(columns);
    if (filter.state !== undefined) query.where({ state: filter.state });
    if (filter.before !== undefined) {
      const [from] = (await store.table(tables.deliveries).where({ id: filter.before }).select('created_at')) as Array<{
        created_at: number | string;
      }>;
      if (from === undefined) return [];
      query.where((q) =>
        q
          .where('created_at', '<', from.created_at)
          .orWhere((same) => same.where('created_at', from.created_at).where('id', '<', filter.before as string)),
      );
    }
    const rows = (await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 50)) as unknown as DeliveryRow[];
    return rows.map(deliveryOf);
  },
  /** One delivery and its attempts, oldest first; undefined when there is none of that id. */
  async get(id: string): Promise<(Delivery & { attemptLog: DeliveryAttempt[] }) | undefined> {
    const [row] = (await store.table(tables.deliveries).where({ id }).select(columns)) as DeliveryRow[];
    if (!row) return undefined;
    const attempts = (await store
      .table(tables.attempts)
      .where({ delivery_id: id })
      .orderBy('attempt')
      .select('attempt', 'at', 'status', 'error', 'duration_ms')) as AttemptRow[];
    return {
      ...deliveryOf(row),
      attemptLog: attempts.map((a) => ({
        attempt: Number(a.attempt),
        at: new Date(Number(a.at)),
        status: a.status === null ? null : Number(a.status),
        error: a.error,
        durationMs: Number(a.duration_ms),
      })),
    };
  },
  /**
   * Sends a delivery again, at the dispatcher's next look: one more attempt for one given up,
   * the same event again for one delivered. Undefined when there is none of that id.
   */
  async redeliver(id: string): Promise<Delivery | undefined> {
    const updated = await store
      .table(tables.deliveries)
      .where({ id })
      .update({ state: 'pending', next_attempt_at: Date.now() });
    if (updated === 0) return undefined;
    const [row] = (await store.table(tables.deliveries).where({ id }).select(columns)) as DeliveryRow[];
    return row && deliveryOf(row);
  },
  /** How many deliveries are in each state. */
  async summary(): Promise<Record<DeliveryState, number>> {
    const rows = (await store.table(tables.deliveries).select('state').count({ n: '*' }).groupBy('state')) as Array<{
      state: DeliveryState;
      n: number | string;
    }>;
    const summary: Record<DeliveryState, number> = { pending: 0, delivered: 0, failed: 0 };
    for (const { state, n } of rows) summary[state] = Number(n);
    return summary;
  },
});

export type DeliveryLog = ReturnType<typeof createDeliveryLog>;
