import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn servers and the CLI; two cores, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
