export { createCore } from './create-core.js';
export type { Core, CoreJobs, CoreWorker } from './core.js';
export type { CoreOptions } from './config.js';
export type { CoreSettings, CoreSettingsInput } from './core-settings.js';
export {
  BotgateError,
  VariableError,
  InvalidTransitionError,
  isBotgateError,
  errorCodes,
  type ErrorCode,
} from './errors.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { Automation, RunSpec } from './catalog/automation.js';
export type { Catalog } from './catalog/create-catalog.js';
export { manifestFileName } from './catalog/load-catalog.js';
export type {
  Job,
  JobAttempt,
  AttemptState,
  JobFile,
  JobErrorCode,
  InputWorkItem,
  OutputWorkItem,
} from './jobs/job.js';
export {
  jobStates,
  isFinal,
  isJobState,
  canTransition,
  assertTransition,
  type JobState,
  type FinalJobState,
} from './jobs/job-state.js';
export type { EnqueueRequest, JobService, RecordedEnqueueRequest } from './jobs/create-job-service.js';
export type { ExecuteRequest, ExecutedJob } from './jobs/create-executor.js';
export type { InputFile } from './jobs/stage-input-files.js';
export { sanitizeFileName } from './jobs/sanitize-file-name.js';
export type { JobCountFilter, JobFilter } from './queue/job-queries.js';
export type { JobChanges, JobSummary, MinuteActivity } from './queue/job-changes.js';
export type { Readiness } from './queue/readiness.js';
export type { StorageHealth } from './queue/storage-health.js';
export type { ChangeStamps, HeldStamp, StampedCache } from './queue/change-stamps.js';
export { actOnKept } from './queue/act-on-kept.js';
export { storageFailureOf } from './queue/storage-error.js';
export { unstorableTextOf } from './queue/unstorable-text.js';
export type { DatabaseConfig, Database } from './queue/database.js';
export { createDatabase } from './queue/database.js';
export { createSequence } from './queue/sequence.js';
export type { AdapterStore, StoreQueries, StoreTransaction } from './store/adapter-store.js';
export type { RateLimiterOptions } from './store/rate-limiter.js';
export { ConcurrencyLimitError, type ConcurrencySlots } from './concurrency/concurrency-slots.js';
export type { EndedCursor, EndedJob } from './queue/job-queries.js';
export type { Migration, MigrationDatabase } from './queue/migrations/index.js';
export { jobPaths } from './runners/job-paths.js';
export type { SpawnerKind } from './runners/create-spawner.js';
export { followJob, type JobUpdate } from './jobs/follow-job.js';
export type { WorkerNode } from './queue/node-registry.js';
export * from './variables/index.js';
export { parseDuration } from './duration.js';
export { compareText } from './compare-text.js';
export { durationSchema } from './catalog/manifest-schema.js';
export type { AdapterCommand, AdapterDescriptor } from './adapter-descriptor.js';
export type { RemovedJobRows } from './jobs/removed-job-rows.js';
export { lookAtEnded } from './deliveries/look-at-ended.js';
export {
  createDeliveryDispatcher,
  onJobsOf,
  type DeliveryDispatcher,
  type DeliveryDispatcherOptions,
  type DeliveryRow,
  type DeliveryTuning,
} from './deliveries/create-delivery-dispatcher.js';
export {
  createDeliveryLog,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryLog,
  type DeliveryState,
  type DeliveryTables,
} from './deliveries/delivery-log.js';
export { deliveryCommands } from './deliveries/delivery-commands.js';
