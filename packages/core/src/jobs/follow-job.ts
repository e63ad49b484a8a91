import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { jobPaths } from '../runners/job-paths.js';
import type { Job } from './job.js';
import { isFinal } from './job-state.js';

/** What following a job tells: each state it takes, and what it writes. */
export type JobUpdate =
  | { kind: 'state'; job: Job }
  /**
   * Output: `live` text continues what came before; the one text that is not live is the log the
   * job keeps, sent alone when the job had ended before any of its live output could be read.
   */
  | { kind: 'log'; text: string; live: boolean };

/** Up to 1 MiB appended to a file since `offset` (nothing when it does not exist yet). */
const readFrom = async (path: string, offset: number): Promise<Buffer> => {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const { size } = await file.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(Math.min(size - offset, 1024 * 1024));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
};

/**
 * A job as it goes, until it ends (or `signal` aborts): its state now and each change, and its
 * output from the live log in its folder, read every `pollMs`; the final state last, after all of
 * the output. Each byte of output is told once: the console's stream and `botgate jobs show
 * --follow` append what they get.
 */
export async function* followJob(
  get: (id: number) => Promise<Job>,
  id: number,
  { pollMs, signal }: { pollMs: number; signal?: AbortSignal },
): AsyncGenerator<JobUpdate> {
  let job = await get(id);
  // The final state is told last, after all of the output.
  if (!isFinal(job.state)) yield { kind: 'state', job };
  const live = jobPaths(job.workDir).log;
  // A character split across two reads is told whole with the second.
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  for (;;) {
    // The state is read before the file: once it is final, the file holds all there will be.
    const ended = isFinal(job.state);
    for (let chunk = await readFrom(live, offset); chunk.length > 0; chunk = await readFrom(live, offset)) {
      offset += chunk.length;
      const text = decoder.write(chunk);
      if (text) yield { kind: 'log', text, live: true };
      if (!ended) break;
    }
    if (ended) {
      const rest = decoder.end();
      if (rest) yield { kind: 'log', text: rest, live: true };
      // Its folder is on another node, or gone: the log the job keeps is all there is to tell.
      if (offset === 0 && job.log) yield { kind: 'log', text: job.log, live: false };
      yield { kind: 'state', job };
      return;
    }
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return;
    }
    const now = await get(id);
    if (now.state !== job.state && !isFinal(now.state)) yield { kind: 'state', job: now };
    job = now;
  }
}
