import pino from 'pino';
import { inject } from 'vitest';
import { openApp, type App } from '@egret/server/app';
import {
  redisKeys,
  worldNow,
  type CaseTransition,
  type InputMessage,
  type LogEvent,
  type LonLat,
} from '@egret/protocol';
import type { CityScenarioFile } from '@egret/config';
import { HttpHub } from '../src/dispatch/hub-client.ts';
import { parseEntry } from '../src/hub/log-tail.ts';
import { startLive, type LiveSimulation } from '../src/live.ts';
import { connectRedis, type Redis } from '../src/publish/connect.ts';
import { RedisPublisher } from '../src/publish/redis-publisher.ts';
import { systemClock } from '../src/runner.ts';
import { createCityWorld } from '../src/scenario/city-world.ts';
import { testNamespace } from '../../test/namespace.ts';
import { config, geometry, MIDNIGHT, normalDay, places } from './city.ts';

/** World time of the runs: 10:00 in Xiamen. */
export const TEN_AM = MIDNIGHT + 10 * 3_600_000;
/** World ms per real ms: a world minute passes in 100 ms. */
export const RATE = 600;

/** normal-day with no cases of its own and everyone on duty and online: only the test's cases happen. */
export function quietDay(edit: (s: CityScenarioFile) => CityScenarioFile = (s) => s): CityScenarioFile {
  return edit({
    ...normalDay,
    cases: { ...normalDay.cases, perDay: 0 },
    units: {
      ...normalDay.units,
      shifts: [{ name: 'all-day', from: '00:00', to: '24:00', share: 1 }],
      offline: { ...normalDay.units.offline, perUnitPerHour: 0 },
    },
  });
}

/** A real hub (openApp) and the simulator's live wiring against one namespace of the test Redis, at RATE×. */
export class LiveCity {
  readonly keys;
  private sim!: { stopper: AbortController; live: LiveSimulation };

  private constructor(
    readonly ns: string,
    readonly hub: App,
    readonly hubUrl: string,
    readonly redis: Redis,
    private readonly scenario: CityScenarioFile,
    private readonly seed: number | string,
  ) {
    this.keys = redisKeys(ns);
  }

  static async start(scenario: CityScenarioFile, seed: number | string = 11): Promise<LiveCity> {
    const ns = testNamespace('loop');
    const redisUrl = inject('redisUrl');
    const hub = await openApp({
      redisUrl,
      config,
      ns,
      hubId: `hub-${ns}`,
      logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      displayDir: '/nonexistent-display-dist',
    });
    const port = await hub.listen(0, '127.0.0.1');
    const city = new LiveCity(ns, hub, `http://127.0.0.1:${port}`, await connectRedis(redisUrl), scenario, seed);
    await city.startSimulator(TEN_AM);
    return city;
  }

  /** Starts the simulator (again) at world time `worldStart`: the same city, seed and units. */
  async startSimulator(worldStart: number): Promise<void> {
    const { ns, redis } = this;
    const world = createCityWorld({
      scenario: this.scenario,
      config,
      geometry,
      places,
      seed: this.seed,
      totalUnits: 60,
      start: worldStart,
    });
    const stopper = new AbortController();
    const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
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
      hub: new HttpHub(this.hubUrl),
      log,
    });
    this.sim = { stopper, live };
    await this.until(
      'the hub runs the simulator’s clock',
      () => this.hub.world().clock.rate === RATE && this.hub.world().clock.baseWorld === worldStart,
    );
  }

  /** Stops the simulator; the hub runs on. */
  async stopSimulator(): Promise<void> {
    this.sim.stopper.abort(new Error('stopped by the test'));
    await this.sim.live.done;
  }

  /** World time now, by the hub's clock. */
  now(): number {
    return worldNow(this.hub.world().clock, Date.now());
  }

  /** Reports a case at a point and has the intake desk accept and file it, as the case system would. */
  async fileCase(caseId: string, position: LonLat, code = '09006'): Promise<void> {
    const at = this.now();
    const lead: CaseTransition['actor'] = { role: 'upstream', id: 'shift-lead-01' };
    const messages: InputMessage[] = [
      {
        kind: 'case.report',
        caseId,
        category: { code, standard: 'GB/T 47678.5-2026' },
        source: 'hotline',
        urgency: 'normal',
        lon: position[0],
        lat: position[1],
        address: '思明区 测试路',
        at,
      },
      {
        kind: 'case.transition',
        caseId,
        to: 'accepted',
        actor: { role: 'upstream', id: 'intake-clerk-01' },
        at: at + 1,
      },
      { kind: 'case.transition', caseId, to: 'filed', actor: lead, at: at + 2 },
    ];
    for (const m of messages) await this.redis.xAdd(this.keys.inEvents, '*', { data: JSON.stringify(m) });
  }

  /** Every event in the hub's log so far. */
  async log(): Promise<LogEvent[]> {
    const entries = (await this.redis.xRange(this.keys.log, '-', '+')) ?? [];
    return entries.flatMap((e) => {
      const r = parseEntry(e.message as Record<string, string>);
      return r.ok ? [r.event] : [];
    });
  }

  async until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  async stop(): Promise<void> {
    await this.stopSimulator();
    await this.hub.close();
    await this.redis.close();
  }
}
