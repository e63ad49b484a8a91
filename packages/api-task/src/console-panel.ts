import type { Core } from '@botgate/core';
import {
  automationNamed,
  baseUrlOf,
  consoleOperatorOf,
  HttpError,
  parseInput,
  type ConsoleOperator,
  type ConsolePanel,
  automationParams,
  consoleFailure,
} from '@botgate/http';
import { cardOf, usersPage } from './console-views.js';
import { z } from 'zod';
import { roles, type User } from './auth/users.js';
import { credentials, type ApiTaskAccess } from './execution-access.js';

const allocationBody = z.object({ concurrencyLimit: z.number().int().min(1).max(1000) });
const newUser = z.object({
  username: z.string().min(1).max(100),
  role: z.enum(roles as ['admin', 'developer']),
  password: z.string().min(8, 'at least 8 characters').max(200).optional(),
});

const operatorOf = (user: User): ConsoleOperator => ({ id: user.id, username: user.username, role: user.role });
const userView = (user: { id: number; username: string; role: string; createdAt: Date }) => ({
  id: user.id,
  username: user.username,
  role: user.role,
  createdAt: user.createdAt.toISOString(),
});

/**
 * Automation Anywhere's side of the console: API Task allocations and execution access, the
 * users, and the console's sign-in, which is theirs: the same check and limit as
 * `POST /v1/authentication`, a session ended at once by a removal, a role or password change.
 */
export const createApiTaskPanel = (
  core: Core,
  access: ApiTaskAccess,
  { publicUrl }: { publicUrl?: string | undefined },
): ConsolePanel => ({
  section: 'apiTask',
  async exposure({ operator }) {
    const { list } = await access.allocations.page(0, 100_000);
    const byAutomation = new Map(list.map((allocation) => [allocation.automationId, allocation]));
    return Object.fromEntries(
      core.catalog.list().map((automation) => {
        const allocation = byAutomation.get(automation.id);
        const data = allocation ? { allocationId: allocation.id, concurrencyLimit: allocation.concurrencyLimit } : null;
        return [automation.id, { data, card: cardOf(automation.id, data, operator.role === 'admin') }];
      }),
    );
  },
  pages: [usersPage],
  operators: {
    credentials,
    async signIn(body, address, session) {
      const user = await access.signIn(parseInput(credentials, body, 'body'), address);
      const token = access.tokens.signSession(
        { sub: String(user.id), ver: user.accessStamp, csrf: session.csrf },
        session.lifetimeMs,
      );
      return { operator: operatorOf(user), token };
    },
    async session(token) {
      const { user, claims } = await access.check.session(token);
      return { operator: operatorOf(user), csrf: claims.csrf, end: () => access.check.revoke(claims) };
    },
  },
  routes: [
    {
      method: 'put',
      path: '/automations/:id/api-task',
      operation: 'expose',
      summary: 'Allocate the automation as an API Task, with its concurrency limit',
      params: automationParams,
      body: { content: { 'application/json': allocationBody } },
      responses: {
        200: { description: 'The allocation' },
        400: consoleFailure('A bad limit'),
        404: consoleFailure('No such automation'),
      },
      access: 'admin',
      async handler(req, res, input) {
        const { concurrencyLimit } = parseInput(allocationBody, req.body, 'body');
        const allocation = await access.allocations.upsert(
          automationNamed(core, input.params.id),
          null,
          concurrencyLimit,
        );
        res.json({ allocationId: allocation.id, concurrencyLimit: allocation.concurrencyLimit });
      },
    },
    {
      method: 'post',
      path: '/automations/:id/api-task/access',
      operation: 'expose',
      summary: 'The API Task’s execution URL and an `X-Authorization` token, as accessdetails gives them',
      params: automationParams,
      responses: { 200: { description: 'The URL, token and curl line' }, 404: consoleFailure('Not allocated') },
      access: 'anyone',
      async handler(req, res, input) {
        const found = automationNamed(core, input.params.id);
        const allocation = await access.allocations.byFileId(found.fileId);
        if (!allocation)
          throw new HttpError('NOT_FOUND', `${found.id} is not allocated as an API Task; an admin allocates it first`);
        const user = await access.users.find(consoleOperatorOf(res).id);
        if (!user) throw new HttpError('UNAUTHORIZED', 'the signed-in user no longer exists');
        const { url, headers } = access.executionDetails(allocation, user, baseUrlOf(req, publicUrl));
        const token = headers['X-Authorization'];
        const curl = `curl --request POST --header "X-Authorization: ${token}" --header "Content-Type: application/json" --data "{\\"botInput\\":{}}" ${url}`;
        res.json({ url, token, curl });
      },
    },
    {
      method: 'get',
      path: '/users',
      operation: 'admin',
      summary: 'The api-task users',
      responses: { 200: { description: 'The users' } },
      access: 'admin',
      async handler(_req, res) {
        res.json((await access.users.list()).map(userView));
      },
    },
    {
      method: 'post',
      path: '/users',
      operation: 'admin',
      summary: 'A new user; its API key is in this answer only',
      body: { content: { 'application/json': newUser } },
      responses: { 201: { description: 'The user and its API key' }, 400: consoleFailure('A bad user') },
      access: 'admin',
      async handler(req, res) {
        const body = parseInput(newUser, req.body, 'body');
        const user = await access.users.add(body.username, body.role, body.password);
        res.status(201).json({ ...userView(user), apiKey: user.apiKey });
      },
    },
    {
      method: 'delete',
      path: '/users/:username',
      operation: 'admin',
      summary: 'Remove a user: its tokens and sessions end at once',
      params: z.object({ username: z.string() }),
      responses: { 204: { description: 'Done' }, 400: consoleFailure('Yourself'), 404: consoleFailure('No such user') },
      access: 'admin',
      async handler(_req, res, input) {
        const username = String(input.params.username);
        if (username === consoleOperatorOf(res).username)
          throw new HttpError('BAD_REQUEST', 'you cannot remove yourself');
        await access.users.remove(username);
        res.status(204).end();
      },
    },
  ],
});
