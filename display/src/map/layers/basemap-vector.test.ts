import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import type { LonLat } from '@egret/protocol';
import { vectorTiles } from '../../../../test/mvt.ts';
import { worldPixel } from '../../../../test/tiles.ts';
import { parseVectorTile } from './basemap-vector.ts';

/** A place on Xiamen Island (WGS-84) and the zoom-13 tile holding it. */
const HERE: LonLat = [118.0835, 24.4565];
const Z = 13;
const [px, py] = worldPixel(HERE, Z);
const index = { x: Math.floor(px / 256), y: Math.floor(py / 256), z: Z };
const toGcj = (p: LonLat) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as unknown as LonLat;

/** The one tile holding HERE, with a point there and a short street through it, on the tiles' own datum. */
function tileWith(move: (p: LonLat) => LonLat): ArrayBuffer {
  const tiles = vectorTiles({
    layers: {
      place: [{ geometry: { type: 'Point', coordinates: move(HERE) }, properties: { name: '中山路' } }],
      road: [
        {
          geometry: { type: 'LineString', coordinates: [move([118.082, 24.456]), move([118.085, 24.457])] },
          properties: { class: 'primary' },
        },
      ],
    },
    zooms: [Z],
    bbox: [HERE[0], HERE[1], HERE[0], HERE[1]],
  });
  const bytes = tiles.get(`${Z}/${index.x}/${index.y}`)!;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Metres between two positions (equirectangular: plenty at this scale). */
const metres = (a: LonLat, b: LonLat) =>
  Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

describe(parseVectorTile.name, () => {
  it('reads an MVT tile as features in longitude/latitude, each with its source layer and properties', () => {
    const features = parseVectorTile(
      tileWith((p) => p),
      index,
      'wgs84',
    );
    const place = features.find((f) => f.properties.layerName === 'place')!;
    expect(place.properties.name).toBe('中山路');
    expect(metres(place.geometry.coordinates as LonLat, HERE)).toBeLessThan(0.5);
    const road = features.find((f) => f.properties.layerName === 'road')!;
    expect(road.geometry.type).toBe('LineString');
    expect(road.properties.class).toBe('primary');
  });

  it('moves every vertex of a GCJ-02 tile back onto WGS-84 (unmoved it lies ~500 m off)', () => {
    const moved = parseVectorTile(tileWith(toGcj), index, 'gcj02');
    const unmoved = parseVectorTile(tileWith(toGcj), index, 'wgs84');
    const at = (fs: typeof moved) => fs.find((f) => f.properties.layerName === 'place')!.geometry.coordinates as LonLat;
    expect(metres(at(moved), HERE)).toBeLessThan(1);
    expect(metres(at(unmoved), HERE)).toBeGreaterThan(300);
    const road = moved.find((f) => f.properties.layerName === 'road')!.geometry.coordinates as LonLat[];
    expect(metres(road[0]!, [118.082, 24.456])).toBeLessThan(1);
    expect(metres(road[1]!, [118.085, 24.457])).toBeLessThan(1);
  });
});
