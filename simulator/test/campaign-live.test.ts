import pino from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openApp, type App } from '@egret/server/app';
import { redisKeys } from '@egret/protocol';
import { activationKey } from '../src/dispatch/plan-commander.ts';
import { HttpHub } from '../src/dispatch/hub-client.ts';
import { startLive, type LiveSimulation } from '../src/live.ts';
import { connectRedis, type Redis } from '../src/publish/connect.ts';
import { RedisPublisher } from '../src/publish/redis-publisher.ts';
import { systemClock } from '../src/runner.ts';
import { createWorld } from '../src/scenario/registry.ts';
import { testNamespace } from '../../test/namespace.ts';
import { config, geometry, MIDNIGHT, places } from './city.ts';

const RATE = 600;
const silent = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

let run: { hub: App; redis: Redis; stopper: AbortController; live: LiveSimulation } | undefined;
afterEach(async () => {
  if (!run) return;
  run.stopper.abort(new Error('test over'));
  await run.live.done;
  await run.hub.close();
  await run.redis.close();
  run = undefined;
});

async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The environmental-inspection scenario as `main.ts` runs it (issue #17), against a real hub at 600×: the world's
 * commander activates its plan through the hub's HTTP commands, the sites' dust and noise monitors register and
 * read, the campaign's reports come in, and none of what the simulator sends is dead-lettered.
 */
describe('environmental-inspection against a real hub', () => {
  it('has its plan activated by the commander, its site monitors reading, and its reports filed, with nothing refused', async () => {
    const ns = testNamespace('campaign');
    const redisUrl = inject('redisUrl');
    const hub = await openApp({ redisUrl, config, ns, hubId: `hub-${ns}`, logger: silent, displayDir: '/nonexistent' });
    const url = `http://127.0.0.1:${await hub.listen(0, '127.0.0.1')}`;
    const redis = await connectRedis(redisUrl);
    const worldStart = MIDNIGHT + 10.5 * 3_600_000;
    const world = createWorld({
      name: 'environmental-inspection',
      config,
      places,
      geometry,
      seed: 7,
      start: worldStart,
      units: 60,
    });
    const stopper = new AbortController();
    const live = await startLive({
      client: redis,
      ns,
      world,
      publisher: new RedisPublisher(redis, { ns, positionsMaxLen: 10_000, signal: stopper.signal }),
      clock: systemClock,
      rate: RATE,
      worldStart,
      fixIntervalMs: 5_000,
      signal: stopper.signal,
      hub: new HttpHub(url),
      planHub: {
        api: new HttpHub(url, { user: 'sim-commander' }),
        idempotencyKey: activationKey(world.scenario, 7, worldStart),
      },
      log: silent,
    });
    run = { hub, redis, stopper, live };
    const w = () => hub.world();

    await until('the plan in force', () => w().plans.get('environmental-inspection')?.level === 'III');
    expect(w().plans.get('environmental-inspection')!.actor.id).toBe('sim-commander');
    expect(w().mode).toBe('environmental');
    const sites = config.pointSets.get('construction-sites')!.length;
    const restaurants = config.pointSets.get('restaurants')!.length;
    await until('the rounds issued', () => w().inspections.size === sites + restaurants);
    await until(
      'the dust monitors registered',
      () => [...w().sensors.values()].filter((s) => s.kind === 'dust').length === 62,
    );

    // An hour and a half of world time: the campaign's reports are in, the squads have checked sites.
    await until(
      'campaign reports and checks',
      () =>
        [...w().cases.keys()].filter((id) => id.startsWith('HBDC-')).length >= 3 &&
        [...w().inspections.values()].filter((i) => i.status !== 'open').length >= 10,
      40_000,
    );
    const dead = (await redis.xRange(redisKeys(ns).deadletter, '-', '+')) ?? [];
    expect(dead.map((d) => d.message)).toEqual([]);
  }, 90_000);
});
