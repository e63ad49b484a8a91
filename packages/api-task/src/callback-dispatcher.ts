import {
  createDeliveryDispatcher,
  createDeliveryLog,
  isFinal,
  lookAtEnded,
  onJobsOf,
  type Core,
  type DeliveryLog,
  type DeliveryTuning,
  type Job,
} from '@botgate/core';
import { activityRecord, createDeployments, type Deployment } from './deployments.js';

export type CallbackDispatcherOptions = DeliveryTuning;

/** What a deploy's callback says when its run ends: the deploy, its status in the Control Room's words, and its typed output variables. */
const callbackBody = (core: Core, deployment: Deployment, job: Parameters<typeof activityRecord>[1]): string => {
  const record = activityRecord(deployment, job, core.catalog.findByFileId(deployment.fileId));
  return JSON.stringify({
    deploymentId: deployment.deploymentId,
    executionId: record.id,
    automationName: deployment.automationName,
    status: record.status,
    message: record.message,
    userId: record.userId,
    deviceId: record.deviceId,
    botOutput: record.botOutVariables.values,
  });
};

/** Deploys a look reads at a time. */
const pageSize = 500;

/** The tables of this adapter's deliveries: the dispatcher sends from them, the log reads them. */
const deliveryTables = { deliveries: 'api_task_callbacks', attempts: 'api_task_callback_attempts' };

/** What this adapter's deploy callbacks are and were (the console's Deliveries page, the CLI). */
export const deliveryLogOf = (core: Core): DeliveryLog => createDeliveryLog(core.store('api-task'), deliveryTables);

/**
 * Calls `callbackInfo.url` back once a deploy's run ends, with `callbackInfo.headers`, at least
 * once: the callback is a row written from the job's final state (so a run that ended just
 * before a crash is called back after the restart), retried with backoff across restarts.
 */
export const createCallbackDispatcher = (core: Core, options: CallbackDispatcherOptions = {}) => {
  const deployments = createDeployments(core);
  const store = core.store('api-task');
  const write = (deployment: Deployment, job: Job): Promise<void> =>
    deployment.callback
      ? deployments.writeCallback(deployment.deploymentId, {
          url: deployment.callback.url,
          body: callbackBody(core, deployment, job),
        })
      : deployments.writeCallback(deployment.deploymentId);
  // Every deploy still due one, page by page: those whose run has ended get theirs; one whose
  // job is gone (removed by retention) never can, and is taken off.
  const collect = async (): Promise<void> => {
    let after: Deployment | undefined;
    for (;;) {
      const page = await deployments.callbackDue(pageSize, after);
      for (const { deployment, job } of page) {
        if (!job) await deployments.writeCallback(deployment.deploymentId);
        else if (isFinal(job.state)) await write(deployment, job);
      }
      if (page.length < pageSize) return;
      after = page.at(-1)?.deployment;
    }
  };
  // The runs heard ending here: a look at their deploys alone (a real-time run has none).
  const collectEnded = (jobs: readonly Job[]) =>
    lookAtEnded(jobs, async (ended, known) => {
      const due = await deployments.callbackDueOf(ended.map(({ id }) => id));
      for (const deployment of due) await write(deployment, known.get(deployment.jobId) as Job);
      return due.length;
    });
  return createDeliveryDispatcher({
    store,
    tables: deliveryTables,
    collect,
    collectEnded,
    headersOf: async (delivery) => (await deployments.callbackHeaders(delivery.deployment_id as string)) ?? {},
    subscribe: onJobsOf(core.jobs, 'api-task'),
    what: 'deploy callback',
    ...options,
  });
};

export type CallbackDispatcher = ReturnType<typeof createCallbackDispatcher>;
