// What overlapping fdatasyncs of one file cost on this machine's disk (decision 0006, item 50):
// 4 KB written and synced in a loop by 1, 2 and 3 callers at once, in the data folder's file
// system (the OS's temporary folder unless a folder is given), each for two seconds, twice.
//   node bench/fdatasync-overlap.mjs [folder]
import { closeSync, fdatasync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'botgate-fdatasync-'));
const fd = openSync(join(dir, 'wal'), 'w');
const sync = () => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
const page = Buffer.alloc(4096, 1);
try {
  for (const inFlight of [1, 2, 3, 1, 2, 3]) {
    let syncs = 0;
    const t0 = performance.now();
    const caller = async () => {
      while (performance.now() - t0 < 2000) {
        writeSync(fd, page);
        await sync();
        syncs += 1;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, caller));
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({
        inFlight,
        syncsPerSecond: Math.round(syncs / seconds),
        msEach: Number(((1000 * seconds * inFlight) / syncs).toFixed(2)),
      }),
    );
  }
} finally {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}
