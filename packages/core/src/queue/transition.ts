import type { Knex } from 'knex';
import { InvalidTransitionError } from '../errors.js';
import {
  assertTransition,
  initialStates,
  statesLeadingTo,
  statesReachableFrom,
  type JobState,
} from '../jobs/job-state.js';
import type { Database } from './database.js';

/**
 * The one place where SQL changes a job's state: every such statement takes its guard (the
 * states a job may be in for the move) from the transition table through these functions, so a
 * move the table forbids cannot be written. States are inlined as literals (they come from the
 * table, never from input), which keeps each statement's text fixed for the statement cache.
 */

const literals = (states: readonly JobState[]): string => states.map((state) => `'${state}'`).join(', ');

/**
 * `<column> IN (…)`: the states the table lets reach `to`, narrowed to `from` when given (every
 * state of `from` must be allowed to reach `to`).
 */
export const guardOf = (to: JobState, from: readonly JobState[] = statesLeadingTo(to), column = 'state'): string => {
  if (from.length === 0) throw new InvalidTransitionError('(nothing)', to);
  for (const state of from) assertTransition(state, to);
  return `${column} IN (${literals(from)})`;
};

/** A move's SQL: `set` (the new state) and `guard` (the states it may leave, see `guardOf`). */
export const moveSql = (
  to: JobState,
  from?: readonly JobState[],
  column = 'state',
): { set: string; guard: string } => ({
  set: `state = '${to}'`,
  guard: guardOf(to, from, column),
});

/**
 * For a batch whose rows each name their own target (`targetColumn`), all leaving `from`: the
 * row must be in `from` and its target one the table allows from there.
 */
export const batchMoveSql = (from: JobState, column: string, targetColumn: string): { set: string; guard: string } => ({
  set: `state = ${targetColumn}`,
  guard: `${column} = '${from}' AND ${targetColumn} IN (${literals(statesReachableFrom(from))})`,
});

export interface Move {
  to: JobState;
  /** Only from these states (each must be allowed to reach `to`). @default every state the table allows */
  from?: readonly JobState[];
  where: Record<string, unknown>;
  /** Other columns written with the move. */
  set?: Record<string, unknown>;
}

/** Moves the jobs `where` selects that may make the move; answers how many moved. */
export const transitionJobs = (db: Database | Knex.Transaction, move: Move): Promise<number> =>
  db('jobs')
    .where(move.where)
    .whereRaw(guardOf(move.to, move.from))
    .update({ ...move.set, state: move.to });

/** A job is created queued (a trigger) or running (a real-time run); no other state can be inserted. */
export const assertInitialState = (state: JobState): void => {
  if (!initialStates.includes(state)) throw new InvalidTransitionError('(new)', state);
};
