// One PostgreSQL drain of botgate's queue and graphile-worker's unbatched, alternating, each in a
// throwaway database, for measuring one change to the drain without the whole suite.
//   BOTGATE_TEST_POSTGRES=postgres://… node bench/pg-drain.mjs [jobs=10000] [rounds=2] [who=both|ours]
import { childJson } from './lib/child-json.mjs';
import { withDatabase } from './lib/postgres.mjs';

const jobs = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 2);
const who = process.argv[4] ?? 'both';
const worker = (name) => new URL(`./workers/${name}`, import.meta.url).pathname;
const paced = { pacedRate: 500, pacedSeconds: 1 };
for (let round = 0; round < rounds; round++) {
  const ours = await withDatabase((database) =>
    childJson(worker('botgate-queue.mjs'), { database, jobs, concurrency: 16, ...paced }),
  );
  const line = { round, jobs, botgate: Math.round(ours.drainPerSecond) };
  if (who === 'both') {
    const theirs = await withDatabase((connectionString) =>
      childJson(worker('graphile-queue.mjs'), { connectionString, concurrency: 10, enqueueJobs: 3000, jobs, ...paced }),
    );
    line.graphile = Math.round(theirs.drainPerSecond);
    line.ratio = Number((ours.drainPerSecond / theirs.drainPerSecond).toFixed(2));
  }
  console.log(JSON.stringify(line));
}
