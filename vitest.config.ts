import { defineConfig } from 'vitest/config';

const node = (name: string, root: string, extra: Record<string, unknown> = {}) => ({
  test: {
    name,
    root,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Inline projects do not inherit the root's timeouts.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    ...extra,
  },
});

/**
 * One `vitest run` runs every package's tests plus the cross-package flows in `test/`.
 * Integration tests get their own Postgres database and Redis key prefix (packages/db/src/testing.ts).
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      node('@switchyard/core', 'packages/core'),
      node('@switchyard/policy', 'packages/policy'),
      node('@switchyard/providers', 'packages/providers'),
      node('@switchyard/evals', 'packages/evals'),
      node('@switchyard/optimizer', 'packages/optimizer'),
      node('@switchyard/db', 'packages/db'),
      node('@switchyard/simulator', 'apps/simulator'),
      node('@switchyard/router', 'apps/router'),
      node('@switchyard/api', 'apps/api'),
      node('@switchyard/cli', 'apps/cli'),
      node('@switchyard/jobs', 'jobs'),
      node('integration', 'test', { include: ['**/*.test.ts'], exclude: ['browser/**'] }),
      { extends: './apps/dashboard/vite.config.ts', test: { name: '@switchyard/dashboard', root: 'apps/dashboard', environment: 'jsdom', include: ['src/**/*.test.ts'] } },
      node('browser', 'test/browser', { include: ['**/*.test.ts'], fileParallelism: false, testTimeout: 120_000 }),
    ],
  },
});
