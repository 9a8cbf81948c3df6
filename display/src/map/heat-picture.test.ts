import { describe, expect, it } from 'vitest';
import { COMPLAINT_HEAT_CATEGORIES, Mode, type Case } from '@egret/protocol';
import { aCase } from '../../test/fixtures.ts';
import { heatCases, heatSubject } from './heat-picture.ts';
import { heatLayer } from './layers/heat.ts';

const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const of = (id: string, code: string, reportedAt = DAY + 3_600_000): Case =>
  aCase({ id, reportedAt, category: { code, standard: 'GB/T 47678.5-2026', name: code } });

/** A morning of the environmental inspection: two site complaints, a noise complaint, street vending, exposed refuse. */
const today = [
  of('dust', '08004'),
  of('vending', '09001'),
  of('site', '08001'),
  of('refuse', '06010'),
  of('noise', '06028'),
];

describe(heatSubject.name, () => {
  it('is the dust and noise complaints in 环保督察 and every case of the day in every other mode', () => {
    expect(Mode.options.map((m) => [m, heatSubject(m)])).toEqual(
      Mode.options.map((m) => [m, m === 'environmental' ? 'complaints' : 'cases']),
    );
  });
});

describe(heatCases.name, () => {
  it('keeps only the complaints of dust and noise in the environmental mode, in their order', () => {
    const heat = heatCases('environmental', today, DAY);
    expect(heat.map((c) => c.id)).toEqual(['dust', 'site', 'noise']);
    expect(heat.every((c) => COMPLAINT_HEAT_CATEGORIES.includes(c.category.code))).toBe(true);
  });

  it('leaves out a complaint of yesterday, and a code that only looks like one (leading space, another prefix)', () => {
    const odd = [
      of('yesterday', '08004', DAY - 1),
      of('spaced', ' 08004'),
      of('prefixed', '108004'),
      of('ok', '08001'),
    ];
    expect(heatCases('environmental', odd, DAY).map((c) => c.id)).toEqual(['ok']);
  });

  it('hands every other mode today’s cases unchanged: the same array, so the heat is not re-aggregated', () => {
    for (const mode of Mode.options.filter((m) => m !== 'environmental'))
      expect(heatCases(mode, today, DAY)).toBe(today);
  });

  it('feeds the wall’s heat layer: in 环保督察 the layer aggregates the complaints and nothing else', () => {
    const layer = heatLayer({ cases: heatCases('environmental', today, DAY), visible: true });
    expect(layer.id).toBe('case-heat');
    expect((layer.props.data as Case[]).map((c) => c.id)).toEqual(['dust', 'site', 'noise']);
    const quiet = heatLayer({ cases: heatCases('environmental', [of('vending', '09001')], DAY), visible: true });
    expect(quiet.props.data).toEqual([]);
  });
});
