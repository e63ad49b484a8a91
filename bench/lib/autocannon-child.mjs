// One load run in its own process: autocannon with the options given as JSON in argv[2]; prints
// one JSON line of results. Latencies are kept in microseconds (autocannon's own histogram keeps
// whole milliseconds, too coarse for sub-millisecond routes).
import autocannon from 'autocannon';
import hdr from 'hdr-histogram-js';
import { latencyHistogram } from './latency-histogram.mjs';

const options = JSON.parse(process.argv[2]);
const latencies = latencyHistogram();
const record = latencies.recordValue.bind(latencies);
latencies.recordValue = (ms) => record(Math.max(1, Math.round(ms * 1000)));
latencies.recordValueWithExpectedInterval = (ms) => record(Math.max(1, Math.round(ms * 1000)));

const result = await autocannon({ ...options, histograms: { latencies } });
const ms = (p) => latencies.getValueAtPercentile(p) / 1000;
console.log(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: ms(50),
    p99: ms(99),
    p999: ms(99.9),
    // The whole histogram, so that rounds of one server can be merged into exact percentiles.
    histogram: hdr.encodeIntoCompressedBase64(latencies),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }),
);
