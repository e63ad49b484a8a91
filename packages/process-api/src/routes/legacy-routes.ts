import { actOnKept, type HeldStamp } from '@botgate/core';
import { describeRequest, type InputOf } from '@botgate/http';
import type { processApiContract } from '../contract.js';
import type { Request, Response } from 'express';
import { authenticateProcessSecret, keptProcessSecret } from '../authenticate.js';
import { ProcessApiError } from '../errors.js';
import type { Process, Processes } from '../processes.js';
import { legacyRunView, type Runs } from '../runs.js';
import { idempotencyKeyOf } from '@botgate/http';
import { payloadOf } from './read-payload.js';

/** `POST /workspace-v1/workspaces/:ws/processes/:pid/runs`: the contract's trigger. */
export const legacyTrigger =
  (processes: Processes, runs: Runs) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.legacyTrigger>) => {
    // The process as this node keeps it, confirmed in the run's own transaction (`actOnKept`).
    const { run, process, workspaceId } = await actOnKept(
      keptProcessSecret(req, input.params, processes),
      () => authenticateProcessSecret(req, input.params, processes),
      async (checked: { process: Process; workspaceId: string; held?: HeldStamp }) => {
        describeRequest(res, { automationId: checked.process.automationId });
        const { run } = await runs.start(
          checked.process,
          { payload: payloadOf(req.body, { unwrapVariables: false }) },
          { idempotencyKey: idempotencyKeyOf(req), held: checked.held },
        );
        return { run, process: checked.process, workspaceId: checked.workspaceId };
      },
    );
    describeRequest(res, { jobId: run.jobId });
    res.json({
      message: 'OK',
      processRunId: run.runId,
      processId: process.processId,
      workspaceId,
      workItemId: run.workItemId,
    });
  };

/** `GET /workspace-v1/workspaces/:ws/processes/:pid/runs/:runId`: the contract's status. */
export const legacyGetRun =
  (processes: Processes, runs: Runs) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.legacyGetRun>) => {
    const { runId, processId } = input.params;
    // One statement: the run's job (the view needs nothing else of the run) and the stamp that
    // says whether the process's secret in memory is still the one on record. The secret is
    // checked before anything of the run is answered.
    const found = await runs.jobOf(processId, runId);
    const { process, workspaceId } = await authenticateProcessSecret(req, input.params, processes, found?.stamp);
    if (!found) throw new ProcessApiError('NOT_FOUND', `no run ${runId} of process ${process.processId}`);
    describeRequest(res, { automationId: process.automationId, jobId: found.job.id });
    res.json(legacyRunView(runId, found.job, workspaceId));
  };
