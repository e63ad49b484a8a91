import { InvalidTransitionError } from '../errors.js';

/**
 * Glossary
 * - queued: accepted and durable, waiting for a free slot.
 * - running: claimed by one node, which holds a lease on it and renews it by heartbeat.
 * - succeeded | failed | timed_out | canceled: final; a final job never changes state again.
 * A running job goes back to queued when it will be retried, or when its node stops or dies.
 * A queued job fails without running when it never can (its automation left the catalog).
 */
export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'canceled'] as const;

export type JobState = (typeof jobStates)[number];

export type FinalJobState = Exclude<JobState, 'queued' | 'running'>;

/**
 * The transition table: the only moves a job can make. Every statement that changes a job's
 * state is built from it (`queue/transition.ts`).
 */
const transitions: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['running', 'canceled', 'failed'],
  running: ['succeeded', 'failed', 'timed_out', 'canceled', 'queued'],
  succeeded: [],
  failed: [],
  timed_out: [],
  canceled: [],
};

export const isJobState = (value: unknown): value is JobState =>
  typeof value === 'string' && (jobStates as readonly string[]).includes(value);

export const canTransition = (from: JobState, to: JobState): boolean => transitions[from].includes(to);

export const assertTransition = (from: JobState, to: JobState, jobId?: number): void => {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to, jobId);
};

/** The states a job may be in for a move to `to`: the guard of the SQL update. */
export const statesLeadingTo = (to: JobState): JobState[] => jobStates.filter((from) => canTransition(from, to));

/** The states a job may move to from `from`. */
export const statesReachableFrom = (from: JobState): readonly JobState[] => transitions[from];

/** The states a job can be created in: queued (a trigger), or running (a real-time run, written as it starts). */
export const initialStates: readonly JobState[] = ['queued', 'running'];

export const isFinal = (state: JobState): state is FinalJobState => transitions[state].length === 0;
