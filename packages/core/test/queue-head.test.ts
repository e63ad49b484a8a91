import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateDatabase, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-queue-head-');
const newDatabase = useDatabase();

/**
 * Runs `sql` in a transaction it rolls back; answers its rows and every plan PostgreSQL ran for
 * it, nested statements included (auto_explain, sent back as notices).
 */
const explained = async (
  connectionString: string,
  sql: string,
  values: unknown[],
): Promise<{ rows: unknown[]; plans: string }> => {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const plans: string[] = [];
  client.on('notice', (notice) => plans.push(notice.message ?? ''));
  try {
    await client.query(`LOAD 'auto_explain'`);
    for (const setting of [
      'log_min_duration = 0',
      'log_nested_statements = on',
      'log_analyze = on',
      'log_level = notice',
    ])
      await client.query(`SET auto_explain.${setting}`);
    await client.query('BEGIN');
    const { rows } = await client.query(sql, values);
    await client.query('ROLLBACK');
    return { rows, plans: plans.join('\n') };
  } finally {
    await client.end();
  }
};

/**
 * A backlog drains from its oldest job, so every finished job has a lower id than every queued
 * one. Judged by the table's statistics (most rows queued), walking the primary key up to the
 * first queued row looks as cheap as the queued jobs' own index, but it reads every finished row
 * on the way: each claim got slower as a drain went on (a 100,000-job drain fell to a tenth of
 * its rate). What a claim reads must not grow with the jobs that finished before it.
 */
describe.skipIf(!process.env.BOTGATE_TEST_DATABASE_URL)('a claim on PostgreSQL, deep into a drained backlog', () => {
  it('reads a handful of rows, not every job that finished before the queued ones', async () => {
    const database = await newDatabase();
    const connectionString = (database.config as { connectionString: string }).connectionString;
    await migrateDatabase(database, newDir());
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      for (const [state, count] of [
        ['succeeded', 3000],
        ['queued', 5000],
      ] as const)
        await client.query(
          `INSERT INTO jobs (automation_id, adapter, state, inputs, input_files, outputs, output_files, log, attempt,
             max_attempts, work_dir, cancel_requested, metadata, created_at)
           SELECT 'echo', 'test', $1, '{}', '[]', '{}', '[]', '', 0, 1, '', false, '{}', 1 FROM generate_series(1, $2)`,
          [state, count],
        );
      await client.query('ANALYZE jobs');
    } finally {
      await client.end();
    }

    const { rows, plans } = await explained(connectionString, 'SELECT id FROM botgate_claim_next($1, 16, $2, 60000)', [
      JSON.stringify([{ automation_id: 'echo', lim: 16, conc: 16 }]),
      'node-a',
    ]);
    const passed = [...plans.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((sum, [, n]) => sum + Number(n), 0);
    expect(rows).toHaveLength(16);
    expect(passed, plans).toBeLessThan(100);
  });
});
