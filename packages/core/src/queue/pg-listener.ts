import type { Logger } from '../logger.js';
import { isSqlite, type Database } from './database.js';

interface PgConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  end(): Promise<void>;
}

export interface ChannelListener {
  /** Whether notifications are being heard now (PostgreSQL, after LISTEN and until the connection is lost). */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string): void;
  /** LISTEN took effect: anything sent before it was missed. */
  onListening?(): void;
  /** The connection is gone: notifications are missed until `onListening` again. */
  onLost?(): void;
}

/**
 * LISTEN on one PostgreSQL channel on a connection of its own (outside the pool), re-established a
 * second after it is lost. SQLite has no other node to hear from: it never listens.
 */
export const listenChannel = (
  db: Database,
  channel: string,
  handlers: ListenHandlers,
  logger: Logger,
  what: string,
): ChannelListener => {
  if (isSqlite(db)) return { listening: false, close: async () => {} };
  let connection: PgConnection | undefined;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    try {
      const raw = (await db.client.acquireRawConnection()) as PgConnection;
      if (closed) {
        await raw.end();
        return;
      }
      connection = raw;
      raw.on('notification', (message) => {
        if (message.channel === channel) handlers.onNotify(message.payload ?? '');
      });
      const lost = (error?: Error) => {
        if (closed || connection !== raw) return;
        connection = undefined;
        listening = false;
        handlers.onLost?.();
        logger.warn({ err: error }, `${what} lost; reconnecting`);
        retry = setTimeout(() => void connect(), 1000);
      };
      raw.on('error', lost);
      raw.on('end', lost);
      await raw.query(`LISTEN ${channel}`);
      if (connection !== raw) return;
      listening = true;
      handlers.onListening?.();
    } catch (error) {
      logger.warn({ err: error }, `cannot listen for ${what}; trying again in a second`);
      if (!closed) retry = setTimeout(() => void connect(), 1000);
    }
  };
  void connect();

  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      listening = false;
      clearTimeout(retry);
      const open = connection;
      connection = undefined;
      await open?.end().catch(() => undefined);
    },
  };
};
