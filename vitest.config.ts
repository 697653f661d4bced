import { defineConfig } from 'vitest/config';

// Three projects: fast units beside the code, integration tests against the local stack,
// and browser tests that drive the built extension in real Chromium and Firefox.
export default defineConfig({
  test: {
    // Vitest's default in a run is one worker fewer than the cores: one on a two-core machine, which leaves a
    // core idle whenever a test waits. Two workers run two files side by side, browser files included.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'stack/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/i18n-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/stack/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/i18n-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/support/firefox-template.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // What a poll waits for goes through the worker and back; on a loaded machine that passes a second
          // (vitest's default bound) now and then. A poll ends as soon as it holds, so a passing test is no slower.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
