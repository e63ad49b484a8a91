import { jobPaths, type Job } from '@botgate/core';
import { sendJobFile, type InputOf } from '@botgate/http';
import type { processApiContract } from '../contract.js';
import type { Request, Response } from 'express';
import { authenticateWorkspaceKey } from '../authenticate.js';
import { ProcessApiError } from '../errors.js';
import type { FileGrants } from '../file-grants.js';
import { derivedId, robotRunIdOf, robotRunView, type Run } from '../runs.js';
import type { V1Deps } from './v1-routes.js';

const findRobotRun = async (
  { core, processes, runs, keys }: V1Deps,
  req: Request,
  params: { workspaceId: string; processId: string; runId: string; robotRunId?: string },
) => {
  const { process, workspaceId } = await authenticateWorkspaceKey(req, params, { keys, processes }, 'read_runs');
  const { runId, robotRunId } = params;
  const found = await runs.find(process.processId, runId);
  if (!found) throw new ProcessApiError('NOT_FOUND', `no run ${runId} of process ${process.processId}`);
  const attempts = await core.jobs.attempts(found.job);
  const attempt =
    robotRunId === undefined ? undefined : attempts.find((a) => robotRunIdOf(found.run, a) === robotRunId);
  if (robotRunId !== undefined && !attempt)
    throw new ProcessApiError('NOT_FOUND', `run ${runId} has no robot run ${robotRunId}`);
  return { ...found, process, workspaceId, attempts, attempt };
};

/** The files a robot run left: the output files, which belong to the run's last attempt (an earlier one's were replaced). */
const artifactsOf = (run: Run, job: Job, attemptNumber: number) =>
  attemptNumber === job.attempt
    ? job.outputFiles.map((file) => ({
        id: derivedId(run.runId, 'artifact', file.name),
        fileName: file.name,
        fileSize: file.size,
      }))
    : [];

/** `GET …/runs/:runId/robotRuns`: the run's robot runs (one per attempt), first to last, as a bare array. */
export const v1ListRobotRuns =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.robotRuns>) => {
    const { run, attempts } = await findRobotRun(deps, req, input.params);
    res.json(attempts.map((attempt) => robotRunView(run, attempt)));
  };

/** `GET …/runs/:runId/robotRuns/:robotRunId`: one robot run (`get_process_run_status` with a step run). */
export const v1GetRobotRun =
  (deps: V1Deps) => async (req: Request, res: Response, input: InputOf<typeof processApiContract.robotRun>) => {
    const { run, attempt } = await findRobotRun(deps, req, input.params);
    res.json(robotRunView(run, attempt as NonNullable<typeof attempt>));
  };

/** `GET …/robotRuns/:robotRunId/artifacts`: its files, as a bare array of `{ id, fileName, fileSize }`. */
export const v1RobotRunArtifacts =
  (deps: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.robotRunArtifacts>) => {
    const { run, job, attempt } = await findRobotRun(deps, req, input.params);
    res.json(artifactsOf(run, job, (attempt as NonNullable<typeof attempt>).number));
  };

/**
 * `GET …/robotRuns/:robotRunId/artifacts/:artifactId/:fileName`: as Robocorp, a JSON string, the
 * URL to download the file from; it needs no key (a signed grant, valid `lifetimeMs`).
 */
export const v1RobotRunArtifactLink =
  (deps: V1Deps) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.robotRunArtifactLink>) => {
    const { run, job, attempt, process } = await findRobotRun(deps, req, input.params);
    const { artifactId, robotRunId } = input.params;
    const artifact = artifactsOf(run, job, (attempt as NonNullable<typeof attempt>).number).find(
      (a) => a.id === artifactId,
    );
    if (!artifact) throw new ProcessApiError('NOT_FOUND', `robot run ${robotRunId} has no artifact ${artifactId}`);
    const grant = await deps.grants.sign({
      kind: 'download',
      runId: run.runId,
      processId: process.processId,
      fileName: artifact.fileName,
    });
    res.json(
      `${deps.baseUrl(req)}/process-v1/downloads/${grant}/${artifact.fileName.split('/').map(encodeURIComponent).join('/')}`,
    );
  };

/** `GET /process-v1/downloads/:grant/<name>`: the file a download grant names, with no key. */
export const signedDownload =
  (deps: Pick<V1Deps, 'runs'>, grants: FileGrants) =>
  async (req: Request, res: Response, input: InputOf<typeof processApiContract.signedDownload>) => {
    const claims = await grants.verify(input.params.grant, 'download');
    const found = await deps.runs.find(claims.processId, claims.runId);
    const missing = () => new ProcessApiError('NOT_FOUND', `the file "${claims.fileName}" is no longer kept`);
    if (!found || !found.job.outputFiles.some((file) => file.name === claims.fileName)) throw missing();
    await sendJobFile(res, jobPaths(found.job.workDir).outputDir, claims.fileName, missing);
  };
