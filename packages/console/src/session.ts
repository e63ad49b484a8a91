import { randomBytes, timingSafeEqual } from 'node:crypto';
import { credentials, type ApiTaskAccess, type Role, type SessionClaims, type User } from '@botgate/api-task';
import { parse as parseCookies } from 'cookie';
import { parseInput } from '@botgate/http';
import type { Request, RequestHandler, Response } from 'express';
import { ConsoleError } from './errors.js';

export const sessionCookie = 'botgate_console';
/** The header every state-changing call must carry, equal to its session's token. */
export const csrfHeader = 'x-csrf-token';

export interface SessionOptions {
  lifetimeMs: number;
}

/** The signed-in user, as its record is now. */
export type ConsoleUser = User;

const userView = (user: User) => ({ id: user.id, username: user.username, role: user.role });

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Console sessions: an api-task user signs in with a password or API key and gets a signed,
 * HttpOnly, SameSite=Strict cookie. Cross-site requests carry no cookie; on top of that each
 * state-changing call must echo the session's CSRF token in a header, which another origin
 * cannot read.
 */
export const createSessions = (access: ApiTaskAccess, options: SessionOptions) => {
  const setCookie = (req: Request, res: Response, token: string, maxAge: number) =>
    res.cookie(sessionCookie, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/console',
      maxAge,
    });

  const read = async (req: Request): Promise<{ user: ConsoleUser; claims: SessionClaims }> => {
    const token = parseCookies(req.get('cookie') ?? '')[sessionCookie];
    if (token === undefined) throw new ConsoleError('UNAUTHORIZED', 'sign in first');
    // Checked against the records on every call: signed out, a removed user, a changed role or password all end the session at once.
    return access.check.session(token);
  };

  return {
    async login(req: Request, res: Response): Promise<void> {
      // The same check, limit and answers as POST /v1/authentication.
      const user = await access.signIn(parseInput(credentials, req.body, 'body'), req.socket.remoteAddress);
      const csrf = randomBytes(24).toString('base64url');
      setCookie(
        req,
        res,
        access.tokens.signSession({ sub: String(user.id), ver: user.accessStamp, csrf }, options.lifetimeMs),
        options.lifetimeMs,
      );
      res.json({ user: userView(user), csrfToken: csrf });
    },

    /** Ends the session for good: its token is refused from now on, whoever presents it. */
    async logout(req: Request, res: Response): Promise<void> {
      // A cookie that is no valid session any more has nothing left to end.
      const claims = await read(req).then(
        ({ claims }) => claims,
        () => undefined,
      );
      if (claims) await access.check.revoke(claims);
      res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/console' });
      res.status(204).end();
    },

    async current(req: Request, res: Response): Promise<void> {
      const { user, claims } = await read(req);
      res.json({ user: userView(user), csrfToken: claims.csrf });
    },

    /** Signed in with one of these roles; writes also need the CSRF header. */
    require(roles: readonly Role[]): RequestHandler {
      return (req, res, next) => {
        read(req)
          .then(({ user, claims }) => {
            if (!['GET', 'HEAD'].includes(req.method)) {
              const presented = req.get(csrfHeader);
              if (presented === undefined || !sameText(presented, claims.csrf))
                throw new ConsoleError('FORBIDDEN', `send the session's CSRF token in ${csrfHeader}`);
            }
            if (!roles.includes(user.role))
              throw new ConsoleError(
                'FORBIDDEN',
                `this needs the ${roles.join(' or ')} role; ${user.username} is ${user.role}`,
              );
            res.locals.consoleUser = user;
            next();
          })
          .catch(next);
      };
    },
  };
};

export type Sessions = ReturnType<typeof createSessions>;

export const consoleUserOf = (res: Response): ConsoleUser => res.locals.consoleUser as ConsoleUser;
