import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { LonLat, type RoadIsland, type RoadLink, type RoadModel } from '@egret/protocol';
import { pointToWgs84 } from './crs.ts';
import { inShape, type DistrictShape } from './geometry.ts';
import type { GeoJsonFeatureCollection } from './geojson.ts';
import { CONFIG_DIR, ConfigError } from './load.ts';

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const LinkId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 characters of a–z 0–9 -');

/** A fixed crossing between an island and the mainland (all figures approximate: see the file's note). */
export const RoadLinkEntry = z.object({
  id: LinkId,
  name: Names,
  kind: z.enum(['bridge', 'tunnel', 'causeway']),
  /** Where it lands on the island, and on the mainland, in the file's `crs`. */
  island: LonLat,
  mainland: LonLat,
  /** The crossing's length from end to end, approaches included. */
  lengthM: z.number().positive().max(100_000).optional(),
  /** Fixed extra time on it: ramps, the usual queue. */
  delayMs: z.number().int().nonnegative().max(3_600_000).optional(),
});
export type RoadLinkEntry = z.infer<typeof RoadLinkEntry>;

export const RoadsFile = z.object({
  note: z.string().optional(),
  crs: z.enum(['WGS-84', 'CGCS2000', 'GCJ-02']),
  /** Road distance over great-circle distance on ordinary streets. */
  detourFactor: z.number().min(1).max(3),
  islands: z.array(
    z.object({
      id: LinkId,
      name: Names,
      /** The island's outline: the polygon of each listed district that contains the given point. */
      outline: z.array(z.object({ district: z.string().regex(/^\d{6}$/), containing: LonLat })).min(1),
      /** Its road links; none: cars cannot reach it (a ferry-only island). */
      links: z.array(RoadLinkEntry),
    }),
  ),
});
export type RoadsFile = z.infer<typeof RoadsFile>;

/** Reads `config/cities/<city>/roads.json`; throws `ConfigError` naming the file and field when it is bad. */
export function loadRoads(options: { dir?: string; city?: string } = {}): RoadsFile {
  const dir = options.dir ?? CONFIG_DIR;
  const file = join(dir, 'cities', options.city ?? 'xiamen', 'roads.json');
  const shown = relative(resolve(dir, '..'), file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${shown}: ${code ? `cannot be read (${code})` : `is not valid JSON (${(err as Error).message})`}`,
    );
  }
  const result = RoadsFile.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${shown}: ${i.path.join('.') || '(top level)'} ${i.message}`).join('\n'),
    );
  }
  return result.data;
}

/** A point of the file in WGS-84. */
function wgs84(p: LonLat, crs: RoadsFile['crs']): LonLat {
  return pointToWgs84(p, crs);
}

/**
 * The road model the squad ranking uses (`RoadModel` in the protocol), from the roads file and the city's
 * boundaries in WGS-84 (`EgretConfig.boundaries`): each island is the union of the district polygons its outline
 * names, and its links' ends are converted to WGS-84. Throws `ConfigError` when an outline point lies in no
 * polygon of its district, or a link's island end is not on its island.
 */
export function buildRoadModel(roads: RoadsFile, boundaries: GeoJsonFeatureCollection): RoadModel {
  const islands: RoadIsland[] = roads.islands.map((island, i) => {
    const pieces: DistrictShape[] = island.outline.map((part, j) => {
      const feature = boundaries.features.find((f) => String(f.properties.code) === part.district);
      if (!feature)
        throw new ConfigError(
          `roads.json: islands[${i}].outline[${j}].district ${part.district} is not in the boundaries`,
        );
      const polygons = (
        feature.geometry.type === 'MultiPolygon' ? feature.geometry.coordinates : [feature.geometry.coordinates]
      ) as LonLat[][][];
      const point = wgs84(part.containing, roads.crs);
      const polygon = polygons.find((poly) => inShape(shapeOf(part.district, [poly]), point));
      if (!polygon) {
        throw new ConfigError(
          `roads.json: islands[${i}].outline[${j}].containing ${JSON.stringify(part.containing)} lies in no polygon of district ${part.district}`,
        );
      }
      return shapeOf(part.district, [polygon]);
    });
    const contains = (p: LonLat) => pieces.some((s) => inShape(s, p));
    const links: RoadLink[] = island.links.map((l, k) => {
      const link: RoadLink = {
        id: l.id,
        island: wgs84(l.island, roads.crs),
        mainland: wgs84(l.mainland, roads.crs),
        ...(l.lengthM !== undefined ? { lengthM: l.lengthM } : {}),
        ...(l.delayMs !== undefined ? { delayMs: l.delayMs } : {}),
      };
      if (!contains(link.island))
        throw new ConfigError(`roads.json: islands[${i}].links[${k}].island is not on island ${island.id}`);
      return link;
    });
    return { id: island.id, contains, links };
  });
  return { detourFactor: roads.detourFactor, islands };
}

function shapeOf(code: string, polygons: LonLat[][][]): DistrictShape {
  let minLon = Infinity,
    minLat = Infinity,
    maxLon = -Infinity,
    maxLat = -Infinity;
  for (const poly of polygons)
    for (const [lon, lat] of poly[0] ?? []) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  return { code, polygons, bbox: [minLon, minLat, maxLon, maxLat] };
}
