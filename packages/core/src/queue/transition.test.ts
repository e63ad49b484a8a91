import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../errors.js';
import { canTransition, jobStates, statesLeadingTo } from '../jobs/job-state.js';
import { assertInitialState, batchMoveSql, guardOf, moveSql } from './transition.js';

describe('the transition function', () => {
  for (const from of jobStates) {
    for (const to of jobStates) {
      const legal = canTransition(from, to);
      it(`${legal ? 'builds' : 'refuses to build'} ${from} → ${to}`, () => {
        if (legal) expect(moveSql(to, [from])).toEqual({ set: `state = '${to}'`, guard: `state IN ('${from}')` });
        else expect(() => moveSql(to, [from])).toThrow(InvalidTransitionError);
      });
    }
  }

  it('guards each move with exactly the states the table lets reach it', () => {
    for (const to of jobStates.filter((state) => statesLeadingTo(state).length > 0)) {
      expect(guardOf(to, undefined, 'j.state')).toBe(
        `j.state IN (${statesLeadingTo(to)
          .map((s) => `'${s}'`)
          .join(', ')})`,
      );
    }
    expect(() => guardOf('queued', [])).toThrow(InvalidTransitionError);
    expect(batchMoveSql('running', 'j.state', 'v.state')).toEqual({
      set: 'state = v.state',
      guard: "j.state = 'running' AND v.state IN ('succeeded', 'failed', 'timed_out', 'canceled', 'queued')",
    });
  });

  it('creates jobs only queued or running', () => {
    expect(() => assertInitialState('queued')).not.toThrow();
    expect(() => assertInitialState('running')).not.toThrow();
    for (const state of ['succeeded', 'failed', 'timed_out', 'canceled'] as const)
      expect(() => assertInitialState(state)).toThrow(InvalidTransitionError);
  });
});

const repo = new URL('../../../../', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return /\.(ts|tsx|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });

describe('no state-changing SQL outside the transition function', () => {
  // Migrations 0001–0004 are history: 0005 replaced the claim function 0003 had written.
  const history = /queue\/migrations\/000[1-4]-/;
  const files = [...sources(join(repo, 'packages')), ...sources(join(repo, 'apps'))].filter(
    (path) => !path.endsWith('queue/transition.ts') && !history.test(path),
  );

  it('reads every package and app', () => {
    expect(files.some((path) => path.endsWith('queue/finish-job.ts'))).toBe(true);
    expect(files.some((path) => path.includes('packages/process-api/src/'))).toBe(true);
  });

  it('has no SQL that sets a job state by hand', () => {
    const found: string[] = [];
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      // Every SQL SET clause (an UPDATE's, or one kept apart in a constant), up to its WHERE or the end of the string.
      for (const match of text.matchAll(/\bSET\b((?:(?!\bWHERE\b)[^`;'])*(?:'[^']*'(?:(?!\bWHERE\b)[^`;'])*)*)/g)) {
        // An UPDATE of another table (a delivery's state) sets that table's own column.
        const target = /\bUPDATE\s+(\S+)(?:\s+AS\s+\w+)?\s*$/i.exec(
          text.slice(Math.max(0, match.index - 200), match.index),
        );
        if (target && target[1] !== 'jobs') continue;
        if (/(^|[^.\w])state\s*=/i.test(match[1] ?? ''))
          found.push(`${relative(repo, path)}: ${match[0].slice(0, 80)}`);
      }
      // knex: `<db>('jobs')…update(… state: …)`, the update's argument read up to the statement's end.
      for (const match of text.matchAll(
        /\(\s*'jobs'\s*\)((?:(?!\(\s*'\w+'\s*\))[\s\S]){0,400}?)\.update\(([^;]{0,400})/g,
      )) {
        if (/(^|[\s,{])state\s*:/.test(match[2] ?? '')) found.push(`${relative(repo, path)}: ${match[0].slice(0, 80)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('inserts jobs only where the initial state is checked or fixed', () => {
    const inserting = files
      .filter((path) => /INSERT\s+INTO\s+jobs\b|\(\s*'jobs'\s*\)\s*\.insert\(/i.test(readFileSync(path, 'utf8')))
      .map((path) => relative(repo, path));
    // insert-jobs.ts asserts the state (assertInitialState); enqueue-job.ts inserts 'queued'.
    expect(inserting.sort()).toEqual([
      'packages/core/src/queue/enqueue-job.ts',
      'packages/core/src/queue/insert-jobs.ts',
    ]);
  });
});
