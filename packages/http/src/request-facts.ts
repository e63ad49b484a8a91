import type { NextFunction, Request, Response } from 'express';

/** What a request was about, for the server's request log and metrics. */
export interface RequestFacts {
  adapter?: string;
  /** `trigger`, `status`, `execute`, … (one word per kind of call, the metric's label). */
  operation?: string;
  automationId?: string;
  jobId?: number;
}

const key = 'botgateRequest';

/** Adds what a handler learned (the automation, the job) to its request's facts. */
export const describeRequest = (res: Response, facts: RequestFacts): void => {
  res.locals[key] = { ...(res.locals[key] as RequestFacts | undefined), ...facts };
};

export const requestFacts = (res: Response): RequestFacts => (res.locals[key] as RequestFacts | undefined) ?? {};

/** Route middleware naming the adapter and the kind of call before anything can fail. */
export const operation =
  (adapter: string, name: string) =>
  (_req: Request, res: Response, next: NextFunction): void => {
    describeRequest(res, { adapter, operation: name });
    next();
  };
