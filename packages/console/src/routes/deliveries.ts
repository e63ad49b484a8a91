import type { Delivery, DeliveryLog } from '@botgate/core';
import type { InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { consoleContract } from '../contract.js';
import { ConsoleError } from '../errors.js';

/** An adapter's deliveries, as the server hands them to the console (`AdapterRuntime.deliveries`). */
export interface DeliverySource {
  adapter: string;
  /** What one is called: `webhook`, `deploy callback`. */
  what: string;
  log: DeliveryLog;
}

const view = (source: DeliverySource, delivery: Delivery) => ({
  adapter: source.adapter,
  what: source.what,
  ...delivery,
  createdAt: delivery.createdAt.getTime(),
  nextAttemptAt: delivery.nextAttemptAt?.getTime() ?? null,
  deliveredAt: delivery.deliveredAt?.getTime() ?? null,
});

const sourceNamed = (sources: readonly DeliverySource[], adapter: string): DeliverySource => {
  const source = sources.find((s) => s.adapter === adapter);
  if (!source) throw new ConsoleError('NOT_FOUND', `${adapter} sends no deliveries`);
  return source;
};

/** Every adapter's deliveries, newest first, filtered by state and adapter. */
export const listDeliveries =
  (sources: readonly DeliverySource[]) =>
  async (_req: Request, res: Response, input: InputOf<typeof consoleContract.deliveries>) => {
    const { state, adapter, limit } = input.query;
    // An adapter that sends nothing has nothing to list, as an unknown one in the jobs filter.
    const chosen = adapter === undefined ? sources : sources.filter((s) => s.adapter === adapter);
    const lists = await Promise.all(
      chosen.map(async (source) => (await source.log.list({ state, limit })).map((d) => view(source, d))),
    );
    res.json(
      lists
        .flat()
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit),
    );
  };

/** The adapter's delivery the route names, through `act` on its log, or 404. */
const deliveryNamed = async <D extends Delivery>(
  sources: readonly DeliverySource[],
  params: { adapter: string; id: string },
  act: (log: DeliveryLog, id: string) => Promise<D | undefined>,
): Promise<{ source: DeliverySource; delivery: D }> => {
  const source = sourceNamed(sources, params.adapter);
  const delivery = await act(source.log, params.id);
  if (!delivery) throw new ConsoleError('NOT_FOUND', `no ${source.what} "${params.id}"`);
  return { source, delivery };
};

export const getDelivery =
  (sources: readonly DeliverySource[]) =>
  async (_req: Request, res: Response, input: InputOf<typeof consoleContract.delivery>) => {
    const { source, delivery } = await deliveryNamed(sources, input.params, (log, id) => log.get(id));
    res.json({
      ...view(source, delivery),
      attemptLog: delivery.attemptLog.map((a) => ({ ...a, at: a.at.getTime() })),
    });
  };

export const redeliver =
  (sources: readonly DeliverySource[]) =>
  async (_req: Request, res: Response, input: InputOf<typeof consoleContract.redeliver>) => {
    const { source, delivery } = await deliveryNamed(sources, input.params, (log, id) => log.redeliver(id));
    res.json(view(source, delivery));
  };

/** Deliveries by state over every adapter, for the overview. */
export const deliverySummary = async (sources: readonly DeliverySource[]) => {
  const total = { pending: 0, delivered: 0, failed: 0 };
  for (const summary of await Promise.all(sources.map((s) => s.log.summary())))
    for (const state of ['pending', 'delivered', 'failed'] as const) total[state] += summary[state];
  return total;
};
