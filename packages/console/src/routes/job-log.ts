import { followJob, isFinal, type Job } from '@botgate/core';
import type { InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { consoleContract } from '../contract.js';
import { openEventStream, sendEvent, type ConsoleContext } from '../console-context.js';

/**
 * Server-sent events of a job's output (`log`: `live` text is appended to what came before; text
 * that is not live is the whole log, sent when the job had ended before its live output could be
 * read), then `end` with its final state. Each byte is sent once.
 */
export const jobLog =
  (context: ConsoleContext, pollMs: number) =>
  async (req: Request, res: Response, input: InputOf<typeof consoleContract.jobLog>) => {
    const { id } = input.params;
    // An unknown job is a 404 before the stream opens.
    await context.core.jobs.get(id);
    const stop = new AbortController();
    openEventStream(context, req, res, () => stop.abort());
    const send = (event: string, data: unknown) => sendEvent(res, event, data);
    let ended: Job | undefined;
    try {
      for await (const update of followJob(context.core.jobs.get, id, { pollMs, signal: stop.signal })) {
        if (res.writableEnded) return;
        if (update.kind === 'log') send('log', { text: update.text, live: update.live });
        else if (isFinal(update.job.state)) ended = update.job;
      }
      if (ended && !res.writableEnded) send('end', { state: ended.state, error: ended.error });
    } catch (error) {
      // Headers are sent: the stream says what went wrong and ends; the browser reconnects.
      send('failure', { message: (error as Error).message });
    } finally {
      res.end();
    }
  };
