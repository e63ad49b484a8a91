import type { AdapterCommand } from '../adapter-descriptor.js';
import type { Core } from '../core.js';
import { BotgateError } from '../errors.js';
import type { Delivery, DeliveryLog, DeliveryState } from './delivery-log.js';

const states: readonly DeliveryState[] = ['pending', 'delivered', 'failed'];

const when = (date: Date | null): string => date?.toISOString() ?? '-';

const table = (deliveries: Delivery[]): string => {
  const rows = [
    ['ID', 'STATE', 'ATTEMPTS', 'LAST STATUS', 'CREATED', 'NEXT TRY', 'URL', 'LAST ERROR'],
    ...deliveries.map((d) => [
      d.id,
      d.state,
      String(d.attempts),
      d.lastStatus === null ? '-' : String(d.lastStatus),
      when(d.createdAt),
      when(d.nextAttemptAt),
      d.url,
      d.lastError ?? '',
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/**
 * An adapter's CLI commands over its deliveries (`botgate process-api webhook deliveries`,
 * `… webhook redeliver ID`): `path` is the words before them, `what` names one (`webhook`).
 */
export const deliveryCommands = (
  path: readonly string[],
  what: string,
  logOf: (core: Core) => DeliveryLog,
): AdapterCommand[] => [
  {
    path: [...path, 'deliveries'],
    description: `the ${what}s sent and to send, newest first: state, attempts, the receiver's last status, the next try`,
    options: [
      { name: 'state', description: states.join(', ') },
      { name: 'limit', description: 'at most this many (default 50)' },
    ],
    async run(core, _args, options) {
      if (options.state !== undefined && !states.includes(options.state as DeliveryState))
        throw new BotgateError('INVALID_CONFIG', `--state: "${options.state}" is not one of ${states.join(', ')}`);
      const limit = options.limit === undefined ? 50 : Number(options.limit);
      if (!Number.isInteger(limit) || limit <= 0 || limit > 1000)
        throw new BotgateError('INVALID_CONFIG', `--limit: "${options.limit}" is not a whole number from 1 to 1000`);
      return logOf(core).list({ state: options.state as DeliveryState | undefined, limit });
    },
    format: (deliveries: Delivery[]) => (deliveries.length === 0 ? `no ${what}s` : table(deliveries)),
  },
  {
    path: [...path, 'redeliver'],
    description: `sends a ${what} again at the next look (one more attempt for one given up)`,
    args: [{ name: 'id', description: `the ${what}'s id (from deliveries)` }],
    async run(core, [id]) {
      const delivery = await logOf(core).redeliver(id as string);
      if (!delivery) throw new BotgateError('JOB_NOT_FOUND', `no ${what} "${id}"`);
      return delivery;
    },
    format: (delivery: Delivery) => `${what} ${delivery.id} is due again; it is sent at the next look`,
  },
];
