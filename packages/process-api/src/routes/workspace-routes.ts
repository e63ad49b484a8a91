import type { Request, Response } from 'express';
import { authenticateWorkspace, authenticateWorkspaceKey } from '../authenticate.js';
import type { Process } from '../processes.js';
import { runView } from '../runs.js';
import { pageLimit, type V1Deps } from './v1-routes.js';
import type { InputOf } from '@botgate/http';
import type { processApiContract } from '../contract.js';

const processView = (process: Process, workspaceId: string) => ({
  id: process.processId,
  name: process.name,
  workspaceId,
  apiAccess: process.secretHash !== null,
});

/** `GET /process-v1/workspaces/:ws/processes`: every process of the workspace (an automation of the catalog each). */
export const v1ListProcesses =
  ({ processes, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.listProcesses>) => {
    const { workspaceId } = await authenticateWorkspace(req, input.params, { keys, processes }, 'read_processes');
    res.json({
      next: null,
      has_more: false,
      data: (await processes.list()).map((process) => processView(process, workspaceId)),
    });
  };

/** `GET /process-v1/workspaces/:ws/processes/:pid`: one process. */
export const v1GetProcess =
  ({ processes, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.getProcess>) => {
    const { process, workspaceId } = await authenticateWorkspaceKey(
      req,
      input.params,
      { keys, processes },
      'read_processes',
    );
    res.json(processView(process, workspaceId));
  };

/** `GET /process-v1/workspaces/:ws/pruns?limit=`: the newest runs of every process, as a bare array (the library iterates it). */
export const v1WorkspaceRuns =
  ({ core, processes, runs, keys }: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.workspaceRuns>) => {
    const { workspaceId } = await authenticateWorkspace(req, input.params, { keys, processes }, 'read_runs');
    const limit = pageLimit(input.query);
    const all = await processes.list();
    const found = await runs.listAll(
      all.map((process) => process.processId),
      limit,
    );
    const byId = new Map(all.map((process) => [process.processId, process]));
    res.json(
      await Promise.all(
        found.map(async ({ run, job }) =>
          runView(run, job, await core.jobs.attempts(job), byId.get(run.processId) as Process, workspaceId),
        ),
      ),
    );
  };
