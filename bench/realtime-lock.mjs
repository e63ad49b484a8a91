// What a real-time run's first write-locked step costs on SQLite (docs/performance.md, execute
// at one client): `node bench/realtime-lock.mjs [n=3000]` times, on a freshly migrated botgate
// file with better-sqlite3 straight (WAL, synchronous = NORMAL, as the server runs its
// statements), the `running` insert as an autocommit against `BEGIN IMMEDIATE`, the access
// stamp's read and a COMMIT that writes nothing, three rounds of `n` each.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openBenchCore } from './lib/bench-core.mjs';

const n = Number(process.argv[2] ?? 3000);
// A file the server's migrations made; the core is closed before the file is opened here.
let filename;
const bench = await openBenchCore((dataDir) => ({
  client: 'sqlite',
  filename: (filename = join(dataDir, 'botgate.sqlite')),
}));
const { dataDir } = bench;
await bench.core.close({ graceMs: 0 });
const Database = createRequire(new URL('../packages/core/package.json', import.meta.url))('better-sqlite3');
const db = new Database(filename);
try {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.prepare("INSERT INTO botgate_stamps (topic, version) VALUES ('bench', 1) ON CONFLICT (topic) DO NOTHING").run();
  const row = {
    automation_id: 'echo',
    adapter: 'api-task',
    state: 'running',
    inputs: '{"message":{"type":"STRING","value":"hi"}}',
    input_files: '[]',
    outputs: '{}',
    output_files: '[]',
    output_work_items: '[]',
    log: '',
    attempt: 1,
    max_attempts: 1,
    work_dir: join(dataDir, 'jobs', 'x'),
    cancel_requested: 0,
    metadata: '{}',
    lease_owner: 'bench',
    lease_expires_at: 0,
    created_at: 0,
    started_at: 0,
  };
  const columns = Object.keys(row);
  const insert = db.prepare(
    `INSERT INTO jobs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *`,
  );
  const begin = db.prepare('BEGIN IMMEDIATE');
  const stamp = db.prepare('SELECT version FROM botgate_stamps WHERE topic = ?');
  const commit = db.prepare('COMMIT');
  const values = Object.values(row);
  const perCall = (work) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) work();
    return (((performance.now() - t0) * 1000) / n).toFixed(1);
  };
  for (let round = 0; round < 3; round++) {
    const inserted = perCall(() => insert.get(values));
    const locked = perCall(() => {
      begin.run();
      stamp.get('bench');
      commit.run();
    });
    console.log(`running insert ${inserted} µs; BEGIN IMMEDIATE, stamp read, empty COMMIT ${locked} µs`);
  }
} finally {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
