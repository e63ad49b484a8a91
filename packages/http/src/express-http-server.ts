import { IncomingMessage, ServerResponse, createServer, type Server, type ServerOptions } from 'node:http';
import express, { type Express } from 'express';

type RequestClass = typeof IncomingMessage;
type ResponseClass = typeof ServerResponse;

/**
 * Express's request and response methods as classes node's HTTP server constructs, the app's own
 * prototypes. Express hands every request to `Object.setPrototypeOf(req, app.request)` (and the
 * same for `res`); on a live object V8 then drops the fast paths of node's whole HTTP stack for
 * it, which cost a bare express route three quarters of its throughput on this machine (see
 * docs/performance.md). When node already built them with those prototypes, that call changes
 * nothing. Changes `app.request` and `app.response`, so call it before the app serves.
 */
export const expressServerClasses = (
  app: Express,
): { IncomingMessage: RequestClass; ServerResponse: ResponseClass } => {
  class BotgateRequest extends IncomingMessage {}
  class BotgateResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {}
  // What express() put on its own prototypes for this app (`app`) over express's shared methods.
  for (const [target, shared, own] of [
    [BotgateRequest.prototype, express.request, app.request],
    [BotgateResponse.prototype, express.response, app.response],
  ] as const) {
    Object.defineProperties(target, Object.getOwnPropertyDescriptors(shared));
    Object.defineProperties(target, Object.getOwnPropertyDescriptors(own));
  }
  app.request = BotgateRequest.prototype as unknown as Express['request'];
  app.response = BotgateResponse.prototype as unknown as Express['response'];
  return { IncomingMessage: BotgateRequest, ServerResponse: BotgateResponse };
};

/** `http.createServer(options, app)` with the app's request and response classes (`expressServerClasses`). */
export const createExpressServer = (app: Express, options: ServerOptions = {}): Server =>
  createServer({ ...options, ...expressServerClasses(app) }, app);
