import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { waitWhileProgressing } from '../../test/wait.ts';
import { testRedis } from './hub-fixture.ts';
import { startHubProcess, type HubProcess } from './hub-process.ts';

/**
 * Issue 14, done when: "Two hubs under the simulator's normal day and its typhoon at 60× dead-letter nothing that
 * one hub would not." Before the one applier, the simulator's own traffic lost 17 case transitions and had 768
 * sensor readings refused `out_of_order` while two hubs ran. Here the real simulator and two real hubs (their
 * main.ts, as processes: two in one process would share one event loop and hardly ever overlap) run on one
 * namespace for a bounded stretch of the world; the test waits for state, not for time.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The refusals that only a change of order produces: the simulator writes each entity's steps in order. */
const ORDER_REASONS = [
  'unknown_case',
  'unknown_unit',
  'unknown_task',
  'unknown_sensor',
  'illegal_transition',
  'out_of_order',
  'unit_mismatch',
  'duplicate',
];

let hubs: HubProcess[] = [];
let stopSim: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopSim?.();
  stopSim = undefined;
  await Promise.all(hubs.map((h) => h.stop()));
  hubs = [];
});

function startSimulator(env: Record<string, string>): {
  output: () => string;
  /** Why it stopped, if it has. */
  exited: () => string | undefined;
  stop: () => Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', SIM_RATE: '60', SIM_UNITS: '240', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-10_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    output: () => out,
    exited: () =>
      child.exitCode !== null || child.signalCode !== null
        ? `the simulator exited (${child.exitCode ?? child.signalCode})`
        : undefined,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

describe('two hubs under the simulator', () => {
  for (const scenario of ['normal-day', 'typhoon-meranti']) {
    it(`apply ${scenario} at 60× without a refusal that only a change of order makes`, async () => {
      const { ns, keys, redis } = await testRedis(`sim2-${scenario}`);
      try {
        const env = { REDIS_URL: inject('redisUrl'), EGRET_NS: ns };
        // The simulator first, the hubs joining a backlog (as after a deployment, or a restart during a storm): with
        // the group shared, each hub would take a big batch at once and apply it beside the other's.
        const sim = startSimulator({ ...env, SIM_SCENARIO: scenario, SIM_SEED: '14', SIM_AUTO_DISPATCH: '0' });
        stopSim = sim.stop;
        // No fixed budget (a loaded machine starts the simulator slowly): while it runs, until the stream holds them.
        let backlog = 0;
        await waitWhileProgressing('a backlog of inputs', {
          done: async () => (backlog = await redis.xLen(keys.inEvents)) >= 1_000,
          progress: () => backlog,
          stallMs: 60_000,
          failed: sim.exited,
        }).catch((err: Error) => {
          throw new Error(`${err.message}\nsimulator said:\n${sim.output()}`);
        });
        hubs = await Promise.all([
          startHubProcess({ ...env, HUB_ID: `sim-a-${scenario}` }),
          startHubProcess({ ...env, HUB_ID: `sim-b-${scenario}` }),
        ]);
        // A stretch of the world with every kind of chain: cases reported and taken through their steps, units
        // changing status, sensors read repeatedly.
        const counts = async () => {
          const cases = Object.values(await redis.hGetAll(keys.cases)).map((c) => JSON.parse(c) as { status: string });
          const read = (await redis.xInfoGroups(keys.inEvents)).find((g) => g.name === keys.ingestGroup)?.[
            'entries-read'
          ];
          return {
            cases: cases.length,
            moved: cases.filter((c) => c.status !== 'reported').length,
            sensors: await redis.hLen(keys.sensors),
            read: Number(read ?? 0),
          };
        };
        let seen = {};
        await waitWhileProgressing(`the ${scenario} under way`, {
          done: async () => {
            const c = await counts();
            seen = c;
            return c.cases >= 20 && c.moved >= 15 && c.sensors > 0 && c.read >= 1_600;
          },
          progress: () => seen,
          stallMs: 30_000,
          failed: sim.exited,
        }).catch((err: Error) => {
          throw new Error(`${err.message} (${JSON.stringify(seen)})\nsimulator said:\n${sim.output()}`);
        });
        await sim.stop();
        stopSim = undefined;
        let group: Awaited<ReturnType<typeof redis.xInfoGroups>>[number] | undefined;
        await waitWhileProgressing('every input entry settled', {
          done: async () => {
            group = (await redis.xInfoGroups(keys.inEvents)).find((g) => g.name === keys.ingestGroup);
            const top = (await redis.xRevRange(keys.inEvents, '+', '-', { COUNT: 1 }))?.[0]?.id;
            return Number(group?.pending) === 0 && group?.['last-delivered-id'] === top;
          },
          progress: () => [group?.pending, group?.['last-delivered-id']],
          stallMs: 30_000,
        });
        // Control-plane dead letters only: the positions stream has no order to keep (the newest fix wins by its time),
        // and the fixes the simulator sent before any hub had applied its units' registrations are `unknown_unit`
        // with one hub as with two.
        const letters = ((await redis.xRange(keys.deadletter, '-', '+')) ?? [])
          .map((e) => e.message)
          .filter((l) => l.source === keys.inEvents);
        const byReason = (r: string) => letters.filter((l) => l.reason === r).map((l) => l.detail);
        expect(Object.fromEntries(ORDER_REASONS.map((r) => [r, byReason(r)]).filter(([, v]) => v!.length > 0))).toEqual(
          {},
        );
        expect(letters.map((l) => `${l.reason}: ${l.detail}`)).toEqual([]);
      } finally {
        await redis.close();
      }
      // ~30 s each on a quiet 2-core machine; the waits fail on a stall, this only bounds a machine crawling.
    }, 600_000);
  }
});
