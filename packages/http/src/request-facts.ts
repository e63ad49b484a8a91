import type { NextFunction, Request, Response } from 'express';

/** What a request was about, for the server's request log and metrics. */
export interface RequestFacts {
  adapter?: string;
  /** `trigger`, `status`, `execute`, … (one word per kind of call, the metric's label). */
  operation?: string;
  automationId?: string;
  jobId?: number;
  /** A long-lived answer (server-sent events): counted, but not in the request-duration histogram. */
  stream?: boolean;
}

const key = 'botgateRequest';

/** Adds what a handler learned (the automation, the job) to its request's facts. */
export const describeRequest = (res: Response, facts: RequestFacts): void => {
  // Object.assign, not a spread: on Node 20 each property after a spread in an object literal is
  // a runtime call (~0.5 µs each, docs/performance.md), and this runs two or three times a request.
  const known = res.locals[key] as RequestFacts | undefined;
  if (known === undefined) res.locals[key] = Object.assign({}, facts);
  else Object.assign(known, facts);
};

export const requestFacts = (res: Response): RequestFacts => (res.locals[key] as RequestFacts | undefined) ?? {};

/** Route middleware naming the adapter and the kind of call before anything can fail. */
export const operation = (adapter: string, name: string) => {
  // One object per route: describeRequest copies it into the request's own facts.
  const facts = { adapter, operation: name };
  return (_req: Request, res: Response, next: NextFunction): void => {
    describeRequest(res, facts);
    next();
  };
};
