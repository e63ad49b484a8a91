// Writes jobs straight into a botgate SQLite file (already migrated): N finished `echo` jobs,
// half of them EMILY jobs and half Robocorp runs, or N queued jobs of one automation.
// argv[2]: JSON { filename, jobs, state: 'finished'|'queued', automationId, uuid, processId, msBase }.
import Database from 'better-sqlite3';

const o = JSON.parse(process.argv[2]);
const db = new Database(o.filename);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = normal');
const now = Date.now();
const finished = o.state === 'finished';
db.transaction(() => {
  db.prepare(
    `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @jobs)
    INSERT INTO jobs (id, automation_id, adapter, state, inputs, input_files, outputs, output_files, output_work_items, exit_code, log,
                      attempt, max_attempts, work_dir, cancel_requested, metadata, created_at, started_at, finished_at)
    SELECT i, @automationId, CASE WHEN i % 2 = 1 THEN 'local-api' ELSE 'process-api' END, @state,
           '{"message":{"type":"STRING","string":"hello"}}', '[]',
           CASE WHEN @finished THEN '{"message":{"type":"STRING","string":"hello"}}' ELSE '{}' END, '[]', '[]',
           CASE WHEN @finished THEN 0 ELSE NULL END, '', CASE WHEN @finished THEN 1 ELSE 0 END, 1,
           '/nonexistent/job-' || i, 0, '{}', @now - @jobs + i,
           CASE WHEN @finished THEN @now - @jobs + i ELSE NULL END, CASE WHEN @finished THEN @now - @jobs + i + 1 ELSE NULL END
      FROM n`,
  ).run({
    jobs: o.jobs,
    automationId: o.automationId,
    state: finished ? 'succeeded' : 'queued',
    finished: finished ? 1 : 0,
    now,
  });
  if (!finished) return;
  db.prepare(
    `INSERT INTO local_api_jobs (uuid, ms_unix_time, job_id) SELECT @uuid, @msBase + id, id FROM jobs WHERE id % 2 = 1`,
  ).run({ uuid: o.uuid, msBase: o.msBase });
  db.prepare(
    `
    INSERT INTO process_api_runs (run_id, job_id, process_id, work_item_id, run_no, created_at)
    SELECT printf('00000000-0000-4000-8000-%012d', id), id, @processId, printf('00000000-0000-4000-9000-%012d', id), id / 2, created_at
      FROM jobs WHERE id % 2 = 0`,
  ).run({ processId: o.processId });
})();
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
console.log(JSON.stringify({ seeded: o.jobs }));
