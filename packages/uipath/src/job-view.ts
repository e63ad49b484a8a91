import { hostname } from 'node:os';
import { valuesToPlain, type Core, type Job } from '@botgate/core';
import type { Folder } from './folders.js';
import type { UipathJob } from './uipath-jobs.js';

/** Orchestrator's job states (API guide, enumerated types). */
export type UipathJobState = 'Pending' | 'Running' | 'Stopping' | 'Terminating' | 'Faulted' | 'Successful' | 'Stopped';

/** A botgate job's state in Orchestrator's words; a running job asked to stop says how. */
export const stateOf = (job: Job, record: UipathJob): UipathJobState => {
  switch (job.state) {
    case 'queued':
      return 'Pending';
    case 'running':
      if (record.stopStrategy === 'Kill') return 'Terminating';
      return record.stopStrategy === 'SoftStop' || job.cancelRequested ? 'Stopping' : 'Running';
    case 'succeeded':
      return 'Successful';
    case 'canceled':
      return 'Stopped';
    default:
      return 'Faulted';
  }
};

const infoOf = (job: Job): string | null => {
  switch (job.state) {
    case 'succeeded':
      return 'Job completed';
    case 'canceled':
      return 'Job stopped';
    case 'failed':
    case 'timed_out':
      return job.error ?? `the job ended ${job.state}`;
    default:
      return null;
  }
};

const node = hostname();

/** The fields of a job that `$filter`, `$orderby` and `$select` may name. */
export const jobFields = new Set([
  'Key',
  'StartTime',
  'EndTime',
  'State',
  'JobPriority',
  'SpecificPriorityValue',
  'Source',
  'SourceType',
  'BatchExecutionKey',
  'Info',
  'CreationTime',
  'StartingScheduleId',
  'ReleaseName',
  'Type',
  'InputArguments',
  'OutputArguments',
  'HostMachineName',
  'HasMediaRecorded',
  'HasVideoRecorded',
  'PersistenceId',
  'ResumeVersion',
  'StopStrategy',
  'RuntimeType',
  'RequiresUserInteraction',
  'ReleaseVersionId',
  'EntryPointPath',
  'OrganizationUnitId',
  'OrganizationUnitFullyQualifiedName',
  'Reference',
  'ProcessType',
  'ProfilingOptions',
  'ResumeOnSameContext',
  'LocalSystemAccount',
  'OrchestratorUserIdentity',
  'Id',
]);

/** A job as Orchestrator's `JobDto` shows it. */
export const jobView = (core: Core, job: Job, record: UipathJob, folder: Folder): Record<string, unknown> => {
  const state = stateOf(job, record);
  const ended = state === 'Successful' || state === 'Faulted' || state === 'Stopped';
  return {
    Key: record.key,
    StartTime: job.startedAt?.toISOString() ?? null,
    EndTime: job.finishedAt?.toISOString() ?? null,
    State: state,
    JobPriority: 'Normal',
    SpecificPriorityValue: 45,
    Source: 'Manual',
    SourceType: 'Manual',
    BatchExecutionKey: record.batchKey,
    Info: infoOf(job),
    CreationTime: job.createdAt.toISOString(),
    StartingScheduleId: null,
    ReleaseName: core.catalog.find(job.automationId)?.name ?? job.automationId,
    Type: 'Unattended',
    InputArguments: record.inputArguments,
    OutputArguments: ended ? JSON.stringify(valuesToPlain(job.outputs)) : null,
    HostMachineName: job.state === 'queued' ? null : node,
    HasMediaRecorded: false,
    HasVideoRecorded: false,
    PersistenceId: null,
    ResumeVersion: null,
    StopStrategy: record.stopStrategy,
    RuntimeType: 'Unattended',
    RequiresUserInteraction: false,
    ReleaseVersionId: record.releaseId,
    EntryPointPath: null,
    OrganizationUnitId: folder.id,
    OrganizationUnitFullyQualifiedName: folder.displayName,
    Reference: '',
    ProcessType: 'Process',
    ProfilingOptions: null,
    ResumeOnSameContext: false,
    LocalSystemAccount: '',
    OrchestratorUserIdentity: null,
    Id: job.id,
  };
};
