import type { Automation, Core } from '@botgate/core';
import { parseInput, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { apiTaskContract } from '../contract.js';
import { ApiTaskError } from '../errors.js';
import { listPage, listQuery } from '../list-query.js';

/** The one folder every automation is in (its `parentId`). */
const botsFolderId = '1';

/** An automation of the catalog as a Control Room repository file: a bot, named by the last part of its repository path. */
export const fileRecord = (automation: Automation) => ({
  id: String(automation.fileId),
  parentId: botsFolderId,
  name: automation.repositoryPath.split('\\').at(-1) as string,
  path: automation.repositoryPath,
  type: 'application/vnd.aa.taskbot',
  workspaceType: 'PUBLIC',
  description: automation.description,
  version: '1',
  locked: false,
  folder: false,
});

const fileFields = [
  'id',
  'parentId',
  'name',
  'path',
  'type',
  'workspaceType',
  'description',
  'version',
  'locked',
  'folder',
];

/**
 * `POST /v2/repository/workspaces/{public|private}/files/list`: the catalog's automations as the
 * public workspace's bots, with the Control Room's filter, sort and page. botgate has no private
 * workspaces: that list is empty.
 */
export const listFiles =
  (core: Core) => async (req: Request, res: Response, input: InputOf<typeof apiTaskContract.listFiles>) => {
    const { workspaceType } = input.params;
    const kind = workspaceType.toLowerCase();
    if (kind !== 'public' && kind !== 'private')
      throw new ApiTaskError('NOT_FOUND', `no workspace "${workspaceType}"; use public or private`);
    const query = parseInput(listQuery, req.body ?? {}, 'body');
    const records = kind === 'public' ? core.catalog.list().map(fileRecord) : [];
    res.json(listPage(records, query, fileFields, { field: 'name', direction: 'asc' }));
  };

/** `GET /v2/repository/files/{id}`: one file. */
export const getFile =
  (core: Core) => async (_req: Request, res: Response, input: InputOf<typeof apiTaskContract.getFile>) => {
    const { fileId } = input.params;
    const automation = /^\d+$/.test(fileId) ? core.catalog.findByFileId(Number(fileId)) : undefined;
    if (!automation) throw new ApiTaskError('NOT_FOUND', `no file ${fileId} in the repository`, {}, 'fileId');
    res.json(fileRecord(automation));
  };
