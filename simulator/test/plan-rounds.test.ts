import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpHub } from '../src/dispatch/hub-client.ts';
import { PlanCommander } from '../src/dispatch/plan-commander.ts';
import { config } from './city.ts';
import { LiveCity, quietDay } from './live-city.ts';

let city: LiveCity | undefined;
afterEach(async () => {
  await city?.stop();
  city = undefined;
});

/**
 * The simulator's squads working a plan's round against a real hub (issue #17): the commander activates the
 * 文明创建 plan at Ⅳ through the hub's HTTP commands, the hub issues every assessment point to a squad, and the
 * simulated units go, check and report through the input stream — the hub takes each check (no dead letter), a
 * problem becomes a case the intake desk files.
 */
describe('squads working a plan’s round with a real hub', () => {
  it('checks the assessment points the hub issued, each once, and a problem found becomes a case the intake desk takes', async () => {
    city = await LiveCity.start(quietDay(), 17);
    const c = city;
    const commander = new PlanCommander({
      hub: new HttpHub(c.hubUrl, { user: 'sim-commander' }),
      plan: { planId: 'civilised-city', level: 'IV', reason: '文明创建常态测评' },
      idempotencyKey: 'plan-rounds-test',
      log: pino({ level: 'silent' }),
    });
    commander.tick();
    await commander.stop();
    const points = config.pointSets.get('assessment-points')!.length;
    const inspections = () => [...c.hub.world().inspections.values()];
    await c.until('the round issued', () => inspections().length === points);

    // About two world hours at 600×: each squad's free unit works its points one after another.
    await c.until(
      'thirty checks and a problem found',
      () =>
        inspections().filter((i) => i.status !== 'open').length >= 30 &&
        inspections().some((i) => i.status === 'problem'),
      40_000,
    );
    const checked = inspections().filter((i) => i.status !== 'open');
    const units = new Set(c.hub.world().units.keys());
    expect(units.size).toBe(60);
    for (const i of checked) {
      expect(units.has(i.unitId!)).toBe(true);
      expect(c.hub.world().units.get(i.unitId!)?.squadId).toBe(i.squadId);
      expect(i.checkedAt!).toBeGreaterThanOrEqual(i.issuedAt);
    }
    const problem = checked.find((i) => i.status === 'problem')!;
    expect(problem.caseId).toMatch(/^XC-/);
    await c.until(
      'the intake desk taking the problem’s case',
      () => c.hub.world().cases.get(problem.caseId!)?.status !== 'reported',
    );
    const kase = c.hub.world().cases.get(problem.caseId!)!;
    expect(kase.category.code).toBe('09006');
    expect(kase.source).toBe('patrol');
    // Each point was checked once: the log holds one inspection.checked per checked inspection, and no check of
    // the simulator's was dead-lettered.
    const log = await c.log();
    const checks = log.filter((e) => e.type === 'inspection.checked');
    expect(new Set(checks.map((e) => e.type === 'inspection.checked' && e.inspection.id)).size).toBe(checks.length);
    const dead = (await c.redis.xRange(c.keys.deadletter, '-', '+')) ?? [];
    expect(dead.filter((d) => JSON.stringify(d.message).includes('inspection.check'))).toEqual([]);
  }, 90_000);

  it('sends the units the hub orders to the typhoon’s posts there, where the hub sees them arrive', async () => {
    city = await LiveCity.start(quietDay(), 19);
    const c = city;
    // The roster registered and placed first, as on a morning the storm's signal comes.
    await c.until('the roster at the hub', () => c.hub.world().units.size === 60);
    await c.until('the roster’s fixes', async () => (await c.redis.hLen(c.keys.positions)) === 60);
    const commander = new PlanCommander({
      hub: new HttpHub(c.hubUrl, { user: 'sim-commander' }),
      plan: { planId: 'typhoon', level: 'III', reason: '台风黄色预警' },
      idempotencyKey: 'plan-posts-test',
      log: pino({ level: 'silent' }),
    });
    commander.tick();
    await commander.stop();
    const orders = () => [...c.hub.world().prepositions.values()];
    // Ⅲ asks for 16 units at the coast's posts, 10 of them in 翔安, which has 9 units here (3 squads of 3): the hub
    // orders the nearest available units of each post's district, so 15 at most.
    await c.until('the orders given', () => orders().length >= 12);
    const wanted = orders().length;
    // Every order goes to a unit of ours, and most are in place well before the orders' 6-hour deadline
    // (measured: 14 of 15 seen arrived 41–91 world minutes after the order).
    await c.until(
      'the units in place',
      () => orders().filter((o) => o.arrivedAt !== undefined).length >= wanted * 0.75,
      45_000,
    );
    const arrived = orders().filter((o) => o.arrivedAt !== undefined);
    console.log(
      'P3',
      arrived.map((o) => Math.round((o.arrivedAt! - o.orderedAt) / 60_000)),
    );
    for (const o of arrived) {
      expect(o.arrivedAt!).toBeGreaterThanOrEqual(o.orderedAt);
      expect(c.hub.world().units.has(o.unitId)).toBe(true);
    }
  }, 90_000);
});
