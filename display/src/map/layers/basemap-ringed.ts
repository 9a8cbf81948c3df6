import { _Tileset2D as Tileset2D } from '@deck.gl/geo-layers';
import type { TileIndex } from '../basemap-tiles.ts';

type Tiles = Parameters<Tileset2D['getTileIndices']>[0];

/**
 * GCJ-02 tiles are drawn ~500 m from their grid place, so the tiles deck.gl picks for the view leave a strip
 * uncovered on one side: one more ring of tiles around the view covers it (raster and vector tiles alike).
 */
export class RingedTileset extends Tileset2D {
  override getTileIndices(opts: Tiles): TileIndex[] {
    const inner = super.getTileIndices(opts);
    if (inner.length === 0) return inner;
    const seen = new Set(inner.map((t) => `${t.x}/${t.y}/${t.z}`));
    const out: TileIndex[] = [...inner];
    for (const t of inner) {
      const n = 2 ** t.z;
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++) {
          const x = t.x + dx,
            y = t.y + dy;
          const key = `${x}/${y}/${t.z}`;
          if (x < 0 || y < 0 || x >= n || y >= n || seen.has(key)) continue;
          seen.add(key);
          out.push({ x, y, z: t.z });
        }
    }
    return out;
  }
}
