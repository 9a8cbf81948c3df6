import { describe, expect, it } from 'vitest';
import { parseColor, parseStyle } from './basemap-style.ts';

const style = (layers: unknown[], extra: Record<string, unknown> = {}) => ({ version: 8, layers, ...extra });
const roads = {
  id: 'roads',
  type: 'line',
  source: 'city',
  'source-layer': 'road',
  filter: ['in', 'class', 'primary', 'trunk'],
  minzoom: 10,
  paint: { 'line-color': '#f5c04a', 'line-width': 3, 'line-opacity': 0.5 },
};

describe(parseColor.name, () => {
  it('reads the colour forms MapLibre styles use', () => {
    expect(parseColor('#abc')).toEqual([0xaa, 0xbb, 0xcc, 255]);
    expect(parseColor('#0B1A2C')).toEqual([11, 26, 44, 255]);
    expect(parseColor('#0b1a2c80')).toEqual([11, 26, 44, 128]);
    expect(parseColor('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30, 128]);
    expect(parseColor('rgb(10,20,30)')).toEqual([10, 20, 30, 255]);
    expect(parseColor('transparent')).toEqual([0, 0, 0, 0]);
  });

  it('refuses what it cannot read rather than guessing', () => {
    for (const bad of ['#abcd1', 'rgb(300,0,0)', 'hsl(0,0%,0%)', 'red-ish', '', 'rgba(1,2,3,1.5)'])
      expect(parseColor(bad), bad).toBeNull();
  });
});

describe(parseStyle.name, () => {
  it('resolves background, fill, line and symbol layers in order, opacity folded into the colours', () => {
    const { style: s, problems } = parseStyle(
      style([
        { id: 'bg', type: 'background', paint: { 'background-color': '#0b1a2c' } },
        {
          id: 'water',
          type: 'fill',
          'source-layer': 'water',
          paint: { 'fill-color': '#123456', 'fill-opacity': 0.5 },
        },
        roads,
        {
          id: 'hidden',
          type: 'line',
          'source-layer': 'rail',
          layout: { visibility: 'none' },
          paint: { 'line-color': '#fff' },
        },
        {
          id: 'names',
          type: 'symbol',
          'source-layer': 'place',
          filter: ['==', '$type', 'Point'],
          layout: { 'text-field': '{name}', 'text-size': 20 },
          paint: { 'text-color': '#ffffff', 'text-halo-color': '#000000', 'text-halo-width': 2 },
        },
      ]),
      'style.json',
    );
    expect(problems).toEqual([]);
    expect(s!.background).toEqual([11, 26, 44, 255]);
    expect(s!.layers.map((l) => l.id)).toEqual(['water', 'roads', 'names']);
    expect(s!.layers[0]).toMatchObject({ type: 'fill', color: [0x12, 0x34, 0x56, 128], minZoom: 0, maxZoom: 24 });
    expect(s!.layers[1]).toMatchObject({
      type: 'line',
      sourceLayer: 'road',
      filter: ['in', 'class', 'primary', 'trunk'],
      color: [0xf5, 0xc0, 0x4a, 128],
      width: 3,
      minZoom: 10,
    });
    expect(s!.layers[2]).toMatchObject({ type: 'symbol', textField: '{name}', textSize: 20, haloWidth: 2 });
  });

  it('refuses a layer type it does not draw, naming the layer and the types it does', () => {
    const { problems } = parseStyle(
      style([{ id: 'b', type: 'fill-extrusion', 'source-layer': 'building', paint: {} }]),
      'dark.json',
    );
    expect(problems).toEqual([
      'dark.json: layers.0.type "fill-extrusion" is not drawn by Egret: a style layer must be one of background, fill, line, symbol',
    ]);
  });

  it('refuses expressions, unknown paint keys, sprites and glyph URLs instead of drawing something else', () => {
    const p = (layers: unknown[], extra?: Record<string, unknown>) => parseStyle(style(layers, extra), 's').problems;
    // A data-driven expression where a constant is expected.
    expect(
      p([{ ...roads, paint: { 'line-color': ['get', 'colour'] } }]).some((m) =>
        m.startsWith('s: layers.0.paint.line-color'),
      ),
    ).toBe(true);
    expect(p([{ ...roads, paint: { 'line-color': '#fff', 'line-dasharray': [2, 1] } }]).join()).toMatch(
      /layers\.0\.paint.*line-dasharray/,
    );
    expect(p([roads], { glyphs: 'https://fonts.example/{fontstack}/{range}.pbf' }).join()).toMatch(
      /^s: glyphs is not used: .*fetches nothing from the internet/,
    );
    expect(p([roads], { sprite: 'https://x.example/sprite' }).join()).toMatch(/^s: sprite is not used/);
    expect(p([{ ...roads, filter: ['>=', 'rank', 3] }]).join()).toMatch(/layers\.0\.filter/);
    expect(p([{ ...roads, 'source-layer': undefined }]).join()).toMatch(/layers\.0\.source-layer/);
    expect(p([roads, roads]).join()).toMatch(/layers\.1\.id "roads" twice/);
    expect(p([]).join()).toMatch(/^s: layers /);
    expect(p([{ id: 'n', type: 'symbol', 'source-layer': 'place', layout: { 'text-field': 'name' } }]).join()).toMatch(
      /text-field must name a property in braces/,
    );
  });

  it('takes nested all/any/none filters and the legacy operators', () => {
    const filter = [
      'all',
      ['==', '$type', 'LineString'],
      ['any', ['!in', 'class', 'path'], ['has', 'name']],
      ['none', ['!has', 'ref']],
    ];
    expect(parseStyle(style([{ ...roads, filter }]), 's').problems).toEqual([]);
  });
});
