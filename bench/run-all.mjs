// `npm run bench`: every benchmark, each server in its own process and the load generator in
// another; writes bench/results/latest.json and latest.md and the table of docs/performance.md.
// `node bench/run-all.mjs trigger execute` runs only the suites named and writes partial.json/md.
// BENCH_SECONDS sets each load run's length (default 5).
import { writeReport } from './lib/report.mjs';

const suites = ['trigger', 'execute', 'command-runner', 'job-throughput', 'scale', 'cold-start'];
const chosen = process.argv.length > 2 ? process.argv.slice(2) : suites;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const startedAt = new Date().toISOString();
const t0 = performance.now();
const figures = [];
const errors = [];
for (const name of chosen) {
  const started = performance.now();
  console.error(`bench: ${name}…`);
  try {
    const { default: run } = await import(`./suites/${name}.mjs`);
    figures.push(...(await run({ seconds })));
  } catch (error) {
    console.error(error);
    errors.push({ suite: name, message: error instanceof Error ? error.message : String(error) });
  }
  console.error(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(
  writeReport({
    figures,
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    errors,
    complete: chosen.length === suites.length,
  }),
);
process.exitCode = errors.length > 0 ? 1 : 0;
