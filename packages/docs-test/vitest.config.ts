import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The tutorial run starts a local serving and real processes: generous, machine is shared.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
