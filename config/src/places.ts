import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { LonLat } from '@egret/protocol';
import { CONFIG_DIR, ConfigError } from './load.ts';
import { pointToWgs84 } from './crs.ts';

/** A named road or town used for addresses ("思明区 湖滨南路 附近") and as a centre where cases gather. */
export const Place = z.object({ name: z.string().min(1).max(40), at: LonLat });
export type Place = z.infer<typeof Place>;

export const PlacesFile = z.object({
  note: z.string().optional(),
  /** Coordinate system of `at`, like the city's boundary file: convert both the same way, or neither. */
  crs: z.enum(['WGS-84', 'CGCS2000', 'GCJ-02']),
  /** District code → its places. */
  districts: z.record(z.string().regex(/^\d{6}$/, 'keys must be 6-digit district codes'), z.array(Place).min(1)),
});
export type PlacesFile = z.infer<typeof PlacesFile>;

/** Reads `config/cities/<city>/places.json` (points returned in WGS-84); throws `ConfigError` naming the file and field when it is bad. */
export function loadPlaces(options: { dir?: string; city?: string } = {}): PlacesFile {
  const dir = options.dir ?? CONFIG_DIR;
  const file = join(dir, 'cities', options.city ?? 'xiamen', 'places.json');
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
  const result = PlacesFile.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${shown}: ${i.path.join('.') || '(top level)'} ${i.message}`).join('\n'),
    );
  }
  // Inside Egret everything is WGS-84, like the boundaries `loadConfig` converts.
  const { crs } = result.data;
  const districts = Object.fromEntries(
    Object.entries(result.data.districts).map(([code, places]) => [
      code,
      places.map((p) => ({ ...p, at: pointToWgs84(p.at, crs) })),
    ]),
  );
  return { ...result.data, crs: 'WGS-84', districts };
}
