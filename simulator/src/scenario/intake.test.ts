import { describe, expect, it } from 'vitest';
import { canTransition, CaseTransition, type CaseStatus } from '@egret/protocol';
import { Rng } from '../rng.ts';
import { planIntake } from './intake.ts';
import { MIDNIGHT, normalDay } from '../../test/city.ts';

const intake = normalDay.intake;

describe(planIntake.name, () => {
  const rng = new Rng(5);
  const plans = Array.from({ length: 4000 }, (_, i) =>
    planIntake(
      {
        caseId: `SZCG-20261122-${String(i).padStart(6, '0')}`,
        source: i % 2 ? 'patrol' : 'hotline',
        at: MIDNIGHT + i * 1000,
      },
      intake,
      rng,
    ),
  );

  it('walks each case through legal steps of the case loop, later than the report and in order', () => {
    plans.forEach((steps, i) => {
      let status: CaseStatus = 'reported';
      let at = MIDNIGHT + i * 1000;
      for (const s of steps) {
        CaseTransition.parse(s);
        expect(canTransition(status, s.to)).toBe(true);
        expect(s.at).toBeGreaterThan(at);
        expect(s.actor.role).toBe('upstream');
        status = s.to;
        at = s.at;
      }
      expect(['filed', 'rejected']).toContain(status);
    });
  });

  it('files most cases within minutes and turns a few away, always with a reason', () => {
    const filed = plans.filter((p) => p.at(-1)!.to === 'filed');
    const rejected = plans.filter((p) => p.at(-1)!.to === 'rejected');
    expect(filed.length / plans.length).toBeGreaterThan(0.9);
    expect(rejected.length / plans.length).toBeGreaterThan(0.02);
    for (const p of rejected) expect(p.at(-1)!.reason?.length).toBeGreaterThan(2);
    expect(rejected.some((p) => p.length === 1)).toBe(true); // turned away at acceptance
    expect(rejected.some((p) => p.length === 2 && p[1]!.reason!.startsWith('不予立案'))).toBe(true);
    const delays = filed.map((p) => p.at(-1)!.at - p[0]!.at).sort((a, b) => a - b); // acceptance to filing
    expect(delays[Math.floor(delays.length / 2)]!).toBeLessThan(20 * 60_000);
  });

  it('turns away more hotline calls than patrol reports', () => {
    const share = (source: number) =>
      plans.filter((p, i) => i % 2 === source && p.at(-1)!.to === 'rejected').length / (plans.length / 2);
    expect(share(0)).toBeGreaterThan(share(1)); // even = hotline
  });
});
