import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleOperator, ConsoleOperators } from '@botgate/http';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { ConsoleError } from './errors.js';

export const sessionCookie = 'botgate_console';
/** The header every state-changing call must carry, equal to its session's token. */
export const csrfHeader = 'x-csrf-token';

export interface SessionOptions {
  lifetimeMs: number;
}

const userView = (operator: ConsoleOperator) => ({ id: operator.id, username: operator.username, role: operator.role });

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Console sessions: an operator, signed in by the adapter whose panel has the operators, gets a signed,
 * HttpOnly, SameSite=Strict cookie. Cross-site requests carry no cookie; on top of that each
 * state-changing call must echo the session's CSRF token in a header, which another origin
 * cannot read.
 */
export const createSessions = (operators: ConsoleOperators, options: SessionOptions) => {
  const setCookie = (req: Request, res: Response, token: string, maxAge: number) =>
    res.cookie(sessionCookie, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/console',
      maxAge,
    });

  const read = async (req: Request) => {
    const token = parseCookies(req.get('cookie') ?? '')[sessionCookie];
    if (token === undefined) throw new ConsoleError('UNAUTHORIZED', 'sign in first');
    // Checked against the records on every call: signed out, a removed user, a changed role or password all end the session at once.
    return operators.session(token);
  };

  return {
    async login(req: Request, res: Response): Promise<void> {
      const csrf = randomBytes(24).toString('base64url');
      const { operator, token } = await operators.signIn(req.body, req.socket.remoteAddress, {
        csrf,
        lifetimeMs: options.lifetimeMs,
      });
      setCookie(req, res, token, options.lifetimeMs);
      res.json({ user: userView(operator), csrfToken: csrf });
    },

    /** Ends the session for good: its token is refused from now on, whoever presents it. */
    async logout(req: Request, res: Response): Promise<void> {
      // A cookie that is no valid session any more has nothing left to end.
      const session = await read(req).catch(() => undefined);
      await session?.end();
      res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/console' });
      res.status(204).end();
    },

    async current(req: Request, res: Response): Promise<void> {
      const { operator, csrf } = await read(req);
      res.json({ user: userView(operator), csrfToken: csrf });
    },

    /** Signed in with one of these roles; writes also need the CSRF header. */
    require(roles: ReadonlyArray<ConsoleOperator['role']>): RequestHandler {
      return (req, res, next) => {
        read(req)
          .then(({ operator, csrf }) => {
            if (!['GET', 'HEAD'].includes(req.method)) {
              const presented = req.get(csrfHeader);
              if (presented === undefined || !sameText(presented, csrf))
                throw new ConsoleError('FORBIDDEN', `send the session's CSRF token in ${csrfHeader}`);
            }
            if (!roles.includes(operator.role))
              throw new ConsoleError(
                'FORBIDDEN',
                `this needs the ${roles.join(' or ')} role; ${operator.username} is ${operator.role}`,
              );
            res.locals.consoleOperator = operator;
            next();
          })
          .catch(next);
      };
    },
  };
};

export type Sessions = ReturnType<typeof createSessions>;
