import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, as vitest's own order, but a file whose last run took under a second is taken
 * as unknown and goes first. The PostgreSQL pass runs after the SQLite one and reads its
 * durations, where a file of tests that only run on PostgreSQL (several nodes on one database)
 * took no time; ordered last, such a file ran alone for its whole minute at the end of the pass.
 */
class UnknownThenLongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const quick = (spec: TestSpecification): boolean => {
      const key = `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`;
      const duration = this.ctx.cache.getFileTestResults(key)?.duration;
      return duration !== undefined && duration < 1000;
    };
    return [...sorted.filter(quick), ...sorted.filter((spec) => !quick(spec))];
  }
}

/**
 * The test settings every package shares. Workspace packages are inlined and resolved through
 * their `source` export, so a package's tests run against its dependencies' sources, not their
 * last build.
 */
export const packageTestConfig = ({ filesAtOnce = 1 }: { filesAtOnce?: number } = {}) =>
  defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // Integration tests start real servers and child processes; on 2 cores, files running in
      // parallel turn timing into noise, so a package runs several only where its tests wait on
      // other processes far more than they compute.
      fileParallelism: filesAtOnce > 1,
      maxWorkers: filesAtOnce,
      server: { deps: { inline: [/@botgate\//] } },
      ...(filesAtOnce > 1 ? { sequence: { sequencer: UnknownThenLongestFirst } } : {}),
    },
  });
