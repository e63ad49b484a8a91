import type { Knex } from 'knex';
import { isSqlite } from '../queue/database.js';
import { sql } from '../queue/sql.js';

/** Rows of one table waiting for their transaction's commit; `replaceOn`: a row replaces the one with the same values there. */
interface PendingTable {
  rows: Array<Record<string, unknown>>;
  replaceOn: readonly string[] | undefined;
}

/** Rows waiting to be inserted when their transaction is about to commit, by table. */
const pending = new WeakMap<Knex.Transaction, Map<string, PendingTable>>();

/**
 * Keeps a row to insert with the transaction's other rows of the same table (see
 * `StoreTransaction.insert`). The row is read when the transaction flushes, not now: a value set
 * on it meanwhile is the one written (a sequence's last number, see `createSequence`).
 */
export const insertLater = (
  tx: Knex.Transaction,
  table: string,
  row: Record<string, unknown>,
  replaceOn?: readonly string[],
): void => {
  let tables = pending.get(tx);
  if (!tables) pending.set(tx, (tables = new Map()));
  let entry = tables.get(table);
  if (!entry) tables.set(table, (entry = { rows: [], replaceOn }));
  else if (entry.replaceOn?.join() !== replaceOn?.join())
    throw new Error(`rows of ${table} are inserted with one replaceOn in a transaction, not several`);
  entry.rows.push(row);
};

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const columnsOf = (rows: ReadonlyArray<Record<string, unknown>>): string[] => Object.keys(rows[0] ?? {});

const onConflict = (entry: PendingTable, columns: readonly string[]): string => {
  if (!entry.replaceOn) return '';
  const updated = columns.filter((column) => !entry.replaceOn?.includes(column));
  if (updated.length === 0) return ` ON CONFLICT (${entry.replaceOn.map(quoted).join(', ')}) DO NOTHING`;
  return ` ON CONFLICT (${entry.replaceOn.map(quoted).join(', ')}) DO UPDATE SET ${updated
    .map((column) => `${quoted(column)} = excluded.${quoted(column)}`)
    .join(', ')}`;
};

/**
 * A value JSON carries to PostgreSQL as pg would send it: not NaN or ±Infinity (JSON writes
 * null), not a string with a lone surrogate (PostgreSQL's json refuses it; pg sends U+FFFD).
 */
const jsonSafe = (value: unknown): boolean =>
  value === null ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value)) ||
  // Node 20 has String.prototype.isWellFormed; the compiler's library (ES2022) does not name it.
  (typeof value === 'string' && (value as string & { isWellFormed(): boolean }).isWellFormed());

/**
 * Rows PostgreSQL can take as one JSON parameter: the same columns in each, and values JSON
 * keeps as they are (no Date, Buffer, undefined or NaN, which pg would send otherwise).
 */
const asJson = (rows: ReadonlyArray<Record<string, unknown>>): boolean => {
  const columns = columnsOf(rows);
  return rows.every((row) => {
    const keys = Object.keys(row);
    return (
      keys.length === columns.length && keys.every((key, i) => key === columns[i]) && Object.values(row).every(jsonSafe)
    );
  });
};

/**
 * PostgreSQL: every table's rows in one statement, each table's as one JSON parameter typed by
 * the table's own row type: one round trip for the lot.
 * Foreign keys between these rows hold, since PostgreSQL checks them at the statement's end.
 */
const insertAllAsJson = async (tx: Knex.Transaction, tables: Map<string, PendingTable>): Promise<void> => {
  const parts = [...tables].map(([table, entry], i) => {
    const columns = columnsOf(entry.rows).map(quoted).join(', ');
    return `w${i} AS (INSERT INTO ${quoted(table)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${quoted(table)}, CAST(? AS json))${onConflict(entry, columnsOf(entry.rows))})`;
  });
  await sql(
    tx,
    `WITH ${parts.join(', ')} SELECT 1`,
    [...tables.values()].map((entry) => JSON.stringify(entry.rows)),
  );
};

/**
 * Inserts what `insertLater` kept, table by table in the order they were first named. On
 * PostgreSQL one statement for all of them (`insertAllAsJson`), or, for rows it cannot take,
 * one multi-row statement per table: a round trip per table instead of per row. On SQLite, where
 * a statement costs microseconds and no round trip, one prepared statement run per row (knex
 * building a multi-row statement cost more than the rows). Called before the transaction
 * commits; a constraint the rows break fails the transaction.
 */
export const flushInserts = async (tx: Knex.Transaction): Promise<void> => {
  const tables = pending.get(tx);
  if (!tables) return;
  pending.delete(tx);
  if (!isSqlite(tx)) {
    if ([...tables.values()].every((entry) => asJson(entry.rows))) return insertAllAsJson(tx, tables);
    for (const [table, entry] of tables) {
      const insert = tx(table).insert(entry.rows);
      await (entry.replaceOn ? insert.onConflict([...entry.replaceOn]).merge() : insert);
    }
    return;
  }
  for (const [table, entry] of tables) {
    for (const row of entry.rows) {
      const columns = Object.keys(row);
      await sql(
        tx,
        `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${onConflict(entry, columns)}`,
        Object.values(row),
      );
    }
  }
};
