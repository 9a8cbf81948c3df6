import { describe, expect, it } from 'vitest';
import { floodGauges } from './flood-gauges.ts';
import { waterLevelAt } from './flood-points.ts';
import { LANDFALL, meranti } from '../../../test/typhoon.ts';

describe(floodGauges.name, () => {
  const gauges = floodGauges(meranti.track, meranti.floodPoints);

  it('is one water-level sensor per flood point, in cm, with the point’s warning and alarm', () => {
    expect(gauges).toHaveLength(meranti.floodPoints.length);
    gauges.forEach((g, i) => {
      const p = meranti.floodPoints[i]!;
      expect(g).toMatchObject({
        id: `WL-${p.id}`,
        kind: 'water_level',
        unit: 'cm',
        district: p.district,
        position: p.position,
        phaseMs: 0,
      });
      expect([g.warning, g.alarm]).toEqual([p.thresholdsCm.warning, p.thresholdsCm.alarm]);
      expect(g.name).toContain(p.name.zh);
    });
  });

  it('reads the ponding model’s depth, to 0.1 cm', () => {
    const t = LANDFALL + 3_600_000;
    gauges.forEach((g, i) => {
      expect(g.read(t).value).toBeCloseTo(waterLevelAt(meranti.track, meranti.floodPoints[i]!, t), 1);
    });
  });
});
