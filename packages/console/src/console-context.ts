import type { Core } from '@botgate/core';
import { describeRequest, type ConsolePanel } from '@botgate/http';
import type { Request, Response } from 'express';
import type { JobFeed } from './job-feed.js';

/** What the console's routes work with: the core and each adapter's panel. */
export interface ConsoleContext {
  core: Core;
  panels: readonly ConsolePanel[];
  feed: JobFeed;
  /** Open event streams, ended when the server shuts down (they would keep it from closing). */
  streams: Set<Response>;
}

/** Starts a server-sent event stream that lasts until the browser leaves or the console closes. */
export const openEventStream = (context: ConsoleContext, req: Request, res: Response, onClose: () => void): void => {
  // Open for as long as someone watches: its length says nothing of how fast the server answers.
  describeRequest(res, { stream: true });
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  context.streams.add(res);
  // Proxies drop quiet connections; a comment every 15 s keeps it open.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const close = () => {
    clearInterval(keepAlive);
    context.streams.delete(res);
    onClose();
  };
  req.on('close', close);
};

export const sendEvent = (res: Response, event: string, data: unknown): void => {
  if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
};
