// Servers measured in alternating rounds (A, B, C, A, B, C, …) rather than one after another, so
// that a slow or fast spell of a shared machine, which can last longer than one load run, falls
// on every server of a comparison instead of on one of them. Each server is warmed up once
// (1 s), then loaded for `seconds / rounds` per round. A server's figures are over all its
// rounds: requests over seconds, and percentiles of the merged latency histograms.
// BENCH_VERBOSE=1 prints each round's rate.
import hdr from 'hdr-histogram-js';
import { latencyHistogram } from './latency-histogram.mjs';
import { load } from './processes.mjs';

export const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * `loads`: a name per server, each with `load`'s options but `duration`. Resolves with, per
 * name, `{ requests, seconds, rps, p50, p99, p999, warmupRequests, roundRps }` (ms for latencies).
 */
export const alternate = async (loads, { seconds, count = rounds }) => {
  const names = Object.keys(loads);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  const warmupRequests = {};
  for (const name of names) warmupRequests[name] = (await load({ ...loads[name], duration: 1 })).requests;
  for (let round = 0; round < count; round++)
    for (const name of names) runs[name].push(await load({ ...loads[name], duration: seconds / count }));
  if (process.env.BENCH_VERBOSE)
    for (const name of names)
      console.error(`  ${name}: ${runs[name].map((run) => Math.round(run.rps)).join(', ')} req/s a round`);
  return Object.fromEntries(
    names.map((name) => {
      const histogram = latencyHistogram();
      for (const run of runs[name]) histogram.add(hdr.decodeFromCompressedBase64(run.histogram, 64, false));
      const requests = runs[name].reduce((sum, run) => sum + run.requests, 0);
      const elapsed = runs[name].reduce((sum, run) => sum + run.seconds, 0);
      const ms = (percentile) => histogram.getValueAtPercentile(percentile) / 1000;
      return [
        name,
        {
          requests,
          seconds: elapsed,
          rps: requests / elapsed,
          p50: ms(50),
          p99: ms(99),
          p999: ms(99.9),
          warmupRequests: warmupRequests[name],
          roundRps: runs[name].map((run) => Math.round(run.rps)),
        },
      ];
    }),
  );
};
