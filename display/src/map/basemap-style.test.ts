import { describe, expect, it } from 'vitest';
import type { BasemapStyle, LonLat } from '@egret/protocol';
import {
  characterSetOf,
  labelAnchor,
  labelText,
  mapGeometry,
  matchesFilter,
  styleTile,
  styleZoom,
  tileLabels,
  type TileFeature,
} from './basemap-style.ts';

const f = (layerName: string, geometry: TileFeature['geometry'], props: Record<string, unknown> = {}): TileFeature => ({
  type: 'Feature',
  geometry,
  properties: { layerName, ...props },
});
const road = f(
  'road',
  {
    type: 'LineString',
    coordinates: [
      [118.0, 24.5],
      [118.2, 24.5],
    ],
  },
  { class: 'primary', name: '湖滨北路' },
);
const path = f(
  'road',
  {
    type: 'LineString',
    coordinates: [
      [118.0, 24.4],
      [118.1, 24.4],
    ],
  },
  { class: 'path' },
);
const park = f(
  'landuse',
  {
    type: 'Polygon',
    coordinates: [
      [
        [118, 24],
        [118.2, 24],
        [118.2, 24.2],
        [118, 24.2],
        [118, 24],
      ],
    ],
  },
  { name: '白鹭洲公园' },
);
const station = f('place', { type: 'Point', coordinates: [118.1, 24.48] }, { name: '厦门站', rank: 1 });

const RED = [255, 0, 0, 255] as [number, number, number, number];
const style: BasemapStyle = {
  background: [0, 0, 0, 255],
  layers: [
    { id: 'parks', type: 'fill', sourceLayer: 'landuse', color: RED, minZoom: 0, maxZoom: 24 },
    {
      id: 'roads',
      type: 'line',
      sourceLayer: 'road',
      filter: ['in', 'class', 'primary', 'trunk'],
      color: RED,
      width: 3,
      minZoom: 10,
      maxZoom: 24,
    },
    {
      id: 'park-names',
      type: 'symbol',
      sourceLayer: 'landuse',
      textField: '{name}',
      textSize: 18,
      color: RED,
      minZoom: 0,
      maxZoom: 24,
    },
    {
      id: 'stations',
      type: 'symbol',
      sourceLayer: 'place',
      filter: ['==', '$type', 'Point'],
      textField: '{name}',
      textSize: 24,
      color: RED,
      minZoom: 0,
      maxZoom: 24,
    },
  ],
};

describe(matchesFilter.name, () => {
  const props = { class: 'primary', rank: 1, tunnel: false };
  it('compares values, lists, presence and geometry type as MapLibre’s legacy filters do', () => {
    expect(matchesFilter(['==', 'class', 'primary'], props, 'LineString')).toBe(true);
    expect(matchesFilter(['==', 'rank', '1'], props, 'LineString')).toBe(false); // types are not coerced
    expect(matchesFilter(['!=', 'tunnel', true], props, 'LineString')).toBe(true);
    expect(matchesFilter(['in', 'class', 'trunk', 'primary'], props, 'LineString')).toBe(true);
    expect(matchesFilter(['!in', 'class', 'trunk', 'primary'], props, 'LineString')).toBe(false);
    expect(matchesFilter(['has', 'name'], props, 'LineString')).toBe(false);
    expect(matchesFilter(['!has', 'name'], props, 'LineString')).toBe(true);
    expect(matchesFilter(['==', '$type', 'Polygon'], props, 'Polygon')).toBe(true);
    expect(matchesFilter(['all', ['==', 'class', 'primary'], ['==', '$type', 'Point']], props, 'LineString')).toBe(
      false,
    );
    expect(matchesFilter(['any', ['==', 'class', 'x'], ['==', 'rank', 1]], props, 'LineString')).toBe(true);
    expect(matchesFilter(['none', ['==', 'class', 'x'], ['==', 'rank', 2]], props, 'LineString')).toBe(true);
    expect(matchesFilter(undefined, props, 'Point')).toBe(true);
  });
});

describe(styleTile.name, () => {
  it('gives each style layer its source layer’s features that pass its filter and zoom, in style order', () => {
    const styled = styleTile(style, [road, path, park, station], 12);
    expect(styled.map((s) => [s.layer.id, s.features.length])).toEqual([
      ['parks', 1],
      ['roads', 1],
      ['park-names', 1],
      ['stations', 1],
    ]);
    expect(styled[1]!.features[0]).toBe(road);
  });

  it('leaves out a layer below its minzoom and a fill’s non-areas', () => {
    const styled = styleTile(style, [road, station, f('landuse', station.geometry)], 9);
    // No roads below zoom 10, no park fill for a point (a symbol layer still labels it).
    expect(styled.map((s) => s.layer.id)).toEqual(['park-names', 'stations']);
  });
});

describe(tileLabels.name, () => {
  it('places a label per named feature: a point where it is, an area at its centre; the upper layer ranks higher', () => {
    const labels = tileLabels(styleTile(style, [road, park, park, station], 12));
    expect(labels.map((l) => [l.text, l.size, l.priority])).toEqual([
      ['白鹭洲公园', 18, 2],
      ['厦门站', 24, 3],
    ]);
    expect(labels[0]!.position[0]).toBeCloseTo(118.1);
    expect(labels[0]!.position[1]).toBeCloseTo(24.1);
    expect(characterSetOf(labels)).toEqual([...'厦站门白鹭洲公园'].sort());
  });

  it('fills text-field from properties and skips a feature missing one', () => {
    expect(labelText('{name}站', { name: '厦门' })).toBe('厦门站');
    expect(labelText('{name} {ref}', { name: '成功大道' })).toBe('');
    expect(labelText('{ref}', { ref: 324 })).toBe('324');
  });

  it('puts a line’s label halfway along it', () => {
    const p = labelAnchor({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 0],
        [1, 3],
      ],
    });
    expect(p).toEqual([1, 1]);
  });
});

describe(mapGeometry.name, () => {
  it('moves every vertex of every kind of geometry', () => {
    const move = ([x, y]: LonLat): LonLat => [x + 1, y - 1];
    expect(mapGeometry(park.geometry, move)).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [119, 23],
          [119.2, 23],
          [119.2, 23.2],
          [119, 23.2],
          [119, 23],
        ],
      ],
    });
    expect(mapGeometry({ type: 'MultiLineString', coordinates: [[[0, 0]], [[1, 1]]] }, move).coordinates).toEqual([
      [[1, -1]],
      [[2, 0]],
    ]);
  });
});

describe(styleZoom.name, () => {
  it('counts 512-px style zooms: a 256-px tile of zoom 14 is style zoom 13', () => {
    expect(styleZoom(14, 256)).toBe(13);
    expect(styleZoom(13, 512)).toBe(13);
  });
});
