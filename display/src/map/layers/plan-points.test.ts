import { describe, expect, it } from 'vitest';
import type { Inspection, PlanActivation, PrepositionOrder, Unit } from '@egret/protocol';
import { aUnit, T0 } from '../../../test/fixtures.ts';
import { planMapPicture } from '../plan-picture.ts';
import { planLayers, POINT_COLOR, unitEnd } from './plan-points.ts';

const H = 3_600_000;
const plan: PlanActivation = {
  planId: 'civ',
  level: 'III',
  activatedAt: T0,
  levelAt: T0,
  actor: { role: 'commander', id: 'c1' },
};
const insp = (pointId: string, over: Partial<Inspection> = {}): Inspection => ({
  id: `civ.assess.${over.round ?? 1}.${pointId}`,
  planId: 'civ',
  actionId: 'assess',
  round: 1,
  pointId,
  kind: 'assessment_point',
  position: [118.1, 24.5],
  district: '350203',
  squadId: 'SQ1',
  issuedAt: T0,
  due: T0 + 4 * H,
  status: 'open',
  ...over,
});
const order = (id: string, over: Partial<PrepositionOrder> = {}): PrepositionOrder => ({
  id,
  planId: 'civ',
  actionId: 'posts',
  pointId: 'P1',
  position: [118.2, 24.6],
  unitId: 'U1',
  squadId: 'SQ1',
  district: '350203',
  orderedAt: T0,
  due: T0 + H,
  ...over,
});
const units = new Map<string, Unit>([['U1', aUnit({ id: 'U1', slot: 7, position: [118.0, 24.4] })]]);

describe(planMapPicture.name, () => {
  it('colours each point by its latest round’s state, the overdue drawn on top: open, overdue, passed, problem', () => {
    const p = planMapPicture(
      [plan],
      [
        insp('A'),
        insp('B', { due: T0 + H }),
        insp('C', { status: 'passed' }),
        insp('D', { status: 'problem', caseId: 'X' }),
        insp('A', { round: 2, issuedAt: T0 + 24 * H, due: T0 + 28 * H, status: 'passed' }),
      ],
      [],
      units,
      T0 + 2 * H,
    );
    expect(p.points.map((x) => [x.id, x.state])).toEqual([
      ['civ.assess.2.A', 'passed'],
      ['civ.assess.1.C', 'passed'],
      ['civ.assess.1.D', 'problem'],
      ['civ.assess.1.B', 'overdue'],
    ]);
  });

  it('draws nothing of an ended plan or of an earlier activation', () => {
    expect(planMapPicture([{ ...plan, endedAt: T0 + H }], [insp('A')], [order('o')], units, T0 + 2 * H)).toEqual({
      points: [],
      targets: [],
    });
    expect(planMapPicture([plan], [insp('A', { issuedAt: T0 - H })], [], units, T0).points).toEqual([]);
  });

  it('keeps a unit’s slot while it is on the way or late, none once arrived, and leaves released orders out', () => {
    const p = planMapPicture(
      [plan],
      [],
      [order('a'), order('b', { due: T0 }), order('c', { arrivedAt: T0 }), order('d', { releasedAt: T0 })],
      units,
      T0 + 1,
    );
    expect(p.targets.map((t) => [t.id, t.state, t.slot])).toEqual([
      ['a', 'on_the_way', 7],
      ['b', 'late', 7],
      ['c', 'arrived', null],
    ]);
  });
});

describe(planLayers.name, () => {
  const picture = planMapPicture([plan], [insp('A', { due: T0 })], [order('a')], units, T0 + 1);

  it('builds the lines, points and targets with stable ids, hidden when switched off', () => {
    const layers = planLayers({ picture, visible: true });
    expect(layers.map((l) => l.id)).toEqual(['plan-lines', 'plan-points', 'plan-targets']);
    expect(layers.every((l) => l.props.visible)).toBe(true);
    expect(planLayers({ picture, visible: false }).some((l) => l.props.visible)).toBe(false);
    const points = layers[1]!.props as unknown as { getColor: (p: unknown) => unknown; data: unknown[] };
    expect(points.getColor(points.data[0])).toEqual(POINT_COLOR.overdue);
  });

  it('starts a line at the unit’s live position, its logged one before a frame, or the point itself', () => {
    const t = picture.targets[0]!;
    const live = { has: (s: number) => s === 7, lon: () => 118.05, lat: () => 24.45 };
    expect(unitEnd(t, live)).toEqual([118.05, 24.45]);
    expect(unitEnd(t, undefined)).toEqual([118.0, 24.4]);
    expect(unitEnd({ ...t, slot: null, from: null }, undefined)).toEqual(t.to);
  });
});
