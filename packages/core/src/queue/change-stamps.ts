import type { Knex } from 'knex';
import { BotgateError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isSqlite, othersDataVersion, rawRows, type Database } from './database.js';
import { listenChannel, type ChannelListener } from './pg-listener.js';
import { sql, type Query } from './sql.js';

export const stampsChannel = 'botgate_stamps';

/** The stamp a value was read under: a write that acts on the value checks it still stands. */
export interface HeldStamp {
  topic: string;
  stamp: number;
}

/** A map filled from the database and emptied whenever its topic's stamp moves. */
export interface StampedCache<T> {
  /**
   * The key's value, loaded when the cache has none under the topic's current stamp. `stamp`, when
   * given, is that stamp as the caller's own statement read it just now (`findJob`'s `stampOf`):
   * it stands for the read this call would make.
   */
  get(key: string, load: () => Promise<T>, stamp?: number): Promise<T>;
  /**
   * SQLite: the key's value as kept, without the stamp read `get` starts with (a read transaction
   * of its own, about 20 µs after a commit here), and the stamp it was kept under. It may be stale:
   * the write that acts on it passes `held` to `confirmHeld` in its own transaction, which
   * holds the write lock and so sees every commit before its own; where the stamp moved, that
   * write fails with STALE_READ and the caller asks `get`. Undefined when nothing is kept, and on
   * PostgreSQL, where `get` answers from memory without a read.
   */
  peek(key: string): { value: T; held: HeldStamp } | undefined;
}

export interface ChangeStamps {
  /**
   * Runs `work` in a transaction that also moves the topic's stamp: every node's caches of that
   * topic are stale from its commit on. This node's at once; another node's on its next read
   * (SQLite) or when PostgreSQL's notification, sent at commit, reaches it.
   */
  change<T>(topic: string, work: (tx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** A value that differs from any earlier one once the topic changed. */
  current(topic: string): Promise<number>;
  /**
   * A cache of this topic's records, valid while its stamp stands still; at most `max` entries.
   * A miss (`load` answering null or undefined) is not kept, so callers naming records that do
   * not exist (a flood of made-up ids) cannot push the real ones out.
   */
  cache<T>(topic: string, max?: number): StampedCache<T>;
  close(): Promise<void>;
}

// The counters a transaction read, by topic. While it holds the write lock, a counter stands
// still until it ends (a change runs in a transaction of its own), so a batch reads each once.
const readIn = new WeakMap<object, Map<string, number>>();

/**
 * In a write transaction (`query` runs on it; `transaction` names it, when `query` is made per
 * call): fails with STALE_READ unless the topic's counter still has the held stamp. After the
 * transaction's first write, SQLite's write lock is held, so the read sees every commit before
 * this transaction's own.
 */
export const confirmHeld = async (query: Query, held: HeldStamp, transaction: object = query): Promise<void> => {
  let versions = readIn.get(transaction);
  let version = versions?.get(held.topic);
  if (version === undefined) {
    const [row] = await query<{ version: number | string }>('SELECT version FROM botgate_stamps WHERE topic = ?', [
      held.topic,
    ]);
    version = Number(row?.version ?? 0);
    if (!versions) readIn.set(transaction, (versions = new Map()));
    versions.set(held.topic, version);
  }
  if (version !== held.stamp)
    throw new BotgateError('STALE_READ', `the records of "${held.topic}" changed while a request read them`, {
      topic: held.topic,
    });
};

/**
 * Change stamps: a counter per topic (say, api-task's users and allocations), moved in the same
 * transaction as every write to what a cache holds, so a cache can be trusted on every call
 * without reading its records: a revoked user is refused on the next call, on every node.
 *
 * On SQLite a node answers from memory while the file's `data_version` stands still: it moves
 * when any other connection commits (the CLI, another process on the file), and this process's
 * own changes go through `change`, which forgets the topic. While the write connection is busy,
 * or a change of this process is under way, the counter is read per call. PostgreSQL nodes listen
 * for the counters' notifications and answer from memory; while a node cannot listen it reads the
 * database per call. Either way a lost signal costs speed, never a stale answer.
 */
export const createChangeStamps = (db: Database, logger: Logger): ChangeStamps => {
  const sqlite = isSqlite(db);
  const known = new Map<string, number>();
  // Moves on every change heard of: a database read that started before one is not kept.
  let epoch = 0;
  // SQLite: the data_version the remembered counters were read under, and this process's changes under way.
  let dataVersion: number | undefined;
  let changing = 0;
  let listener: ChannelListener | undefined;
  const forget = (topic?: string) => {
    epoch += 1;
    if (topic === undefined) known.clear();
    else known.delete(topic);
  };
  const listen = (): ChannelListener =>
    (listener ??= listenChannel(
      db,
      stampsChannel,
      { onNotify: (topic) => forget(topic), onListening: () => forget(), onLost: () => forget() },
      logger,
      'change notifications',
    ));

  const read = async (topic: string): Promise<number> => {
    const [row] = await sql<{ version: number | string }>(db, 'SELECT version FROM botgate_stamps WHERE topic = ?', [
      topic,
    ]);
    return Number(row?.version ?? 0);
  };

  const current = async (topic: string): Promise<number> => {
    // Whether a counter read now may be remembered, asked again once the read is back.
    let keep: () => boolean;
    if (sqlite) {
      const seen = changing === 0 ? othersDataVersion(db) : undefined;
      if (seen === undefined) return read(topic);
      if (seen !== dataVersion) {
        known.clear();
        dataVersion = seen;
      }
      // Read after `seen`: while the data_version is still `seen` later, nothing has moved it since.
      keep = () => changing === 0 && dataVersion === seen;
    } else keep = () => listen().listening;
    const hit = known.get(topic);
    if (hit !== undefined) return hit;
    const since = epoch;
    const version = await read(topic);
    if (epoch === since && keep()) known.set(topic, version);
    return version;
  };

  return {
    async change(topic, work) {
      changing += 1;
      try {
        return await db.transaction(async (tx) => {
          const result = await work(tx);
          await rawRows(
            tx,
            'INSERT INTO botgate_stamps (topic, version) VALUES (?, 1) ON CONFLICT (topic) DO UPDATE SET version = botgate_stamps.version + 1',
            [topic],
          );
          if (!sqlite) await tx.raw('SELECT pg_notify(?, ?)', [stampsChannel, topic]);
          return result;
        });
      } finally {
        forget(topic);
        changing -= 1;
      }
    },
    current,
    cache<T>(topic: string, max = 10_000): StampedCache<T> {
      let filledAt: number | undefined;
      const entries = new Map<string, T>();
      return {
        async get(key, load, given) {
          // The stamp is read before the record: a change between the two leaves a newer record under an older stamp, which the next call drops.
          const stamp = given ?? (await current(topic));
          if (stamp !== filledAt) {
            entries.clear();
            filledAt = stamp;
          }
          if (entries.has(key)) return entries.get(key) as T;
          const value = await load();
          if (filledAt === stamp && value !== null && value !== undefined) {
            if (entries.size >= max) entries.delete(entries.keys().next().value as string);
            entries.set(key, value);
          }
          return value;
        },
        peek(key) {
          if (!sqlite || filledAt === undefined || !entries.has(key)) return undefined;
          return { value: entries.get(key) as T, held: { topic, stamp: filledAt } };
        },
      };
    },
    async close() {
      await listener?.close();
    },
  };
};
