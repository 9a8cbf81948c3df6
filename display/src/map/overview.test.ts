import { describe, expect, it } from 'vitest';
import type { Case } from '@egret/protocol';
import type { Boundaries } from './boundaries.ts';
import { clearOfInset, inView, OVERVIEW_VIEW_ID, overviewInset, overviewLayers } from './overview.ts';
import { fitCity } from './view.ts';
import { FilledOutlineLayer } from './layers/filled-outline-layer.ts';
import { THEME } from '../theme.ts';

const XIAMEN = [117.85, 24.38, 118.46, 24.92] as const;

describe(overviewInset.name, () => {
  it('takes a fixed share of the map’s width and is as tall as the city on a Mercator map', () => {
    const o = overviewInset(XIAMEN, 1788);
    expect(o.width).toBe(Math.round(1788 * 0.26));
    // Xiamen spans 0.61° of longitude and 0.54° of latitude at 24.6° N: on Mercator it is a little taller than wide.
    expect(o.height / o.width).toBeGreaterThan(0.95);
    expect(o.height / o.width).toBeLessThan(1.05);
    expect([o.left, o.bottom]).toEqual([28, 28]);
  });

  it('stops growing on a wide wall, where the map is no taller', () => {
    expect(overviewInset(XIAMEN, 4000).width).toBe(560);
  });

  it('frames the whole city at its size', () => {
    const o = overviewInset(XIAMEN, 1788);
    const v = fitCity(o.city, o.width, o.height, 8);
    expect(v.longitude).toBeCloseTo((XIAMEN[0] + XIAMEN[2]) / 2, 2);
  });
});

describe(inView.name, () => {
  it('draws the overview’s own layers only in the overview, and the map’s only on the map', () => {
    expect(inView('overview-cases', OVERVIEW_VIEW_ID)).toBe(true);
    expect(inView('overview-cases', 'map')).toBe(false);
    expect(inView('cases', 'map')).toBe(true);
    expect(inView('cases', OVERVIEW_VIEW_ID)).toBe(false);
    expect(inView('district-labels', OVERVIEW_VIEW_ID)).toBe(false);
  });

  it('shares the storm’s cone and track, which read at any size', () => {
    expect(inView('storm-track', OVERVIEW_VIEW_ID)).toBe(true);
    expect(inView('storm-track', 'map')).toBe(true);
  });
});

describe(overviewLayers.name, () => {
  const boundaries = { type: 'FeatureCollection', features: [] } as unknown as Boundaries;
  const cases = [{ id: 'c1', position: [118.1, 24.5], urgency: 'normal' }] as unknown as Case[];
  const frame = [118.1, 24.44, 118.2, 24.52] as const;
  const layers = overviewLayers({ boundaries, cases, caseColor: () => [255, 0, 0, 255], perimeters: [], frame });

  it('draws districts, perimeters, cases and the frame, every one in the overview only', () => {
    expect(layers.map((l) => l.id)).toEqual([
      'overview-districts',
      'overview-perimeters',
      'overview-cases',
      'overview-frame',
    ]);
    expect(layers.every((l) => inView(l.id, OVERVIEW_VIEW_ID) && !inView(l.id, 'map'))).toBe(true);
  });

  it('fills the districts and edges them with one mesh of thin lines in the edge colour', () => {
    const districts = layers[0] as FilledOutlineLayer;
    expect(districts).toBeInstanceOf(FilledOutlineLayer);
    expect(districts.props.line).toEqual({ color: THEME.map.districtEdge, width: 1.5 });
  });

  it('outlines what the main map shows as a closed ring', () => {
    const outline = layers.find((l) => l.id === 'overview-frame')!.props.data as [number, number][][];
    expect(outline[0]).toEqual([
      [118.1, 24.44],
      [118.2, 24.44],
      [118.2, 24.52],
      [118.1, 24.52],
      [118.1, 24.44],
    ]);
  });
});

describe(clearOfInset.name, () => {
  // A 1000×800 map; the overview 300×200 in its bottom-left corner, 20 px from the edges: x 20–320, y 580–780.
  const inset = { left: 20, bottom: 20, width: 300, height: 200 };
  const at = (x: number, y: number, code: string) => ({ code, position: [x, y] as [number, number] });
  const project = (p: readonly [number, number]) => [p[0], p[1]] as const;

  it('leaves out the names anchored under the overview or near enough its edge to reach under it', () => {
    const labels = [
      at(150, 700, 'under'),
      at(380, 700, 'tail under'),
      at(150, 545, 'foot under'),
      at(500, 700, 'clear right'),
      at(150, 400, 'clear above'),
    ];
    const kept = clearOfInset(labels, project, inset, 800, [80, 40]);
    expect(kept.map((l) => l.code)).toEqual(['clear right', 'clear above']);
  });

  it('keeps every name when none comes near the overview', () => {
    const labels = [at(600, 100, 'a'), at(900, 700, 'b')];
    expect(clearOfInset(labels, project, inset, 800, [80, 40])).toEqual(labels);
  });
});
