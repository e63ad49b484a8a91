import { defineConfig } from 'vitest/config';

/**
 * The test settings every package shares. Workspace packages are inlined and resolved through
 * their `source` export, so a package's tests run against its dependencies' sources, not their
 * last build.
 */
export const packageTestConfig = ({ parallelFiles = false }: { parallelFiles?: boolean } = {}) =>
  defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // Integration tests start real servers and child processes; on 2 cores, files running in
      // parallel turn timing into noise.
      fileParallelism: parallelFiles,
      server: { deps: { inline: [/@botgate\//] } },
    },
  });
