import { randomUUID } from 'node:crypto';
import {
  createDeliveryDispatcher,
  createDeliveryLog,
  isFinal,
  onJobsOf,
  type Core,
  type DeliveryLog,
  type DeliveryTuning,
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
  const collect = async (): Promise<void> => {
    for (const { deployment, job } of await deployments.awaitingCallback(500)) {
      if (!isFinal(job.state) || !deployment.callback) continue;
      const now = Date.now();
      await store
        .table('api_task_callbacks')
        .insert({
          id: randomUUID(),
          deployment_id: deployment.deploymentId,
          url: deployment.callback.url,
          body: callbackBody(core, deployment, job),
          state: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        })
        .onConflict('deployment_id')
        .ignore();
    }
  };
  return createDeliveryDispatcher({
    store,
    tables: deliveryTables,
    collect,
    headersOf: async (delivery) => (await deployments.callbackHeaders(delivery.deployment_id as string)) ?? {},
    subscribe: onJobsOf(core.jobs, 'api-task'),
    what: 'deploy callback',
    ...options,
  });
};

export type CallbackDispatcher = ReturnType<typeof createCallbackDispatcher>;
