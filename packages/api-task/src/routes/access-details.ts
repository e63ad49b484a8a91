import type { Core } from '@botgate/core';
import { parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { User } from '../auth/users.js';
import type { ApiTaskAccess } from '../execution-access.js';

export const accessDetailsBody = z.object({
  botRepositoryPath: z.array(z.string()).min(1, 'give at least one repository path').max(100),
});

/**
 * `POST /orchestrator/v1/hotbot/config/accessdetails` (developer or admin): per repository path,
 * the execution URL and a token for that API Task alone; unknown or unallocated paths go under
 * `errors`, in the same answer.
 */
export const accessDetails =
  (core: Core, access: ApiTaskAccess, publicUrl: string | undefined) => async (req: Request, res: Response) => {
    const { botRepositoryPath } = parseInput(accessDetailsBody, req.body);
    const user = res.locals.user as User;
    const base = (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '');
    const details: Record<string, { url: string; headers: { 'X-Authorization': string } }> = {};
    const errors: Record<string, string> = {};
    for (const path of botRepositoryPath) {
      const automation = core.catalog.findByRepositoryPath(path);
      const allocation = automation ? await access.allocations.byFileId(automation.fileId) : undefined;
      if (!automation) errors[path] = 'no API Task has this repository path';
      else if (!allocation)
        errors[path] = 'this API Task is not allocated; an admin allocates it with hotbot/config/create';
      else {
        details[path] = access.executionDetails(allocation, user, base);
      }
    }
    res.json({ accessDetails: details, errors });
  };
