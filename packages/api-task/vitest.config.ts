import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The integration tests start real servers and child processes; on 2 cores, running
    // files in parallel turns timing into noise.
    fileParallelism: false,
  },
});
