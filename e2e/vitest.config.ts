// End-to-end suite: real Chromium (playwright-core) against the real headless orchestrator and
// simulator peers. One file at a time: the machine has two cores and a browser is heavy.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
