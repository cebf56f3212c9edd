import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The end-to-end tests start real local servings: one file at a time.
    fileParallelism: false,
  },
});
