import { createServer } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openApp, type App } from '@egret/server/app';
import { redisKeys, type DispatchCommand, type InputMessage, type LogEvent, type LonLat } from '@egret/protocol';
import { config } from '../../test/city.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { LogTail } from '../hub/log-tail.ts';
import { connectRedis, type Redis } from '../publish/connect.ts';
import { AutoDispatcher, type AutoDispatcherLog } from './auto-dispatcher.ts';
import { HttpHub, HubUnreachableError, type HubApi } from './hub-client.ts';

const SCENE: LonLat = [118.09, 24.46];
const silent = pino({ level: 'silent' });

/** A hub on the test Redis, units near the scene, and the hub's log tailed into an auto-dispatcher. */
class Desk {
  readonly keys;
  readonly hubs: App[] = [];
  tail!: LogTail;
  private constructor(
    readonly ns: string,
    readonly redis: Redis,
  ) {
    this.keys = redisKeys(ns);
  }

  static async open(): Promise<{ desk: Desk; url: string }> {
    const desk = new Desk(testNamespace('auto'), await connectRedis(inject('redisUrl')));
    const url = await desk.startHub(0);
    desk.tail = await LogTail.open(desk.redis, { ns: desk.ns });
    // Two squads' enforcement units, U-A nearer the scene than U-B, and a sanitation crew.
    const at = Date.now();
    const units: [string, string, LonLat][] = [
      ['U-A', 'SQ-350203-01', [118.092, 24.461]],
      ['U-B', 'SQ-350203-02', [118.1, 24.468]],
      ['U-C', 'SQ-350203-02', [118.104, 24.47]],
    ];
    for (const [unitId, squadId] of units) {
      await desk.send({
        kind: 'unit.register',
        unitId,
        name: unitId,
        type: 'enforcement',
        squadId,
        district: '350203',
        status: 'available',
        at,
      });
    }
    await desk.until(() => desk.hubs[0]!.world().units.size === units.length);
    await desk.redis.xAdd(desk.keys.inPositions, '*', {
      data: JSON.stringify({ fixes: units.map(([unitId, , [lon, lat]]) => ({ unitId, lon, lat, at })) }),
    });
    await desk.until(async () => (await desk.redis.hLen(desk.keys.positions)) === units.length);
    return { desk, url };
  }

  async startHub(port: number): Promise<string> {
    const app = await openApp({
      redisUrl: inject('redisUrl'),
      config,
      ns: this.ns,
      hubId: `hub-${this.hubs.length}-${this.ns}`,
      logger: silent,
      displayDir: '/nonexistent',
    });
    this.hubs.push(app);
    return `http://127.0.0.1:${await app.listen(port, '127.0.0.1')}`;
  }

  send(m: InputMessage): Promise<string> {
    return this.redis.xAdd(this.keys.inEvents, '*', { data: JSON.stringify(m) });
  }

  async fileCase(caseId: string): Promise<void> {
    const at = Date.now();
    await this.send({
      kind: 'case.report',
      caseId,
      category: { code: '09006', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'normal',
      lon: SCENE[0],
      lat: SCENE[1],
      address: '',
      at,
    });
    await this.send({ kind: 'case.transition', caseId, to: 'accepted', actor: { role: 'upstream', id: 'clerk' }, at });
    await this.send({ kind: 'case.transition', caseId, to: 'filed', actor: { role: 'upstream', id: 'lead' }, at });
    await this.until(() => this.hubs[0]!.world().cases.get(caseId)?.status === 'filed');
  }

  tasks(caseId: string) {
    return [...this.hubs[0]!.world().tasks.values()].filter((t) => t.caseId === caseId);
  }

  /** Ticks the dispatcher with world time (the real clock here) until `cond` holds. */
  async run(d: AutoDispatcher, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    await this.until(() => {
      d.tick(Date.now());
      return cond();
    }, timeoutMs);
  }

  async until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    await this.tail.close();
    for (const h of this.hubs) await h.close();
    await this.redis.close();
  }
}

/** A log that keeps what it is told. */
function recorder(): AutoDispatcherLog & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  return {
    lines,
    warn: (_o, msg) => lines.push({ level: 'warn', msg }),
    info: (_o, msg) => lines.push({ level: 'info', msg }),
  };
}

function dispatcherFor(desk: Desk, hub: HubApi, log = recorder()): AutoDispatcher {
  const d = new AutoDispatcher({ hub, afterMs: 0, log, backoff: { firstMs: 20, maxMs: 100 } });
  desk.tail.subscribe((events: readonly LogEvent[]) => d.observe(events));
  return d;
}

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

describe(AutoDispatcher.name, () => {
  it('dispatches a filed case to the best unit the hub ranks, once', async () => {
    const opened = await Desk.open();
    desk = opened.desk;
    const d = dispatcherFor(desk, new HttpHub(opened.url));
    await desk.fileCase('C-1');
    await desk.run(d, () => desk!.tasks('C-1').length > 0);
    for (let k = 0; k < 20; k++) d.tick(Date.now());
    await d.stop();
    expect(desk.tasks('C-1').map((t) => [t.unitId, t.actor])).toEqual([
      ['U-A', { role: 'commander', id: 'sim-auto-dispatcher' }],
    ]);
    expect(d.stats).toMatchObject({ dispatched: 1, refused: 0 });
  });

  it('never offers a case to units it is told to leave alone (fixed posts), however well the hub ranks them', async () => {
    const opened = await Desk.open();
    desk = opened.desk;
    const d = new AutoDispatcher({
      hub: new HttpHub(opened.url),
      afterMs: 0,
      log: recorder(),
      backoff: { firstMs: 20, maxMs: 100 },
      skipUnits: new Set(['U-A']),
    });
    desk.tail.subscribe((events: readonly LogEvent[]) => d.observe(events));
    await desk.fileCase('C-7');
    await desk.run(d, () => desk!.tasks('C-7').length > 0);
    await d.stop();
    expect(desk.tasks('C-7').map((t) => t.unitId)).toEqual(['U-B']);
  });

  it('offers the case to the next unit when the first was taken meanwhile', async () => {
    const opened = await Desk.open();
    desk = opened.desk;
    const http = new HttpHub(opened.url);
    await desk.fileCase('C-3'); // filed before the dispatcher starts: the commander's to dispatch
    // Between the ranking and the dispatch a commander sends U-A to C-3, as happens on a busy desk.
    let raced = false;
    const racing: HubApi = {
      candidates: async (caseId) => {
        const r = await http.candidates(caseId);
        if (!raced) {
          raced = true;
          expect(await http.dispatch({ caseId: 'C-3', unitId: 'U-A', idempotencyKey: 'desk-click-1' })).toMatchObject({
            ok: true,
          });
        }
        return r;
      },
      dispatch: (c) => http.dispatch(c),
    };
    const d = dispatcherFor(desk, racing);
    await desk.fileCase('C-2');
    await desk.run(d, () => desk!.tasks('C-2').length > 0);
    await d.stop();
    expect(desk.tasks('C-2').map((t) => t.unitId)).toEqual(['U-B']);
    expect(desk.tasks('C-3').map((t) => t.unitId)).toEqual(['U-A']);
    expect(d.stats).toMatchObject({ dispatched: 1, refused: 1 });
  });

  it('sends a dispatch that got no answer again, with the same key and unit', async () => {
    const opened = await Desk.open();
    desk = opened.desk;
    const http = new HttpHub(opened.url);
    const sent: DispatchCommand[] = [];
    const flaky: HubApi = {
      candidates: (caseId) => http.candidates(caseId),
      dispatch: async (c) => {
        sent.push(c);
        if (sent.length === 1) throw new HubUnreachableError('connection reset before the hub read it');
        return http.dispatch(c);
      },
    };
    const d = dispatcherFor(desk, flaky);
    await desk.fileCase('C-4');
    await desk.run(d, () => d.stats.dispatched === 1);
    await d.stop();
    expect(sent.map((c) => [c.unitId, c.idempotencyKey])).toEqual([
      ['U-A', 'sim-auto:C-4:1:0'],
      ['U-A', 'sim-auto:C-4:1:0'],
    ]);
    expect(desk.tasks('C-4')).toHaveLength(1);
  });

  it('makes one task when the hub took a dispatch but its answer was lost', async () => {
    const opened = await Desk.open();
    desk = opened.desk;
    const http = new HttpHub(opened.url);
    const sent: DispatchCommand[] = [];
    const lossy: HubApi = {
      candidates: (caseId) => http.candidates(caseId),
      dispatch: async (c) => {
        sent.push(c);
        const r = await http.dispatch(c);
        if (sent.length === 1) throw new HubUnreachableError('the answer was lost on the way back');
        return r;
      },
    };
    const d = dispatcherFor(desk, lossy);
    await desk.fileCase('C-6');
    await desk.run(d, () => desk!.tasks('C-6').length > 0);
    const until = Date.now() + 300;
    await desk.run(d, () => Date.now() > until); // keeps ticking: a resend may go out, but only with the same key
    await d.stop();
    expect(new Set(sent.map((c) => c.idempotencyKey))).toEqual(new Set(['sim-auto:C-6:1:0']));
    expect(desk.tasks('C-6')).toHaveLength(1);
  });

  it('warns once while the hub does not answer, keeps trying, and dispatches when it is back', async () => {
    const opened = await Desk.open();
    desk = opened.desk;
    const port = await freePort();
    const log = recorder();
    const d = dispatcherFor(desk, new HttpHub(`http://127.0.0.1:${port}`, { timeoutMs: 1_000 }), log);
    await desk.fileCase('C-5');
    await desk.run(d, () => d.stats.unanswered >= 3);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    await desk.startHub(port); // a second hub on the address the dispatcher knows
    await desk.run(d, () => desk!.tasks('C-5').length > 0);
    await d.stop();
    expect(desk.tasks('C-5')).toHaveLength(1);
    expect(log.lines.map((l) => l.msg)).toContain('auto-dispatch: the hub answers again');
  });
});

/** A loopback port nothing listens on (yet). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
