import { sanitizeFileName, type JsonValue } from '@botgate/core';
import { parseInput, type InputOf } from '@botgate/http';
import type { processApiContract } from '../contract.js';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { authenticateWorkspaceKey } from '../authenticate.js';
import { ProcessApiError } from '../errors.js';
import type { Process } from '../processes.js';
import type { WorkItem } from '../work-items.js';
import { workItemStateOf, workItemView } from '../work-item-view.js';
import { pageLimit, type V1Deps } from './v1-routes.js';

export const newWorkItemBody = z.object({ payload: z.unknown().optional() }, { error: 'send { "payload": … }' });
export const uploadRequestBody = z.object({
  fileName: z.string().min(1, 'name the file').max(255),
  fileSize: z.number().int('a whole number of bytes').min(0, 'a whole number of bytes'),
});

const findItem = async (
  { workItems }: V1Deps,
  process: Process,
  { workItemId }: { workItemId: string },
): Promise<WorkItem> => {
  const item = await workItems.find(process.processId, workItemId);
  if (!item) throw new ProcessApiError('NOT_FOUND', `no work item ${workItemId} in process ${process.processId}`);
  return item;
};

const runOf = async ({ runs }: V1Deps, item: WorkItem) =>
  item.runId === null ? undefined : runs.find(item.processId, item.runId);

/** `POST …/work-items` `{ "payload" }`: a work item that waits for a run (`run-request`); its files come through `files/upload`. */
export const v1CreateWorkItem =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.createWorkItem>) => {
    const { process } = await authenticateWorkspaceKey(req, input.params, deps, 'write_work_items');
    const { payload } = parseInput(newWorkItemBody, req.body ?? {}, 'body');
    const item = await deps.workItems.create(process.processId, (payload ?? {}) as JsonValue);
    res.json({ id: item.id });
  };

/** `GET …/work-items?includeData=&limit=&cursor=`: the process's work items, oldest first, a page at a time. */
export const v1ListWorkItems =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.listWorkItems>) => {
    const { process, workspaceId } = await authenticateWorkspaceKey(req, input.params, deps, 'read_work_items');
    const { cursor } = input.query;
    const includeData = input.query.includeData === 'true';
    const limit = pageLimit(input.query);
    const { items, hasMore } = await deps.workItems.page(
      process.processId,
      cursor === undefined ? 0 : Number(cursor),
      limit,
    );
    const data = await Promise.all(
      items.map(async (item) => workItemView(item, await runOf(deps, item), process, workspaceId, includeData)),
    );
    const nextCursor = hasMore ? String((items.at(-1) as WorkItem).seq) : null;
    const next =
      nextCursor === null
        ? null
        : `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}?${new URLSearchParams({ includeData: String(includeData), limit: String(limit), cursor: nextCursor })}`;
    res.json({ data, has_more: hasMore, next, nextCursor });
  };

export const v1GetWorkItem =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.getWorkItem>) => {
    const { process, workspaceId } = await authenticateWorkspaceKey(req, input.params, deps, 'read_work_items');
    const item = await findItem(deps, process, input.params);
    const includeData = input.query.includeData === 'true';
    res.json(workItemView(item, await runOf(deps, item), process, workspaceId, includeData));
  };

/** `POST …/work-items/{id}/retry`: a FAILED item is processed again, in a new run of the same process. */
export const v1RetryWorkItem =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.retryWorkItem>) => {
    const { process, workspaceId } = await authenticateWorkspaceKey(req, input.params, deps, 'write_work_items');
    const item = await findItem(deps, process, input.params);
    const state = workItemStateOf((await runOf(deps, item))?.job);
    if (state !== 'FAILED')
      throw new ProcessApiError('CONFLICT', `work item ${item.id} is ${state}; only a FAILED work item can be retried`);
    const started = await deps.runs.start(process, { items: [item], takenFrom: item.runId });
    res.json(workItemView({ ...item, runId: started.run.runId }, started, process, workspaceId, false));
  };

/**
 * `POST …/work-items/{id}/files/upload` `{ fileName, fileSize }`: where and how to post the file,
 * in the shape of a pre-signed S3 POST: `url` is botgate's upload endpoint and `fields` carry a
 * signed grant for this item, name and size, used once within `lifetimeMs`.
 */
export const v1RequestUpload =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.requestUpload>) => {
    const { process } = await authenticateWorkspaceKey(req, input.params, deps, 'write_work_items');
    const item = await findItem(deps, process, input.params);
    const body = parseInput(uploadRequestBody, req.body ?? {}, 'body');
    if (body.fileSize > deps.uploadLimit)
      throw new ProcessApiError(
        'PAYLOAD_TOO_LARGE',
        `fileSize ${body.fileSize} is over the upload limit of ${deps.uploadLimit} bytes`,
      );
    const fileName = sanitizeFileName(body.fileName);
    if (item.runId !== null)
      throw new ProcessApiError(
        'CONFLICT',
        `work item ${item.id} is in a run already; files are added before its run starts`,
      );
    const grant = await deps.grants.sign({
      kind: 'upload',
      workItemId: item.id,
      processId: process.processId,
      fileName,
      fileSize: body.fileSize,
    });
    res.json({ url: `${deps.baseUrl(req)}/process-v1/uploads`, fields: { grant } });
  };
