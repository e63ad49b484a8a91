// The cost of one claim on PostgreSQL deep into a backlog: 20,000 queued `echo` jobs, then claims
// of 16 (`botgate_claim_next`, as a node's dispatcher calls it), each followed by the batch's end.
// Prints the p50 of each, leaving out the first 100 claims.
//   BOTGATE_TEST_POSTGRES=postgres://… node bench/pg-claims.mjs [claims=600]
import pg from 'pg';
import { openBenchCore } from './lib/bench-core.mjs';
import { withDatabase } from './lib/postgres.mjs';

const claims = Number(process.argv[2] ?? 600);
const median = (values) => values.sort((a, b) => a - b)[values.length >> 1].toFixed(3);

await withDatabase(async (connectionString) => {
  // Only the migrations: the claims below run on their own connection.
  await (await openBenchCore({ client: 'pg', connectionString })).close();
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`INSERT INTO jobs (automation_id, adapter, state, inputs, input_files, outputs, output_files, log,
        attempt, max_attempts, work_dir, cancel_requested, metadata, created_at)
      SELECT 'echo', 'bench', 'queued', '{}', '[]', '{}', '[]', '', 0, 1, '', false, '{}', 1 FROM generate_series(1, 20000)`);
    const wanted = JSON.stringify([{ automation_id: 'echo', lim: 16, conc: 16 }]);
    const claimMs = [];
    const endMs = [];
    for (let i = 0; i < claims; i++) {
      let t = performance.now();
      const { rows } = await client.query(`SELECT id FROM botgate_claim_next($1, 16, 'bench', 60000)`, [wanted]);
      if (i >= 100) claimMs.push(performance.now() - t);
      t = performance.now();
      await client.query(
        `UPDATE jobs SET state = 'succeeded', finished_at = 1, lease_owner = NULL WHERE id = ANY($1)`,
        [rows.map((row) => row.id)],
      );
      if (i >= 100) endMs.push(performance.now() - t);
    }
    console.log(JSON.stringify({ claims, claimP50Ms: Number(median(claimMs)), endP50Ms: Number(median(endMs)) }));
  } finally {
    await client.end();
  }
});
