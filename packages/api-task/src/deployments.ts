import { randomUUID } from 'node:crypto';
import { toTypedJson, type Automation, type Core, type Job, type Values } from '@botgate/core';
import type { User } from './auth/users.js';

export interface Deployment {
  deploymentId: string;
  jobId: number;
  fileId: number;
  automationName: string;
  userId: number;
  username: string;
  callback: { url: string; headers: Record<string, string> } | null;
  createdAt: Date;
}

interface DeploymentRow {
  deployment_id: string;
  job_id: number;
  file_id: number;
  automation_name: string;
  user_id: number;
  username: string;
  callback_url: string | null;
  callback_headers: string | null;
  created_at: number | string;
}

const toDeployment = (row: DeploymentRow): Deployment => ({
  deploymentId: row.deployment_id,
  jobId: Number(row.job_id),
  fileId: Number(row.file_id),
  automationName: row.automation_name,
  userId: Number(row.user_id),
  username: row.username,
  callback:
    row.callback_url === null
      ? null
      : { url: row.callback_url, headers: JSON.parse(row.callback_headers ?? '{}') as Record<string, string> },
  createdAt: new Date(Number(row.created_at)),
});

const pad = (n: number) => String(n).padStart(2, '0');

/** The Control Room's default name of a deploy: `<fileName>.<YYYY.MM.DD.HH.mm.ss>.<username>`. */
export const defaultAutomationName = (fileName: string, at: Date, username: string): string =>
  `${fileName}.${at.getUTCFullYear()}.${pad(at.getUTCMonth() + 1)}.${pad(at.getUTCDate())}.${pad(at.getUTCHours())}.${pad(at.getUTCMinutes())}.${pad(at.getUTCSeconds())}.${username}`;

/** An execution's id as the Control Room writes them (`<deploymentId>_<16 hex>`): here the job's number. */
export const executionIdOf = (deployment: Pick<Deployment, 'deploymentId' | 'jobId'>): string =>
  `${deployment.deploymentId}_${deployment.jobId.toString(16).padStart(16, '0')}`;

/** The Control Room's words for a job's state. */
export const activityStatusOf = (job: Pick<Job, 'state'>): string =>
  ({
    queued: 'DEPLOYED',
    running: 'RUNNING',
    succeeded: 'COMPLETED',
    failed: 'RUN_FAILED',
    timed_out: 'RUN_TIMED_OUT',
    canceled: 'RUN_ABORTED',
  })[job.state];

/** Bot deploys over core jobs: the deploy's row commits with its job. */
export const createDeployments = (core: Core) => {
  const table = () => core.store('api-task').table<DeploymentRow>('api_task_deployments');
  const withJobs = async (rows: DeploymentRow[]): Promise<Array<{ deployment: Deployment; job: Job }>> => {
    const found = await Promise.all(
      rows.map(async (row) => ({ deployment: toDeployment(row), job: await core.jobs.find(Number(row.job_id)) })),
    );
    return found.filter((f): f is { deployment: Deployment; job: Job } => f.job !== undefined);
  };
  return {
    /** Queues the automation with these inputs; answered only once the job and its row are written. */
    async deploy(
      automation: Automation,
      inputs: Values,
      user: User,
      options: {
        automationName?: string | undefined;
        callback?: Deployment['callback'];
        idempotencyKey?: string | undefined;
      },
    ): Promise<{ deployment: Deployment | undefined; job: Job }> {
      const now = new Date();
      const row: DeploymentRow = {
        deployment_id: randomUUID(),
        job_id: 0,
        file_id: automation.fileId,
        automation_name:
          options.automationName ??
          defaultAutomationName(automation.repositoryPath.split('\\').at(-1) as string, now, user.username),
        user_id: user.id,
        username: user.username,
        callback_url: options.callback?.url ?? null,
        callback_headers: options.callback ? JSON.stringify(options.callback.headers) : null,
        created_at: now.getTime(),
      };
      const { job, record } = await core.jobs.enqueueRecorded({
        automationId: automation.id,
        adapter: 'api-task',
        inputs,
        ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
        record: async (tx, created) => {
          row.job_id = created.id;
          await tx.query(
            'INSERT INTO api_task_deployments (deployment_id, job_id, file_id, automation_name, user_id, username, callback_url, callback_headers, callback_due, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [
              row.deployment_id,
              row.job_id,
              row.file_id,
              row.automation_name,
              row.user_id,
              row.username,
              row.callback_url,
              row.callback_headers,
              row.callback_url !== null,
              row.created_at,
            ],
          );
          return toDeployment(row);
        },
        // A repeated Idempotency-Key: the deploy its first job made (none when that job is not a deploy).
        recordOf: async (first) => {
          const found = await table().where({ job_id: first.id }).first();
          return found ? toDeployment(found) : undefined;
        },
      });
      return { deployment: record, job };
    },
    /** Of these jobs, the deploys whose callback is not written yet. */
    async callbackDueOf(jobIds: readonly number[]): Promise<Deployment[]> {
      if (jobIds.length === 0) return [];
      const rows = await core
        .store('api-task')
        .query<DeploymentRow>(
          `SELECT * FROM api_task_deployments WHERE callback_due AND job_id IN (${jobIds.map(() => '?').join(', ')})`,
          jobIds,
        );
      return rows.map(toDeployment);
    },
    /**
     * Deploys whose callback is not written yet, oldest first, `limit` after `after` (the last of
     * the page before), each with its job (none when retention removed it).
     */
    async callbackDue(limit: number, after?: Deployment): Promise<Array<{ deployment: Deployment; job?: Job }>> {
      const rows = await core
        .store('api-task')
        .query<DeploymentRow>(
          `SELECT * FROM api_task_deployments WHERE callback_due${
            after ? ' AND (created_at > ? OR (created_at = ? AND deployment_id > ?))' : ''
          } ORDER BY created_at, deployment_id LIMIT ?`,
          after ? [after.createdAt.getTime(), after.createdAt.getTime(), after.deploymentId, limit] : [limit],
        );
      return Promise.all(
        rows.map(async (row) => ({ deployment: toDeployment(row), job: await core.jobs.find(Number(row.job_id)) })),
      );
    },
    /**
     * Writes a deploy's callback, to `url` with `body` (once: a second is ignored), and takes the
     * deploy off those due one, in one transaction; without a callback, only takes it off.
     */
    async writeCallback(deploymentId: string, callback?: { url: string; body: string }): Promise<void> {
      await core.store('api-task').transaction(async (tx) => {
        const now = Date.now();
        if (callback)
          await tx.query(
            `INSERT INTO api_task_callbacks (id, deployment_id, url, body, state, attempts, next_attempt_at, created_at)
               VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (deployment_id) DO NOTHING`,
            [randomUUID(), deploymentId, callback.url, callback.body, now, now],
          );
        await tx.query('UPDATE api_task_deployments SET callback_due = ? WHERE deployment_id = ?', [
          false,
          deploymentId,
        ]);
      });
    },
    async callbackHeaders(deploymentId: string): Promise<Record<string, string> | undefined> {
      const [row] = await core
        .store('api-task')
        .query<DeploymentRow>('SELECT * FROM api_task_deployments WHERE deployment_id = ?', [deploymentId]);
      return row ? toDeployment(row).callback?.headers : undefined;
    },
    /** These deploys, or (without ids) the newest `limit`; each with its job. */
    async withJobs(
      deploymentIds: readonly string[] | undefined,
      limit: number,
    ): Promise<Array<{ deployment: Deployment; job: Job }>> {
      return withJobs(
        deploymentIds
          ? await table().whereIn('deployment_id', deploymentIds)
          : await table().orderBy('created_at', 'desc').limit(limit),
      );
    },
  };
};

export type Deployments = ReturnType<typeof createDeployments>;

/** An execution as `v3/activity/list` answers it; empty values are `""`, as the Control Room's are. */
export const activityRecord = (deployment: Deployment, job: Job, automation: Automation | undefined) => {
  const declared = automation ? Object.keys(automation.outputs) : [];
  const values = Object.fromEntries(
    Object.entries(job.outputs)
      .filter(([name]) => declared.length === 0 || declared.includes(name))
      .map(([name, value]) => [name, toTypedJson(value)]),
  );
  const status = activityStatusOf(job);
  return {
    id: executionIdOf(deployment),
    deploymentId: deployment.deploymentId,
    automationId: '',
    automationName: deployment.automationName,
    automationPriority: 'PRIORITY_MEDIUM',
    type: 'RUN_NOW',
    fileId: String(deployment.fileId),
    fileName: automation ? (automation.repositoryPath.split('\\').at(-1) as string) : '',
    filePath: automation?.repositoryPath ?? '',
    status,
    message: job.state === 'succeeded' || job.error === null ? '' : job.error,
    progress: status === 'COMPLETED' ? 100 : 0,
    userId: String(deployment.userId),
    userName: deployment.username,
    createdBy: String(deployment.userId),
    createdOn: deployment.createdAt.toISOString(),
    modifiedOn: (job.finishedAt ?? job.startedAt ?? deployment.createdAt).toISOString(),
    startDateTime: job.startedAt?.toISOString() ?? '',
    endDateTime: job.finishedAt?.toISOString() ?? '',
    deviceId: '',
    deviceName: job.leaseOwner ?? '',
    callbackInfo: deployment.callback ? deployment.callback.url : '',
    botOutVariables: { values },
  };
};
