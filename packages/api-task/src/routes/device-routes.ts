import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Core } from '@botgate/core';
import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import type { User, Users } from '../auth/users.js';
import { listPage, listQuery } from '../list-query.js';

const runAsUser = (user: User) => ({ id: String(user.id), username: user.username });

/**
 * This node as a Control Room device: each botgate node runs bots, and answers for itself. Its id
 * stays the same across restarts (it is made from the host and the data folder).
 */
const thisDevice = (core: Core, users: User[]) => ({
  id: String(
    Number.parseInt(
      createHash('sha256').update(`${hostname()}\n${core.options.dataDir}`).digest('hex').slice(0, 8),
      16,
    ),
  ),
  type: 'BOT_RUNNER',
  hostName: hostname(),
  nickname: core.nodeId,
  status: 'CONNECTED',
  botAgentVersion: 'botgate',
  userId: users[0] ? String(users[0].id) : '',
  defaultUsers: users.map(runAsUser),
});

/** `POST /v1/devices/runasusers/list`: the users bots run as (any api-task user; its `id` is what deploy's `runAsUserIds` take). */
export const listRunAsUsers = (users: Users) => async (req: Request, res: Response) => {
  const query = parseInput(listQuery, req.body ?? {}, 'body');
  res.json(
    listPage((await users.list()).map(runAsUser), query, ['id', 'username'], { field: 'username', direction: 'asc' }),
  );
};

/** `POST /v2/devices/list`: the devices that run bots: this node, with every user as a default user. */
export const listDevices = (core: Core, users: Users) => async (req: Request, res: Response) => {
  const query = parseInput(listQuery, req.body ?? {}, 'body');
  res.json(
    listPage(
      [thisDevice(core, await users.list())],
      query,
      ['id', 'type', 'hostName', 'nickname', 'status', 'botAgentVersion', 'userId'],
      { field: 'hostName', direction: 'asc' },
    ),
  );
};
