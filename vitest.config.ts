import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/longest-first.ts';

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
  'server/src/log/{event-ring,mirror-snapshots,snapshot-json}.test.ts',
  'server/src/positions/{fix-entry,plan-fixes}.test.ts',
  'server/src/redis/{deadletter,connect,sentinel}.test.ts',
  'server/src/replay/{cold,position-recorder,position-segment,snapshot-policy}.test.ts',
  'server/test/{command-rules,deployment-compose}.test.ts',
];

/**
 * The test that runs the real simulator against a hub in real time (a simulated day at 1200×). It used to run alone,
 * last: starved by other files the hub fell behind and the day it recorded came out thinner than the test asks. Now
 * it records every mark it passed even when the hub trails (a count of marks, not a flag) and waits as long as the
 * log progresses, and the hub applies input in batches (3–6× faster): it runs beside the end-to-end files, like the
 * two-hubs simulator test, instead of adding its ~80 s at the end.
 */
const REAL_SIMULATOR = ['server/src/replay/replay-exactness.test.ts'];
/**
 * Two hubs under the real simulator at 60×: light (the hubs wait on the simulator most of the time) and checking order,
 * not speed, so it runs beside an end-to-end file like the fault tests, not alone at the end.
 */
const TWO_HUBS_SIMULATOR = 'server/test/two-hubs-simulator.test.ts';

export default defineConfig({
  test: {
    // Two groups, one after the other (`sequence.groupOrder`): unit, display and node together, three files at a
    // time on 2 cores (vitest's default there is one): most of the node project's time is waiting — on hub
    // processes, Redis, sockets, a screen kept away for 30 s — so more files than cores fill the idle time (the group
    // on a 2-core VM, beside the linter: 230 s two at a time, 205 s three). Then the end-to-end files (below).
    // EGRET_FIRST_WORKERS sets another number.
    maxWorkers: Number(process.env.EGRET_FIRST_WORKERS) || Math.max(3, availableParallelism() - 1),
    // Within a group, the files known to run longest first (test/longest-first.ts): no core idles at a group's end.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: NO_REDIS,
          // Pure tests (no mocks, globals, env or module state they change): one module graph for all of them
          // instead of a fresh one per file, which was two thirds of this project's time.
          isolate: false,
          // scrypt at N=2^17 takes ~0.3 s alone and took 5 s beside other jobs: the default 5 s is a speed bound.
          testTimeout: 30_000,
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
          exclude: [
            'server/test/faults.test.ts',
            TWO_HUBS_SIMULATOR,
            ...REAL_SIMULATOR,
            ...NO_REDIS,
            '**/node_modules/**',
          ],
          globalSetup: ['test/redis-global-setup.ts'],
          // One module graph per worker, as in unit: the files change no env, timers or globals and each uses its own
          // Redis namespace, and importing the server again per file was half the project's CPU (284 s of CPU for the
          // project isolated, 155 s not, the same machine under the same load).
          isolate: false,
          // A guard against a hang, not a speed bound: the longest CPU-bound tests (typhoon-world's 72 simulated
          // hours) take ~5 s on a quiet machine and overran 30 s beside other jobs. Waits on processes fail on a stall
          // instead (test/wait.ts).
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      'display/vitest.config.ts',
      'display/vitest.dom.config.ts',
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts', 'server/test/faults.test.ts', TWO_HUBS_SIMULATOR, ...REAL_SIMULATOR],
          globalSetup: ['test/redis-global-setup.ts', 'test/display-build-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Three files at a time whatever the machine. Measured per process on a 2-core VM (2026-12-07), the group is
          // CPU-bound at three (1.95 cores busy from start to end; /usr/bin/time had shown ~1, as it does not count
          // Chromium's processes): Chromium ~60 % (page loads: JavaScript, SwiftShader), the hubs and tests ~25 %, the
          // simulators ~13 %. A third file overlaps the waits of the files that mostly wait (a 40-s outage, a real-time
          // simulator). EGRET_E2E_WORKERS=1 runs one at a time, to attribute CPU to files (docs/performance.md).
          maxWorkers: Number(process.env.EGRET_E2E_WORKERS) || 3,
          // One module graph per worker, as in node: playwright and the hub loaded once, not once per file.
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
