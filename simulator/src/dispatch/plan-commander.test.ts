import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openApp, type App } from '@egret/server/app';
import { config } from '../../test/city.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../publish/connect.ts';
import { openPlanWork } from '../hub/open-plan-work.ts';
import { HttpHub } from './hub-client.ts';
import { activationKey, PlanCommander, type PlanCommanderLog } from './plan-commander.ts';

const silent = pino({ level: 'silent' });
const PLAN = { planId: 'civilised-city', level: 'III' as const, reason: '迎接全国文明城市年度测评' };

function recorder(): PlanCommanderLog & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  return {
    lines,
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj }),
    info: (obj, msg) => lines.push({ level: 'info', msg, obj }),
  };
}

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let hub: App | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  await hub?.close();
  await redis?.close();
  hub = redis = undefined;
});

async function openHub(): Promise<{ url: string; ns: string }> {
  const ns = testNamespace('plan-commander');
  redis = await connectRedis(inject('redisUrl'));
  hub = await openApp({
    redisUrl: inject('redisUrl'),
    config,
    ns,
    hubId: `hub-${ns}`,
    logger: silent,
    displayDir: '/nonexistent',
  });
  return { url: `http://127.0.0.1:${await hub.listen(0, '127.0.0.1')}`, ns };
}

describe(PlanCommander.name, () => {
  it('activates the scenario’s plan once through the hub’s HTTP commands, as a commander, and the hub issues its rounds', async () => {
    const { url, ns } = await openHub();
    const log = recorder();
    const key = activationKey('civilised-city', 20160915, 1_700_000_000_000);
    const commander = new PlanCommander({
      hub: new HttpHub(url, { user: 'sim-commander' }),
      plan: PLAN,
      idempotencyKey: key,
      log,
    });
    commander.tick();
    commander.tick(); // one request in flight, not two
    await commander.stop();
    expect(commander.done).toBe(true);
    const world = () => hub!.world();
    await until(() => world().plans.get('civilised-city')?.level === 'III');
    const activation = world().plans.get('civilised-city')!;
    expect(activation.actor.id).toBe('sim-commander');
    expect(activation.reason).toBe(PLAN.reason);
    // Ⅲ holds Ⅳ's and its own rounds: the assessment points and the billboards, every point once.
    const assessment = config.pointSets.get('assessment-points')!.length;
    const billboards = config.pointSets.get('billboards')!.length;
    await until(() => world().inspections.size === assessment + billboards);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'info', msg: 'the commander activated the plan' })]);
    expect(world().mode).toBe('civilised_city');

    // Ticked again after every step: nothing more is sent.
    commander.tick();
    await commander.stop();
    expect(log.lines).toHaveLength(1);
    // A restarted simulator (a new commander, the same run's key) gets the hub's first answer back, not a second
    // activation; another drill's key is refused as already at that level, and says so.
    const again = recorder();
    const retry = new PlanCommander({
      hub: new HttpHub(url, { user: 'sim-commander' }),
      plan: PLAN,
      idempotencyKey: key,
      log: again,
    });
    retry.tick();
    await retry.stop();
    expect(again.lines[0]?.level).toBe('info');
    const other = recorder();
    const second = new PlanCommander({
      hub: new HttpHub(url, { user: 'sim-commander' }),
      plan: PLAN,
      idempotencyKey: activationKey('civilised-city', 1, 2),
      log: other,
    });
    second.tick();
    await second.stop();
    expect(other.lines).toEqual([
      expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ error: 'already_at_level' }) }),
    ]);
    expect(world().inspections.size).toBe(assessment + billboards);

    // A simulator restarting now finds the round open for its squads (and nothing for a squad it does not play).
    const squads = new Set(
      config.city.districts.flatMap((d) => [1, 2, 3, 4].slice(0, d.squads).map((k) => `SQ-${d.code}-0${k}`)),
    );
    const open = await openPlanWork(redis!, ns, squads, new Set());
    expect(open.inspections).toHaveLength(assessment + billboards);
    expect(open.orders).toEqual([]);
    const one = (await openPlanWork(redis!, ns, new Set(['SQ-350203-01']), new Set())).inspections;
    expect(one.length).toBeGreaterThan(0);
    expect(one.length).toBeLessThan(open.inspections.length);
    expect(one.every((i) => i.squadId === 'SQ-350203-01')).toBe(true);
  });

  it('asks again a few seconds after a hub that does not answer, and not before', async () => {
    let now = 1_000;
    const log = recorder();
    // Nothing listens on port 9 (discard) of the loopback here: connection refused.
    const commander = new PlanCommander({
      hub: new HttpHub('http://127.0.0.1:9', { timeoutMs: 1_000 }),
      plan: PLAN,
      idempotencyKey: 'k',
      log,
      now: () => now,
    });
    commander.tick();
    await commander.stop();
    expect(commander.done).toBe(false);
    expect(log.lines.map((l) => l.msg)).toEqual(['the hub did not answer the plan activation; retrying']);
    now += 4_000;
    commander.tick();
    await commander.stop();
    expect(log.lines).toHaveLength(1);
    now += 1_000;
    commander.tick();
    await commander.stop();
    expect(log.lines).toHaveLength(2);
  });
});
