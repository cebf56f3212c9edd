import { defineConfig } from 'vitest/config';

// Generous timeouts: the machine is shared, and some tests spawn the built app.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000 } });
