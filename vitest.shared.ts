import { defineConfig } from 'vitest/config';

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
    },
  });
