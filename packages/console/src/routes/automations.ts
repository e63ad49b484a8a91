import { baseUrlOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { ConsoleContext } from '../console-context.js';

/** Every automation with its declared variables and how each adapter exposes it (its panel's section). */
export const listAutomations = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const base = baseUrlOf(req);
  const exposures = await Promise.all(
    context.panels.map(async (panel) => [panel.section, await panel.exposure(base)] as const),
  );
  res.json(
    context.core.catalog.list().map((automation) => ({
      id: automation.id,
      name: automation.name,
      description: automation.description,
      kind: automation.run.kind,
      inputs: automation.inputs,
      outputs: automation.outputs,
      concurrency: automation.concurrency,
      timeoutMs: automation.timeoutMs,
      fileId: automation.fileId,
      repositoryPath: automation.repositoryPath,
      ...Object.fromEntries(exposures.map(([section, byId]) => [section, byId[automation.id] ?? null])),
    })),
  );
};
