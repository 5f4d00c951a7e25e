import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// Adapter tests drive the BUILT adapter (bin/dapper-adapter.js → dist/) through a real DAP
// client against real Python programs, so they are slow-ish and share 2 cores: run files
// one at a time, with generous timeouts.
export default defineConfig({
  root: repoRoot,
  test: {
    environment: 'node',
    include: ['adapter/test/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['adapter/test/buildIfStale.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
