import { describe, expect, it } from 'vitest';
import { actionsAt, levelRank, PLAN_LEVELS, type PlanLevel, type SignalLevel } from '@egret/protocol';
import { locateDistrict } from '@egret/config';
import { config, geometry } from '../../../test/city.ts';
import { meranti } from '../../../test/typhoon.ts';
import { signalChanges } from './signals.ts';

/**
 * The typhoon plan of the command manual (config/plans/typhoon.json) against the storm the typhoon-meranti scenario
 * plays: the hub raises the plan by its `typhoon_signal` triggers (lane P1), so the levels must follow the signals
 * this storm gives the city, and what each level orders must be done before the landfall it prepares for.
 */
const plan = config.plans.find((p) => p.id === 'typhoon')!;
const HOUR = 3_600_000;
const landfall = meranti.track.landfall.at;
const changes = signalChanges(meranti.track, meranti.signals.cityPoint, meranti.window.start, meranti.window.end, {
  holdHours: meranti.signals.holdHours,
});
const SIGNALS: SignalLevel[] = ['none', 'blue', 'yellow', 'orange', 'red'];
/** When the storm's signal first reaches `level` or higher (the window's start if it already had). */
const firstAtLeast = (level: SignalLevel) =>
  changes.find((c) => SIGNALS.indexOf(c.level) >= SIGNALS.indexOf(level))?.at;
/** The level the hub's trigger raises the plan to while the signal is `s`: the highest whose colour it reaches. */
function levelFor(s: SignalLevel): PlanLevel | undefined {
  let best: PlanLevel | undefined;
  for (const l of plan.levels)
    for (const t of l.triggers)
      if (t.kind === 'typhoon_signal' && SIGNALS.indexOf(s) >= SIGNALS.indexOf(t.atLeast))
        if (!best || levelRank(l.level) > levelRank(best)) best = l.level;
  return best;
}

describe('the typhoon plan and Typhoon Meranti', () => {
  it('rises Ⅲ → Ⅱ → Ⅰ with the storm’s yellow, orange and red before landfall, and never lowers by itself', () => {
    const before = changes.filter((c) => c.at <= landfall);
    const levels = before.map((c) => levelFor(c.level));
    expect(levels).toEqual(['III', 'II', 'I']);
    expect(firstAtLeast('red')!).toBeLessThan(landfall - 6 * HOUR);
    expect(PLAN_LEVELS.every((l) => plan.levels.some((d) => d.level === l))).toBe(true);
  });

  it('has the posts of the orange and yellow pre-positioning in place, and the billboards and trees checked, before landfall', () => {
    for (const [level, signal] of [
      ['III', 'yellow'],
      ['II', 'orange'],
    ] as const) {
      const raisedAt = firstAtLeast(signal)!;
      for (const a of plan.levels.find((l) => l.level === level)!.actions)
        if (a.kind === 'preposition' || a.kind === 'round')
          expect(raisedAt + a.dueMinutes * 60_000, `${level} ${a.id}`).toBeLessThan(landfall - 2 * HOUR);
    }
    const rounds = actionsAt(plan, 'II').flatMap((a) => (a.kind === 'round' ? [a.pointSet] : []));
    expect(rounds.sort()).toEqual(['billboards', 'street-trees']);
  });

  it('pre-positions first on the coast the storm comes ashore on (翔安), at points on land in their districts', () => {
    const landfallDistrict = '350213';
    const coast = actionsAt(plan, 'III').find((a) => a.kind === 'preposition');
    const posts = config.pointSets.get('typhoon-posts')!;
    expect(coast?.kind).toBe('preposition');
    if (coast?.kind !== 'preposition') return;
    const targets = coast.targets.map((t) => posts.find((p) => p.id === t.pointId)!);
    expect(targets.filter((p) => p.district === landfallDistrict).length).toBeGreaterThanOrEqual(3);
    for (const p of posts) expect(locateDistrict(geometry.shapes, p.position)).toBe(p.district);
  });

  it('watches the ponding points at red, every two hours while it holds', () => {
    const watch = actionsAt(plan, 'I').find((a) => a.kind === 'round' && a.pointSet === 'ponding-points');
    expect(watch?.kind === 'round' && [watch.dueMinutes, watch.repeatMinutes]).toEqual([60, 120]);
    const red = changes.find((c) => c.level === 'red')!;
    const redEnds = changes.find((c) => c.at > red.at)!.at;
    // The red signal holds long enough for several watches.
    expect((redEnds - red.at) / (120 * 60_000)).toBeGreaterThan(3);
  });
});
