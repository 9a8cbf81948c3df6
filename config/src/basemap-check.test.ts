import { describe, expect, it } from 'vitest';
import { mvtLayers } from './basemap-check.ts';

/** A protobuf length-delimited field. */
const field = (no: number, body: number[]) => [no * 8 + 2, body.length, ...body];
const text = (s: string) => [...new TextEncoder().encode(s)];

describe(mvtLayers.name, () => {
  it('names the layers of a tile and counts their features', () => {
    const layer = [...field(1, text('road')), ...field(2, [0x08, 0x01]), ...field(2, [0x08, 0x02]), 0x28, 0x80, 0x20];
    const bytes = new Uint8Array([...field(3, layer), ...field(3, field(1, text('water')))]);
    expect(mvtLayers(bytes)).toEqual({
      layers: [
        { name: 'road', features: 2, extent: 4096 },
        { name: 'water', features: 0, extent: 4096 },
      ],
    });
    expect(mvtLayers(new Uint8Array())).toEqual({ layers: [] });
  });

  it('says why bytes are not an MVT: a PNG, gzip, a truncated layer, a nameless one', () => {
    expect(mvtLayers(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toHaveProperty('error');
    expect(mvtLayers(new Uint8Array([0x1f, 0x8b, 8, 0]))).toEqual({ error: 'gzipped: unpack before reading' });
    expect(mvtLayers(new Uint8Array([0x1a, 40, 0x0a]))).toEqual({
      error: 'a field of 40 bytes runs past the end at byte 2',
    });
    expect(mvtLayers(new Uint8Array(field(3, field(2, []))))).toEqual({ error: 'a layer without a name' });
    expect(mvtLayers(new Uint8Array(field(1, text('x'))))).toHaveProperty(
      'error',
      'field 1 at the top level: an MVT tile holds only layers (field 3)',
    );
  });
});
