// Loaded into a server with `node --import`: times each HTTP request from its `request` event to
// its answer's `finish`, and notes every GC pause, by the monotonic clock; writes them to
// $REQUEST_TIMING_OUT as JSON when the process exits or is sent SIGTERM. For bench/execute-tail.mjs.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const requests = [];
const gcs = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcs.push([entry.startTime, entry.startTime + entry.duration]);
}).observe({ entryTypes: ['gc'] });
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response, ...rest) {
  if (event === 'request') {
    const start = performance.now();
    response.once('finish', () => requests.push([start, performance.now()]));
  }
  return emit.call(this, event, request, response, ...rest);
};
let written = false;
const write = () => {
  if (written) return;
  written = true;
  writeFileSync(process.env.REQUEST_TIMING_OUT, JSON.stringify({ requests, gcs }));
};
process.on('exit', write);
process.prependListener('SIGTERM', write);
