import { parseInput, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { readToken } from '../auth/read-token.js';
import type { User } from '../auth/users.js';
import { credentials, type ApiTaskAccess } from '../execution-access.js';
import type { apiTaskContract } from '../contract.js';

export const refreshBody = z.object({ token: z.string().min(1) });

const roleIds = { admin: 1, developer: 2 } as const;

export const userView = (user: User) => ({
  id: user.id,
  username: user.username,
  roles: [{ id: roleIds[user.role], name: user.role }],
  createdOn: user.createdAt.toISOString(),
});

/** `POST /v1/authentication`: a JWT for a user, with the user. */
export const authenticate = (access: ApiTaskAccess) => async (req: Request, res: Response) => {
  const user = await access.signIn(parseInput(credentials, req.body), req.socket.remoteAddress);
  res.json({ token: access.userToken(user), user: userView(user) });
};

/** `POST /v1/authentication/token`: a fresh token for one that is still valid, and still its user's. */
export const refresh = (access: ApiTaskAccess) => async (req: Request, res: Response) => {
  const { token } = parseInput(refreshBody, req.body);
  res.json({ token: access.userToken(await access.check.user(token)) });
};

/** `GET /v1/authentication/token?token=`: whether a user token is still valid, as `{ "valid": … }`. */
export const validate =
  (access: ApiTaskAccess) => async (_req: Request, res: Response, input: InputOf<typeof apiTaskContract.validate>) => {
    res.json({ valid: await access.check.isValidUserToken(input.query.token) });
  };

/** `POST /v1/authentication/logout`: the token of `X-Authorization` is refused from now on, on every node; 204. */
export const logout = (access: ApiTaskAccess) => async (req: Request, res: Response) => {
  const token = readToken(req);
  await access.check.user(token);
  await access.check.revoke(access.tokens.verifyUser(token));
  res.status(204).end();
};
