/**
 * End-to-end tests of the user flows, in Debian's Chromium through `dapper serve` (or in
 * Electron when its binary is installed; see e2e/helpers/dapperApp.ts). Run with
 * `npm run test:e2e`, which builds first when needed. Never `npx playwright install`.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: 'artifacts/test-results',
  // The machine is shared and a debuggee is a real Python process: one test at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  retries: 0,
  reporter: [['list']],
});
