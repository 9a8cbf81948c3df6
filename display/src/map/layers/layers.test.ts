import { describe, expect, it } from 'vitest';
import { MapLayer } from '@egret/protocol';
import { aCase } from '../../../test/fixtures.ts';
import { SMALL_GRID } from '../../../test/grid.ts';
import { THEME, type Rgba } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { gridPicture } from '../grid-picture.ts';
import { casesLayer } from './cases.ts';
import { districtLabelsLayer } from './district-labels.ts';
import { mapLayers } from './index.ts';
import { unitsLayer } from './units.ts';
import { visibilityOf } from './wall-overlays.ts';

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
            [118, 24.5],
            [118, 24.4],
          ],
        ],
      },
    },
  ],
};

function unitsInput(version = 1) {
  return {
    length: 3,
    positions: new Float32Array(6),
    colors: new Uint8Array(12),
    lineColors: new Uint8Array(12),
    radii: new Float32Array(3),
    version,
  };
}

describe(mapLayers.name, () => {
  it('builds every layer, bottom to top, with stable ids and without touching a GPU', () => {
    const input = {
      boundaries: square,
      labels: [{ code: '350203', position: [118.05, 24.45] as [number, number], text: '思明区' }],
      cases: [aCase()],
      caseColor: (): Rgba => [1, 2, 3, 255],
      units: unitsInput(),
    };
    const ids = mapLayers(input).map((l) => l.id);
    expect(ids).toEqual([
      'sea',
      'district-fill',
      'coastline',
      'district-edge',
      'fixed-links',
      'cases',
      'units',
      'district-labels',
    ]);
    expect(mapLayers(input).map((l) => l.id)).toEqual(ids);
  });
});

describe(unitsLayer.name, () => {
  it('hands the typed arrays to deck.gl as binary attributes, one row per slot', () => {
    const input = unitsInput(7);
    const layer = unitsLayer(input);
    const data = layer.props.data as unknown as {
      length: number;
      attributes: Record<string, { value: unknown; size: number }>;
    };
    expect(data.length).toBe(3);
    expect(data.attributes.getPosition).toEqual({ value: input.positions, size: 2 });
    expect(data.attributes.getFillColor?.value).toBe(input.colors);
    expect(data.attributes.getLineColor?.value).toBe(input.lineColors);
    expect(data.attributes.getRadius?.value).toBe(input.radii);
  });

  it('gives deck.gl a new data object and triggers per version, so reused arrays are re-uploaded', () => {
    const input = unitsInput(1);
    const a = unitsLayer(input);
    const b = unitsLayer({ ...input, version: 2 });
    expect(b.props.data).not.toBe(a.props.data);
    expect(b.props.updateTriggers).toMatchObject({ getPosition: 2 });
  });
});

describe(casesLayer.name, () => {
  it('rings a case in its group colour and sizes it by urgency', () => {
    const layer = casesLayer({ cases: [aCase({ urgency: 'critical' })], colorOf: () => [9, 9, 9, 255] });
    const accessorArgs = { index: 0, data: layer.props.data, target: [] };
    const call = (accessor: unknown) =>
      (accessor as (c: unknown, o: unknown) => unknown)(aCase({ urgency: 'critical' }), accessorArgs);
    expect(call(layer.props.getLineColor)).toEqual([9, 9, 9, 255]);
    expect(call(layer.props.getFillColor)).toEqual([9, 9, 9, THEME.caseFillAlpha]);
    expect(call(layer.props.getRadius)).toBe(THEME.caseRadius.critical);
    expect(call(layer.props.getRadius)).toBeGreaterThan(THEME.caseRadius.normal);
  });
});

describe(districtLabelsLayer.name, () => {
  it('asks for an automatic character set, which Chinese names need', () => {
    const layer = districtLabelsLayer({ labels: [] });
    expect(layer.props.characterSet).toBe('auto');
    expect(layer.props.fontFamily).toContain('CJK');
  });
});

describe('layer sizes', () => {
  it('scale dots and lines for the smaller console', () => {
    const wall = mapLayersFor(1);
    const desk = mapLayersFor(0.5);
    expect(desk.find((l) => l.id === 'units')!.props).toMatchObject({ radiusScale: 0.5, lineWidthScale: 0.5 });
    expect(wall.find((l) => l.id === 'units')!.props).toMatchObject({ radiusScale: 1 });
    expect(desk.find((l) => l.id === 'district-labels')!.props).toMatchObject({ getSize: THEME.labelSize / 2 });
  });
});

function mapLayersFor(scale: number) {
  return mapLayers({
    boundaries: square,
    labels: [],
    cases: [],
    caseColor: (): Rgba => [0, 0, 0, 255],
    units: unitsInput(),
    scale,
  });
}

describe('the grid layers', () => {
  const grid = gridPicture(SMALL_GRID);
  const base = {
    boundaries: square,
    labels: [],
    cases: [aCase()],
    caseColor: (): Rgba => [1, 2, 3, 255],
    units: unitsInput(),
    grid,
  };
  const overlays = (visible: Partial<Record<MapLayer, boolean>>) => ({
    visible: { ...visibilityOf(new Set(MapLayer.options)), ...visible },
    today: [],
    overdue: [],
    fresh: [],
    pulsePhase: 0,
    trail: { path: [], version: 0 },
  });
  const byId = (layers: ReturnType<typeof mapLayers>, id: string) => layers.find((l) => l.id === id)!;

  it('puts the grid between the district fill and edges, and the selected cell under the cases', () => {
    const ids = mapLayers(base).map((l) => l.id);
    expect(ids).toEqual([
      'sea',
      'district-fill',
      'grid',
      'coastline',
      'district-edge',
      'fixed-links',
      'grid-selected',
      'cases',
      'units',
      'district-labels',
    ]);
    expect(byId(mapLayers(base), 'grid').props.data).toBe(grid.lines);
  });

  it('switches the grid with the wall’s layer switches, keeping it in the stack when off', () => {
    const on = mapLayers({ ...base, overlays: overlays({ grid: true }) });
    const off = mapLayers({ ...base, overlays: overlays({ grid: false }) });
    expect(byId(on, 'grid').props.visible).toBe(true);
    expect(byId(off, 'grid').props.visible).toBe(false);
    expect(off.map((l) => l.id)).toEqual(on.map((l) => l.id));
  });

  it('outlines the selected case’s cell, switch or no switch, and nothing while none is selected', () => {
    const selected = aCase({ grid: '350203000001001' });
    const layer = byId(
      mapLayers({ ...base, overlays: overlays({ grid: false }), selectedCase: selected }),
      'grid-selected',
    );
    expect(layer.props.visible).toBe(true);
    expect(
      (layer.props.data as unknown as { path: unknown }[]).every(
        (r) => r.path === grid.rings.get('350203000001001')![0],
      ),
    ).toBe(true);
    expect(byId(mapLayers({ ...base, selectedCase: null }), 'grid-selected').props.visible).toBe(false);
  });

  it('are left out where no grid is given (replay)', () => {
    expect(mapLayers({ ...base, grid: undefined }).map((l) => l.id)).not.toContain('grid');
  });
});
