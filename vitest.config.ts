import { defineConfig } from 'vitest/config';

/**
 * One run for every package. Node-side tests share one real redis-server started by the global setup
 * (each test uses its own key namespace); display component tests run in happy-dom; end-to-end tests drive
 * Debian's Chromium through playwright-core.
 */
/**
 * Server tests that need no Redis: pure deciders, the in-memory store, codecs, parsers. Their project starts no
 * redis-server (a test here that reaches for Redis fails), which keeps the domain testable without one.
 */
const NO_REDIS = [
  'server/src/auth/{origin,passwords,permissions,tokens}.test.ts',
  'server/src/commands/{actor,candidates,decide,execute}.test.ts',
  'server/src/domain/{apply-input,loop-steps,memory-store,parse-input,sensor-step}.test.ts',
  'server/src/log/event-ring.test.ts',
  'server/src/positions/{fix-entry,plan-fixes}.test.ts',
  'server/src/redis/{deadletter,connect,sentinel}.test.ts',
  'server/src/replay/{cold,position-recorder,position-segment}.test.ts',
  'server/test/{command-rules,deployment-compose}.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: NO_REDIS,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['{protocol,config,server,simulator}/src/**/*.test.ts', '{server,simulator}/test/**/*.test.ts'],
          // The fault tests run whole hub processes through 10,000-entry bursts: alongside the other files they
          // starve the timing-sensitive ones (the cross-hub frame test), so they run with the end-to-end tests, one
          // file at a time.
          exclude: ['server/test/faults.test.ts', ...NO_REDIS, '**/node_modules/**'],
          globalSetup: ['test/redis-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      'display/vitest.config.ts',
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts', 'server/test/faults.test.ts'],
          globalSetup: ['test/redis-global-setup.ts', 'test/display-build-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
