import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../errors.js';
import { assertTransition, canTransition, isFinal, jobStates, statesLeadingTo, type JobState } from './job-state.js';

const allowed: Array<[JobState, JobState]> = [
  ['queued', 'running'],
  ['queued', 'canceled'],
  ['queued', 'failed'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['running', 'timed_out'],
  ['running', 'canceled'],
  ['running', 'queued'],
];

describe('job state machine', () => {
  for (const from of jobStates) {
    for (const to of jobStates) {
      const legal = allowed.some(([f, t]) => f === from && t === to);
      it(`${legal ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(legal);
        if (legal) expect(() => assertTransition(from, to)).not.toThrow();
        else expect(() => assertTransition(from, to, 7)).toThrow(InvalidTransitionError);
      });
    }
  }

  it('has final states that lead nowhere', () => {
    expect(jobStates.filter(isFinal)).toEqual(['succeeded', 'failed', 'timed_out', 'canceled']);
  });

  it('derives the SQL guard of each move from the table', () => {
    expect(statesLeadingTo('canceled')).toEqual(['queued', 'running']);
    expect(statesLeadingTo('running')).toEqual(['queued']);
    expect(statesLeadingTo('failed')).toEqual(['queued', 'running']);
  });
});
