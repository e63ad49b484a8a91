import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Tokens } from '../auth/tokens.js';
import type { User, Users } from '../auth/users.js';
import { ApiTaskError } from '../errors.js';
import { credentials, type ApiTaskAccess } from '../execution-access.js';

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
  res.json({ token: access.tokens.signUser({ sub: String(user.id), username: user.username, role: user.role }), user: userView(user) });
};

/** `POST /v1/authentication/token`: a fresh token for one that is still valid. */
export const refresh = (users: Users, tokens: Tokens) => async (req: Request, res: Response) => {
  const { token } = parseInput(refreshBody, req.body);
  const claims = tokens.verifyUser(token);
  // A removed user's tokens stop renewing.
  const user = await users.find(Number(claims.sub));
  if (!user) throw new ApiTaskError('UNAUTHORIZED', 'the user of this token no longer exists');
  res.json({ token: tokens.signUser({ sub: String(user.id), username: user.username, role: user.role }) });
};
