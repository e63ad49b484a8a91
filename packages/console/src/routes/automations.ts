import { baseUrlOf, consoleOperatorOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { ConsoleContext } from '../console-context.js';

/**
 * Every automation with its declared variables and how each adapter exposes it: the adapter's
 * data under its panel's section, and its card (what the web app draws) in `cards`.
 */
export const listAutomations = (context: ConsoleContext) => async (req: Request, res: Response) => {
  const viewer = { operator: consoleOperatorOf(res), baseUrl: baseUrlOf(req) };
  const exposures = await Promise.all(
    context.panels.map(async (panel) => [panel.section, await panel.exposure(viewer)] as const),
  );
  res.json(
    context.core.catalog.list().map((automation) => {
      const shown = exposures.flatMap(([section, byId]) => {
        const exposure = byId[automation.id];
        return exposure ? [[section, exposure] as const] : [];
      });
      return {
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
        ...Object.fromEntries(shown.map(([section, exposure]) => [section, exposure.data])),
        cards: shown.map(([section, exposure]) => ({ section, ...exposure.card })),
      };
    }),
  );
};

/** The adapters' pages in the navigation; the web app shows an admin's pages only to admins. */
export const listPages = (context: ConsoleContext) => async (_req: Request, res: Response) => {
  res.json(context.panels.flatMap((panel) => (panel.pages ?? []).map((page) => ({ section: panel.section, ...page }))));
};
