import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Real registries and dockerd on a busy 2-core machine: generous limits.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The registry and dockerd tests each start real processes: one file at a time.
    fileParallelism: false,
  },
});
