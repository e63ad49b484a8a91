import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { isFinal, jobPaths } from '@botgate/core';
import type { InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { consoleContract } from '../contract.js';
import { openEventStream, sendEvent, type ConsoleContext } from '../console-context.js';

/** Bytes appended to a file since `offset` (none when it does not exist yet). */
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
 * Server-sent events of a job's output: while it runs, what its command writes (`log` events,
 * from the live file in its folder, every `pollMs`); once it has ended, the log it keeps, then
 * `end` with its final state.
 */
export const jobLog =
  (context: ConsoleContext, pollMs: number) =>
  async (req: Request, res: Response, input: InputOf<typeof consoleContract.jobLog>) => {
    const { id } = input.params;
    let job = await context.core.jobs.get(id);
    let closed = false;
    openEventStream(context, req, res, () => {
      closed = true;
    });
    const send = (event: string, data: unknown) => sendEvent(res, event, data);
    let offset = 0;
    const live = jobPaths(job.workDir).log;
    // A character split across two reads is sent whole with the second.
    const decoder = new StringDecoder('utf8');
    try {
      while (!closed && !res.writableEnded && !isFinal(job.state)) {
        const chunk = await readFrom(live, offset);
        if (chunk.length > 0) {
          offset += chunk.length;
          send('log', { text: decoder.write(chunk), live: true });
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        job = await context.core.jobs.get(id);
      }
      if (closed || res.writableEnded) return;
      // The kept log is the tail of everything; what was shown live is replaced by it.
      send('log', { text: job.log, live: false });
      send('end', { state: job.state, error: job.error });
    } catch (error) {
      // Headers are sent: the stream says what went wrong and ends; the browser reconnects.
      send('failure', { message: (error as Error).message });
    } finally {
      res.end();
    }
  };
