// Shared by the queue workers: sending at a steady rate, and the one JSON line they print.

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Calls `send(i)` `count` times, `rate` per second, without waiting for the calls. */
export const sendPaced = async (rate, count, send) => {
  const interval = 1000 / rate;
  const begin = performance.now();
  for (let i = 0; i < count; i++) {
    const delay = begin + i * interval - performance.now();
    if (delay > 1) await new Promise((resolve) => setTimeout(resolve, delay));
    void send(i);
  }
};

export const printQueueResult = ({ enqueued, enqueueSeconds, drained, drainSeconds, waits, pacedRate }) => {
  waits.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      enqueuePerSecond: enqueued / enqueueSeconds,
      drainPerSecond: drained / drainSeconds,
      startP50Ms: percentile(waits, 0.5),
      startP99Ms: percentile(waits, 0.99),
      pacedRate,
    }),
  );
};
