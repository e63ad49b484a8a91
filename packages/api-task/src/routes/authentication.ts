import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { User } from '../auth/users.js';
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
  res.json({ token: access.userToken(user), user: userView(user) });
};

/** `POST /v1/authentication/token`: a fresh token for one that is still valid, and still its user's. */
export const refresh = (access: ApiTaskAccess) => async (req: Request, res: Response) => {
  const { token } = parseInput(refreshBody, req.body);
  res.json({ token: access.userToken(await access.check.user(token)) });
};
