import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { inspectorOf, planVerification } from './verification.ts';
import { normalDay } from '../../../test/city.ts';

const T0 = Date.parse('2026-11-22T10:00:00+08:00');
const profile = normalDay.verification;

describe(planVerification.name, () => {
  it('has the district’s inspector start the check after the handling and close the case after it', () => {
    const [start, end] = planVerification(
      { caseId: 'C-1', district: '350203', handledAt: T0 },
      profile,
      new Rng('v/C-1#1'),
    );
    expect(start).toMatchObject({
      kind: 'case.transition',
      caseId: 'C-1',
      to: 'verifying',
      actor: { role: 'upstream', id: 'inspector-350203' },
    });
    expect(start!.at).toBeGreaterThan(T0);
    expect(end!.at).toBeGreaterThan(start!.at);
    expect(inspectorOf('350206')).toEqual({ role: 'upstream', id: 'inspector-350206' });
  });

  it('sends about 6 % back to be dispatched again (返工), with a reason, and closes the rest', () => {
    const ends = Array.from(
      { length: 10_000 },
      (_, k) =>
        planVerification({ caseId: `C-${k}`, district: '350203', handledAt: T0 }, profile, new Rng(`v/C-${k}#1`))[1]!,
    );
    const failed = ends.filter((e) => e.to === 'filed');
    expect(failed.length / ends.length).toBeGreaterThan(0.05);
    expect(failed.length / ends.length).toBeLessThan(0.07);
    for (const f of failed) expect(f.reason).toMatch(/^复核未通过/);
    expect(ends.filter((e) => e.to !== 'filed').every((e) => e.to === 'closed' && e.reason === undefined)).toBe(true);
    // Median delays about as configured: 12 min to start, 8 more to finish.
    const starts = Array.from(
      { length: 2001 },
      (_, k) =>
        planVerification({ caseId: `C-${k}`, district: '350203', handledAt: T0 }, profile, new Rng(`v/C-${k}#1`))[0]!
          .at - T0,
    ).sort((a, b) => a - b);
    expect(starts[1000]! / 60_000).toBeGreaterThan(10.5);
    expect(starts[1000]! / 60_000).toBeLessThan(13.5);
  });

  it('gives the same handling the same verdict', () => {
    const a = planVerification({ caseId: 'C-9', district: '350203', handledAt: T0 }, profile, new Rng('v/C-9#1'));
    expect(planVerification({ caseId: 'C-9', district: '350203', handledAt: T0 }, profile, new Rng('v/C-9#1'))).toEqual(
      a,
    );
  });
});
