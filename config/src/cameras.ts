import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import {
  cameraOriginRefusal,
  CameraSpec,
  MAX_WALL_VIDEO_WINDOWS,
  videoOrigin,
  type CameraSpec as Camera,
} from '@egret/protocol';
import { pointToWgs84 } from './crs.ts';
import { CONFIG_DIR, ConfigError, parseConfigFile } from './load.ts';

/**
 * The city's video platform (`config/cities/<city>/cameras.json`): the origins its stream URLs are on (the browser
 * may fetch video from these and nowhere else: the CSP lists them and the registry refuses a camera elsewhere), how
 * many video windows a wall keeps, and the cameras known when the hub starts (the platform's `camera.register` /
 * `camera.remove` inputs keep the registry current after that). See docs/operations.md, "Video".
 */
export const CamerasFile = z
  .object({
    note: z.string().optional(),
    /** Coordinate system of the positions, converted to WGS-84 at load (like places.json). */
    crs: z.enum(['WGS-84', 'CGCS2000', 'GCJ-02']).default('WGS-84'),
    /** The positions are estimates (from public maps, not the platform's survey): every camera is marked so. */
    approximate: z.boolean().default(false),
    /** Origins (`scheme://host[:port]`) of the video platform's gateways. */
    origins: z
      .array(z.url({ protocol: /^https?$/, message: 'must be an http(s) origin such as https://video.example:8443' }))
      .max(32),
    wall: z
      .object({ maxWindows: z.number().int().min(1).max(MAX_WALL_VIDEO_WINDOWS) })
      .strict()
      .default({ maxWindows: 4 }),
    cameras: z.array(CameraSpec).max(20_000),
  })
  .strict();
export type CamerasFile = z.infer<typeof CamerasFile>;

/** The video platform as the hub and the display use it: origins normalized, positions in WGS-84. */
export interface VideoConfig {
  /** Normalized as protocol `videoOrigin` writes them (`https://video.example:8443`). */
  origins: string[];
  maxWallWindows: number;
  cameras: Camera[];
}

/** No video platform: no cameras, no origin allowed. */
export const NO_VIDEO: VideoConfig = { origins: [], maxWallWindows: 4, cameras: [] };

/**
 * The checks zod cannot make on one field: every origin is a bare origin, ids are unique, each camera's URLs are on
 * the configured origins and its position inside the city's bbox. One message per problem, naming the field.
 */
export function cameraProblems(file: CamerasFile, bbox: readonly [number, number, number, number]): string[] {
  const problems: string[] = [];
  const origins = new Set<string>();
  file.origins.forEach((o, i) => {
    const origin = videoOrigin(o);
    const u = new URL(o);
    if (!origin || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash)
      problems.push(`origins[${i}] must be a bare origin (scheme://host[:port], no credentials, path or query)`);
    else origins.add(origin);
  });
  const seen = new Set<string>();
  file.cameras.forEach((c, i) => {
    if (seen.has(c.id)) problems.push(`cameras[${i}].id ${c.id} is listed twice`);
    seen.add(c.id);
    const off = cameraOriginRefusal(c, origins);
    if (off) problems.push(`cameras[${i}].${off}`);
    const [lon, lat] = pointToWgs84(c.position, file.crs);
    if (lon < bbox[0] || lon > bbox[2] || lat < bbox[1] || lat > bbox[3])
      problems.push(`cameras[${i}].position [${c.position.join(', ')}] lies outside the city's bbox`);
  });
  return problems;
}

/**
 * Reads `config/cities/<city>/cameras.json` (none: `NO_VIDEO`). Throws `ConfigError` naming the file and each bad field.
 */
export function loadCameras(options: {
  dir?: string;
  city?: string;
  bbox: readonly [number, number, number, number];
}): VideoConfig {
  const dir = options.dir ?? CONFIG_DIR;
  const file = join(dir, 'cities', options.city ?? 'xiamen', 'cameras.json');
  const shown = relative(resolve(dir, '..'), file);
  if (!existsSync(file)) return NO_VIDEO;
  const f = parseConfigFile(CamerasFile, file, dir);
  const problems = cameraProblems(f, options.bbox);
  if (problems.length) throw new ConfigError(problems.map((p) => `${shown}: ${p}`).join('\n'));
  return {
    origins: [...new Set(f.origins.map((o) => videoOrigin(o)!))],
    maxWallWindows: f.wall.maxWindows,
    cameras: f.cameras.map((c) => ({
      ...c,
      position: pointToWgs84(c.position, f.crs),
      ...(f.approximate || c.approximate ? { approximate: true } : {}),
    })),
  };
}
