import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

interface PgConnection {
  query(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
  query(text: string): Promise<unknown>;
}

// Texts with `$n` placeholders by knex-style text. Generated text (a list of n placeholders)
// could grow this without end: past this many, the oldest is dropped.
const positionedTexts = new Map<string, string>();
const maxTexts = 1000;

// Statement names by text: prepared once per connection while there are few of them. A text
// PostgreSQL once refused to run prepared (its plan's columns changed under it, when a newer
// node's migration added a column) is sent unnamed from then on.
const names = new Map<string, string>();
const maxNamed = 500;
const unnamed = new Set<string>();
const nameOf = (text: string): string | undefined => {
  if (unnamed.has(text)) return undefined;
  let name = names.get(text);
  if (name === undefined && names.size < maxNamed) {
    name = `botgate_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
};
const planChanged = (error: unknown): boolean =>
  (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(error));

/** knex's `?` placeholders as PostgreSQL's `$1…$n`; a `?` inside a quoted string or name stays. */
export const positioned = (text: string): string => {
  let n = 0;
  let out = '';
  let quote: string | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      out += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      out += char;
    } else out += char === '?' ? `$${++n}` : char;
  }
  return out;
};

const positionedOf = (text: string): string => {
  let positionedText = positionedTexts.get(text);
  if (positionedText === undefined) {
    positionedText = positioned(text);
    if (positionedTexts.size >= maxTexts) positionedTexts.delete(positionedTexts.keys().next().value as string);
    positionedTexts.set(text, positionedText);
  }
  return positionedText;
};

/**
 * knex's raw refuses an `undefined` binding and reads `??` as an identifier and `\?` as a
 * question mark: such a statement is compiled by knex, and only its run is ours.
 */
const plain = (text: string, bindings: readonly unknown[]): boolean =>
  !text.includes('??') && !text.includes('\\?') && bindings.every((value) => value !== undefined);

const run = async <Row>(
  db: Knex | Knex.Transaction,
  connection: PgConnection,
  text: string,
  bindings: readonly unknown[],
  inTransaction: boolean,
): Promise<Row[]> => {
  if (!plain(text, bindings)) {
    const native = db
      .raw(text, bindings as Knex.RawBinding[])
      .toSQL()
      .toNative();
    return (await connection.query({ text: native.sql, values: native.bindings })).rows as Row[];
  }
  const name = nameOf(text);
  if (name === undefined) return (await connection.query({ text: positionedOf(text), values: bindings })).rows as Row[];
  try {
    return (await connection.query({ name, text: positionedOf(text), values: bindings })).rows as Row[];
  } catch (error) {
    if (!planChanged(error)) throw error;
    unnamed.add(text);
    // Inside a transaction the error has aborted it, and its caller's retry runs the text unnamed.
    if (inTransaction) throw error;
    return (await connection.query({ text: positionedOf(text), values: bindings })).rows as Row[];
  }
};

const onConnection = async <T>(
  db: Knex | Knex.Transaction,
  use: (connection: PgConnection) => Promise<T>,
): Promise<T> => {
  const connection = (await db.client.acquireConnection()) as PgConnection;
  try {
    return await use(connection);
  } finally {
    await db.client.releaseConnection(connection);
  }
};

/**
 * One statement on PostgreSQL (`?` placeholders), on a connection of knex's pool (inside a
 * transaction, the transaction's own), run by pg itself and prepared once per connection. A
 * one-row SELECT cost 210 µs of CPU through knex's raw and 60–70 µs so (`bench/pg-statement.mjs`),
 * more than the round trip on loopback, and a batch of triggers or of job ends runs several. A
 * prepared `SELECT *` fails once a newer node adds a column to its table: the text is then sent
 * unnamed (see `nameOf`), and run again at once outside a transaction.
 */
export const pgQuery = <Row>(db: Knex | Knex.Transaction, text: string, bindings: readonly unknown[]): Promise<Row[]> =>
  onConnection(db, (connection) =>
    run<Row>(db, connection, text, bindings, (db as Knex.Transaction).isTransaction === true),
  );

/** BEGIN, `work` on the connection, COMMIT (ROLLBACK if it throws), on a connection of knex's pool. */
export const onPgTransaction = <T>(db: Knex, work: (connection: object) => Promise<T>): Promise<T> =>
  onConnection(db, async (connection) => {
    await connection.query('BEGIN');
    try {
      const result = await work(connection);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT has ended the transaction already; a broken connection is dropped by the pool.
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });

/** A transaction of `pgQuery` statements on one connection. */
export const pgTransaction = <T>(
  db: Knex,
  work: (query: <Row>(text: string, bindings?: readonly unknown[]) => Promise<Row[]>) => Promise<T>,
): Promise<T> =>
  onPgTransaction(db, (connection) =>
    work((text, bindings = []) => run(db, connection as PgConnection, text, bindings, true)),
  );
