import type { Job } from '@botgate/core';
import type { Process } from './processes.js';
import { robotRunIdOf, type Run } from './runs.js';
import type { WorkItem } from './work-items.js';

/** Robocorp's work item states. */
export type WorkItemState = 'NEW' | 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/**
 * A work item's state, from the job of its run: every item of a run shares the run's outcome
 * (the FileAdapter a robot writes through records no release per item).
 */
export const workItemStateOf = (job: Pick<Job, 'state'> | undefined): WorkItemState =>
  job === undefined
    ? 'NEW'
    : job.state === 'queued'
      ? 'PENDING'
      : job.state === 'running'
        ? 'IN_PROGRESS'
        : job.state === 'succeeded'
          ? 'COMPLETED'
          : 'FAILED';

/** A process work item as Robocorp lists it; `payload` only with `includeData=true`. */
export const workItemView = (
  item: WorkItem,
  found: { run: Run; job: Job } | undefined,
  process: Process,
  workspaceId: string,
  includeData: boolean,
) => ({
  id: item.id,
  state: workItemStateOf(found?.job),
  createTs: item.createdAt.toISOString(),
  stateTs: (found?.job.finishedAt ?? found?.job.startedAt ?? found?.run.createdAt ?? item.createdAt).toISOString(),
  workspaceId,
  processId: process.processId,
  processName: process.name,
  processRunId: found?.run.runId ?? null,
  processRunNo: found?.run.runNo ?? null,
  // The robot run (step run) that has or had it: the run's current or last attempt.
  activityRunId: found && found.job.attempt > 0 ? robotRunIdOf(found.run, { number: found.job.attempt }) : null,
  files: item.files.map((file) => ({ name: file.name, size: file.size })),
  ...(includeData ? { payload: item.payload } : {}),
});
