import { randomUUID } from 'node:crypto';
import { requestFacts } from '@botgate/http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

// An id a proxy already gave the request is kept when it looks like one.
const acceptableId = /^[\w.:-]{1,128}$/;

/**
 * Gives every request an id (answered as `X-Request-Id`) and, once answered, logs one line and
 * counts it. Only the path is logged, never the query string or headers: secrets and tokens
 * travel there (`robocloud-process-secret`, `token`, `X-Authorization`).
 */
export const requestLog =
  (logger: Logger, metrics: Metrics): RequestHandler =>
  (req, res, next) => {
    const started = process.hrtime.bigint();
    const given = req.get('x-request-id');
    const id = given !== undefined && acceptableId.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const facts = requestFacts(res);
      const adapter = facts.adapter ?? 'server';
      const operation = facts.operation ?? 'other';
      metrics.request(adapter, operation, res.statusCode, facts.stream ? undefined : seconds);
      logger.info(
        {
          reqId: id,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          adapter,
          operation,
          automation: facts.automationId,
          jobId: facts.jobId,
        },
        'request',
      );
    });
    next();
  };
