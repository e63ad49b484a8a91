import { roles } from '@botgate/api-task';
import { permissions } from '@botgate/process-api';
import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ConsoleContext } from '../console-context.js';
import { ConsoleError } from '../errors.js';
import { consoleUserOf } from '../session.js';

const userView = (user: { id: number; username: string; role: string; createdAt: Date }) => ({
  id: user.id,
  username: user.username,
  role: user.role,
  createdAt: user.createdAt.toISOString(),
});

export const listUsers = (context: ConsoleContext) => async (_req: Request, res: Response) => {
  res.json((await context.apiTask.users.list()).map(userView));
};

export const newUser = z.object({
  username: z.string().min(1).max(100),
  role: z.enum(roles as ['admin', 'developer']),
  password: z.string().min(8, 'at least 8 characters').max(200).optional(),
});

/** A new user; its API key is in this answer and nowhere else. */
export const addUser = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const body = parseInput(newUser, req.body, 'body');
  const user = await context.apiTask.users.add(body.username, body.role, body.password);
  res.status(201).json({ ...userView(user), apiKey: user.apiKey });
};

export const removeUser = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const username = String(req.params.username);
  if (username === consoleUserOf(res).username) throw new ConsoleError('BAD_REQUEST', 'you cannot remove yourself');
  await context.apiTask.users.remove(username);
  res.status(204).end();
};

const keyView = (key: { name: string; permissions: readonly string[]; createdAt: Date }) => ({
  name: key.name,
  permissions: key.permissions,
  createdAt: key.createdAt.toISOString(),
});

export const listKeys = (context: ConsoleContext) => async (_req: Request, res: Response) => {
  res.json((await context.workspaceKeys.list()).map(keyView));
};

export const newKey = z.object({ name: z.string().min(1).max(100), permissions: z.array(z.enum(permissions)).min(1) });

/** A Process API workspace key (`Authorization: RC-WSKEY …`); shown in this answer only. */
export const addKey = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const body = parseInput(newKey, req.body, 'body');
  const key = await context.workspaceKeys.add(body.name, body.permissions);
  res.status(201).json({ ...keyView(key), key: key.key });
};

export const removeKey = (context: ConsoleContext) => async (req: Request, res: Response) => {
  await context.workspaceKeys.remove(String(req.params.name));
  res.status(204).end();
};
