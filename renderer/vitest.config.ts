import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: repoRoot,
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['renderer/**/*.test.{ts,tsx}'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    setupFiles: ['renderer/test/setup.ts'],
    // jsdom renders of the whole app take seconds on a loaded 2-core machine; a test waits for
    // what the user would see, so only a hang should hit this limit.
    testTimeout: 30_000,
  },
});
