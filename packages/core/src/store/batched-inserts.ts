import type { Knex } from 'knex';
import { isSqlite } from '../queue/database.js';
import { sql } from '../queue/sql.js';

/** Rows waiting to be inserted when their transaction is about to commit, by table. */
const pending = new WeakMap<Knex.Transaction, Map<string, Array<Record<string, unknown>>>>();

/** Keeps a row to insert with the transaction's other rows of the same table (see `StoreTransaction.insert`). */
export const insertLater = (tx: Knex.Transaction, table: string, row: Record<string, unknown>): void => {
  let tables = pending.get(tx);
  if (!tables) pending.set(tx, (tables = new Map()));
  let rows = tables.get(table);
  if (!rows) tables.set(table, (rows = []));
  rows.push(row);
};

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts what `insertLater` kept, table by table in the order they were first named. On
 * PostgreSQL one multi-row statement per table: a round trip per table instead of per row. On
 * SQLite, where a statement costs microseconds and no round trip, one prepared statement run per
 * row (knex building a multi-row statement cost more than the rows). Called before the
 * transaction commits; a constraint the rows break fails the transaction.
 */
export const flushInserts = async (tx: Knex.Transaction): Promise<void> => {
  const tables = pending.get(tx);
  if (!tables) return;
  pending.delete(tx);
  for (const [table, rows] of tables) {
    if (!isSqlite(tx)) {
      await tx(table).insert(rows);
      continue;
    }
    for (const row of rows) {
      const columns = Object.keys(row);
      await sql(
        tx,
        `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        Object.values(row),
      );
    }
  }
};
