/**
 * What `npm run tiles:check` says about a tile package (a PMTiles file) or a tile service (a URL template) for a
 * city: its format, whether its bounds cover the city, its zoom range, and sample tiles at the city's centre (and
 * corners, for a service). The judging is pure (config/src/basemap-check.ts); this reads the file or fetches.
 */
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PMTiles } from 'pmtiles';
import {
  CITY_TILE_ZOOM,
  MVT_TYPE_NAME,
  mvtLayers,
  packageKind,
  packageProblems,
  readHead,
  sampleProblems,
  STREET_TILE_ZOOM,
  tileAt,
  type SampleTile,
} from '@egret/config';
import { FileHandleSource } from './http/tile-routes.ts';

/** Gzipped tiles (a static folder of tippecanoe's output sends them so, without Content-Encoding) unpacked. */
function unpacked(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch {
    return bytes;
  }
}

/** The source layers the sample vector tiles hold: what a style's `source-layer`s must name. */
function layerFacts(samples: readonly SampleTile[]): string[] {
  const names = new Map<string, number>();
  for (const t of samples) {
    const mvt = t.bytes ? mvtLayers(t.bytes) : null;
    if (mvt && 'layers' in mvt) for (const l of mvt.layers) names.set(l.name, (names.get(l.name) ?? 0) + l.features);
  }
  return names.size
    ? [`source layers in the samples: ${[...names].map(([n, f]) => `${n} (${f} features)`).join(', ')}`]
    : [];
}

export interface TilesCheck {
  /** What the package or service is, line by line. */
  facts: string[];
  /** What is wrong; empty when it can serve the city's base map. */
  problems: string[];
}

/** Checks a PMTiles file or an XYZ URL template against a city's extent. */
export async function checkTiles(
  target: string,
  city: { bbox: readonly [number, number, number, number] },
): Promise<TilesCheck> {
  const [w, s, e, n] = city.bbox;
  const centre: [number, number] = [(w + e) / 2, (s + n) / 2];
  if (/^https?:\/\//i.test(target)) {
    if (!target.includes('{z}') || !target.includes('{x}') || !/\{-?y\}/.test(target))
      return {
        facts: [],
        problems: ['the URL template must contain {z}, {x} and {y} (or {-y}); for WMTS or ArcGIS, see basemap.json'],
      };
    // A `.pbf`/`.mvt` template is a vector tile service: its samples must parse as MVT.
    const vector = /\.(pbf|mvt)(\?|$)/i.test(target);
    const problems: string[] = [];
    const samples: SampleTile[] = [];
    const at = [
      tileAt(centre, CITY_TILE_ZOOM),
      tileAt([w, n], CITY_TILE_ZOOM),
      tileAt([e, s], CITY_TILE_ZOOM),
      tileAt(centre, STREET_TILE_ZOOM),
    ];
    for (const t of at) {
      const url = target
        .replaceAll('{z}', String(t.z))
        .replaceAll('{x}', String(t.x))
        .replaceAll('{y}', String(t.y))
        .replaceAll('{-y}', String(2 ** t.z - 1 - t.y))
        .replaceAll('{s}', '0');
      try {
        // As a browser on the hub's origin asks: a tile server must allow it (CORS) for WebGL to draw the tile.
        const res = await fetch(url, {
          headers: { Origin: 'http://egret.invalid' },
          signal: AbortSignal.timeout(10_000),
        });
        const bytes = res.ok ? unpacked(new Uint8Array(await res.arrayBuffer())) : null;
        const cors = res.headers.get('access-control-allow-origin') !== null;
        samples.push({ ...t, bytes, status: res.status, contentType: res.headers.get('content-type'), cors });
      } catch (err) {
        problems.push(`tile ${t.z}/${t.x}/${t.y}: ${(err as Error).message}`);
      }
    }
    return {
      facts: [
        `tile service ${target}`,
        `sampled ${samples.length} tiles at the city's centre and corners`,
        ...(vector ? layerFacts(samples) : []),
      ],
      problems: [...problems, ...sampleProblems(samples, vector ? MVT_TYPE_NAME : undefined)],
    };
  }
  if (!existsSync(target)) return { facts: [], problems: [`${target} does not exist`] };
  const kind = packageKind(readHead(target));
  if (kind.format === 'mbtiles')
    return {
      facts: ['MBTiles (SQLite)'],
      problems: [
        'MBTiles is not supported: Node 20 has no built-in SQLite. Convert it to PMTiles (`pmtiles convert city.mbtiles city.pmtiles`) and check that.',
      ],
    };
  if (kind.format !== 'pmtiles') return { facts: [], problems: ['not a PMTiles archive (nor an MBTiles file)'] };
  const source = new FileHandleSource(target);
  try {
    const archive = new PMTiles(source);
    const h = await archive.getHeader();
    const samples: SampleTile[] = [];
    // Tiles stored brotli or zstd cannot be read here (nor by the hub): that problem is said, no samples taken.
    const readable = h.tileCompression <= 2;
    for (const z of readable
      ? new Set([Math.max(h.minZoom, CITY_TILE_ZOOM), Math.min(h.maxZoom, STREET_TILE_ZOOM)])
      : []) {
      const t = tileAt(centre, z);
      const tile = await archive.getZxy(t.z, t.x, t.y);
      samples.push({ ...t, bytes: tile ? new Uint8Array(tile.data) : null });
    }
    return {
      facts: [
        `PMTiles v${h.specVersion}, ${h.numAddressedTiles} tiles, tile type ${h.tileType}, zooms ${h.minZoom}–${h.maxZoom}`,
        `bounds ${[h.minLon, h.minLat, h.maxLon, h.maxLat].join(', ')}; the city ${city.bbox.join(', ')}`,
        ...(h.tileType === 1 ? layerFacts(samples) : []),
      ],
      problems: packageProblems(h, city, samples),
    };
  } finally {
    await source.close();
  }
}
