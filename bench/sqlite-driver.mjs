// Compares knex's two SQLite clients on the queue's hot statements.
import knexFactory from 'knex';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 3000);
async function measure(client) {
  const dir = mkdtempSync(join(tmpdir(), 'sqlcmp-'));
  const knex = knexFactory({ client, connection: { filename: join(dir, 'db.sqlite') }, useNullAsDefault: true });
  await knex.raw('PRAGMA journal_mode = WAL');
  await knex.raw('PRAGMA synchronous = FULL');
  await knex.schema.createTable('jobs', (t) => {
    t.increments('id');
    t.string('automation_id');
    t.string('state');
    t.text('inputs');
    t.text('outputs');
    t.bigInteger('created_at');
  });
  let t0 = performance.now();
  for (let i = 0; i < N; i++)
    await knex.transaction(async (tx) => {
      await tx('jobs')
        .insert({ automation_id: 'echo', state: 'queued', inputs: '{"a":1}', created_at: Date.now() })
        .returning('id');
    });
  const insert = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const [row] = await knex.raw(
      "UPDATE jobs SET state='running' WHERE id = (SELECT id FROM jobs WHERE state='queued' AND automation_id=? ORDER BY id LIMIT 1) RETURNING *",
      ['echo'],
    );
    await knex('jobs')
      .where({ id: (row ?? {}).id, state: 'running' })
      .update({ state: 'succeeded', outputs: '{"a":1}' });
  }
  const claim = performance.now() - t0;
  await knex.destroy();
  console.log(
    `${client.padEnd(15)} insert ${((N / insert) * 1000).toFixed(0)}/s  claim+finish ${((N / claim) * 1000).toFixed(0)}/s`,
  );
}
await measure('sqlite3');
await measure('better-sqlite3');
await measure('sqlite3');
await measure('better-sqlite3');
