import { describe, expect, it } from 'vitest';
import { MapLayer } from '@egret/protocol';
import { aCase } from '../../../test/fixtures.ts';
import type { Rgba } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { HEAT_WEIGHT, heatLayer } from './heat.ts';
import { mapLayers } from './index.ts';
import { OVERDUE_RING, overdueLayer } from './overdue.ts';
import { PULSE_GROWTH, pulseLayer } from './pulse.ts';
import { trailLayer } from './trail.ts';
import { stillOverlays, visibilityOf, type WallOverlaysInput } from './wall-overlays.ts';

const colour = (): Rgba => [1, 2, 3, 255];
const call = (accessor: unknown, d: unknown) =>
  (accessor as (d: unknown, o: unknown) => unknown)(d, { index: 0, data: [], target: [] });

describe(heatLayer.name, () => {
  it("heats today's cases by urgency, on the GPU, with a stable id", () => {
    const cases = [aCase({ urgency: 'critical' })];
    const layer = heatLayer({ cases, visible: true });
    expect(layer.id).toBe('case-heat');
    expect(layer.props.data).toBe(cases);
    expect(call(layer.props.getWeight, cases[0])).toBe(HEAT_WEIGHT.critical);
    expect(call(layer.props.getPosition, cases[0])).toEqual(cases[0]!.position);
  });

  it('is hidden, not dropped, when switched off', () => {
    expect(heatLayer({ cases: [], visible: false }).props.visible).toBe(false);
  });
});

describe(overdueLayer.name, () => {
  it('rings overdue cases in red, wider than the case itself', () => {
    const c = aCase({ urgency: 'urgent' });
    const layer = overdueLayer({ cases: [c], visible: true });
    expect(layer.id).toBe('case-overdue');
    expect(layer.props.getLineColor).toEqual(OVERDUE_RING);
    expect(layer.props.filled).toBe(false);
    expect(call(layer.props.getRadius, c)).toBeGreaterThan(12);
  });
});

describe(pulseLayer.name, () => {
  it('animates with uniforms only: the phase sets the radius scale and opacity, the data stays the same array', () => {
    const fresh = [aCase()];
    const start = pulseLayer({ cases: fresh, phase: 0, visible: true, colorOf: colour });
    const end = pulseLayer({ cases: fresh, phase: 1, visible: true, colorOf: colour });
    expect(end.props.data).toBe(start.props.data);
    expect(start.props.radiusScale).toBe(1);
    expect(end.props.radiusScale).toBe(1 + PULSE_GROWTH);
    expect(end.props.opacity).toBeLessThan(start.props.opacity);
    expect(end.props.updateTriggers).toEqual(start.props.updateTriggers);
  });

  it('hides itself when nothing is new', () => {
    expect(pulseLayer({ cases: [], phase: 0.5, visible: true, colorOf: colour }).props.visible).toBe(false);
  });
});

describe(trailLayer.name, () => {
  it('draws the track as one path and redraws when its version changes', () => {
    const path: [number, number][] = [
      [118.1, 24.5],
      [118.2, 24.5],
    ];
    const layer = trailLayer({ path, version: 3, visible: true });
    expect(layer.props.data).toEqual([{ path }]);
    expect(layer.props.updateTriggers).toMatchObject({ getPath: 3 });
  });

  it('draws nothing for a single point', () => {
    expect(trailLayer({ path: [[118, 24]], version: 1, visible: true }).props.data).toEqual([]);
  });
});

describe('mapLayers with the wall overlays', () => {
  const square: Boundaries = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: '350203' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [118, 24.4],
              [118.1, 24.4],
              [118.1, 24.5],
              [118, 24.4],
            ],
          ],
        },
      },
    ],
  };
  const units = {
    length: 0,
    positions: new Float32Array(0),
    colors: new Uint8Array(0),
    lineColors: new Uint8Array(0),
    radii: new Float32Array(0),
    version: 1,
  };
  const overlays = (mode: string, chosen: Set<'units'> | null = null): WallOverlaysInput => ({
    // A mode's own switches (peacetime without the heat, a typhoon with it; state/modes.test.ts checks the modes).
    visible: visibilityOf(
      chosen ?? new Set(MapLayer.options.filter((k) => k !== 'grid' && (mode !== 'peacetime' || k !== 'heat'))),
    ),
    today: [aCase()],
    overdue: [],
    fresh: [],
    pulsePhase: 0,
    trail: { path: [], version: 0 },
  });
  const build = (o: WallOverlaysInput) =>
    mapLayers({ boundaries: square, labels: [], cases: [], caseColor: colour, units, overlays: o });

  it('stacks heat under the cases, rings and pulses over them, the trail under the units', () => {
    expect(build(overlays('peacetime')).map((l) => l.id)).toEqual([
      'sea',
      'district-fill',
      'coastline',
      'district-edge',
      'fixed-links',
      'case-heat',
      'cases',
      'case-overdue',
      'case-pulse',
      'unit-trail',
      'units',
      'district-labels',
    ]);
  });

  it('keeps the same layers across a mode switch and only changes what is visible', () => {
    const visible = (mode: string, chosen: Set<'units'> | null = null) =>
      Object.fromEntries(build(overlays(mode, chosen)).map((l) => [l.id, l.props.visible !== false]));
    expect(visible('peacetime')['case-heat']).toBe(false);
    expect(visible('typhoon')['case-heat']).toBe(true);
    expect(Object.keys(visible('typhoon'))).toEqual(Object.keys(visible('peacetime')));
    expect(visible('typhoon', new Set(['units'] as const))).toMatchObject({
      units: true,
      cases: false,
      'district-labels': false,
      'district-fill': true,
    });
  });
});

describe(stillOverlays.name, () => {
  it('carries the day’s cases to the heat and the overdue ones to their rings, with nothing pulsing', () => {
    const visible = visibilityOf(new Set(['heat', 'overdue'] as const));
    const o = stillOverlays(visible, [], []);
    expect(o.visible).toBe(visible);
    expect(o.fresh).toEqual([]);
    expect(o.trail.path).toEqual([]);
  });
});
