import type { Core } from '@botgate/core';
import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Allocations } from '../allocations.js';
import { ApiTaskError } from '../errors.js';

const integerText = z.union([z.number().int(), z.string().regex(/^\d+$/, 'expected an integer')]);

export const createBody = z.object({
  fileId: integerText,
  runAsUserOrNone: integerText.optional(),
  concurrencyLimit: z
    .number({ error: 'must be a positive integer' })
    .int('must be a positive integer')
    .positive('must be a positive integer')
    .optional(),
});

/** `PUT /orchestrator/v1/hotbot/config/create` (admin): allocate, or change, an API Task; answers what was sent. */
export const createAllocation = (core: Core, allocations: Allocations) => async (req: Request, res: Response) => {
  const body = parseInput(createBody, req.body);
  const automation = core.catalog.findByFileId(Number(body.fileId));
  if (!automation) throw new ApiTaskError('NOT_FOUND', `no automation has fileId ${body.fileId}`, {}, 'fileId');
  const concurrencyLimit = body.concurrencyLimit ?? 1;
  await allocations.upsert(
    automation,
    body.runAsUserOrNone === undefined ? null : String(body.runAsUserOrNone),
    concurrencyLimit,
  );
  res.json({
    fileId: body.fileId,
    ...(body.runAsUserOrNone === undefined ? {} : { runAsUserOrNone: body.runAsUserOrNone }),
    concurrencyLimit,
  });
};

export const listBody = z.object({
  page: z
    .object({ offset: z.number().int().min(0).default(0), length: z.number().int().min(1).max(1000).default(100) })
    .default({ offset: 0, length: 100 }),
});

/** `POST /orchestrator/v1/hotbot/config` (admin): the allocations, paged, in the vendor's shape. */
export const listAllocations = (core: Core, allocations: Allocations) => async (req: Request, res: Response) => {
  const { page } = parseInput(listBody, req.body);
  const { list, total } = await allocations.page(page.offset, page.length);
  res.json({
    list: list.map((a) => {
      const automation = core.catalog.find(a.automationId);
      return {
        fileId: String(a.fileId),
        filePath: automation?.repositoryPath ?? '',
        fileName: automation?.name ?? a.automationId,
        runAsUserOrNone: a.runAsUserOrNone ?? '',
        concurrencyLimit: a.concurrencyLimit,
      };
    }),
    page: { offset: page.offset, total, totalFilter: total },
  });
};
