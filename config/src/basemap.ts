import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { BasemapInfo, BasemapStyle } from '@egret/protocol';
import { parseStyle } from './basemap-style.ts';

/**
 * The city's base map (`cities/<city>/basemap.json`): none (the outline map), or raster tiles from the city's own
 * GIS — an XYZ template, a WMTS service (KVP or REST), an ArcGIS tile service — or an offline PMTiles package the
 * hub serves itself at `/tiles/{z}/{x}/{y}.<ext>`; or vector tiles (MVT) from an XYZ service or a PMTiles package,
 * drawn with the city's style (./basemap-style.ts). Every source is resolved here, once, into one URL template the
 * display fills in (`BasemapInfo` in the protocol).
 */

/** An absolute http(s) URL, or a path on the hub itself (`/…`). */
const ServiceUrl = z
  .string()
  .min(1)
  .refine((u) => /^https?:\/\/[^/?#\s]+/i.test(u) || /^\/(?!\/)/.test(u), {
    message: 'must be an http(s) URL or a path on the hub starting with /',
  })
  .refine((u) => !/\s/.test(u), { message: 'must not contain white space' });
const Subdomains = z.array(z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be a host label')).min(1);
/** WMTS tile matrices are often named by zoom with a prefix (GeoServer's `EPSG:900913:14`); 天地图's are bare numbers. */
const TileMatrixPrefix = z.string().max(64).default('');

const XyzSource = z.strictObject({
  type: z.literal('xyz'),
  /** `{z}`, `{x}`, `{y}` (or `{-y}`, TMS rows), `{s}` for a subdomain. */
  url: ServiceUrl.refine((u) => u.includes('{z}') && u.includes('{x}') && /\{-?y\}/.test(u), {
    message: 'must contain {z}, {x} and {y} (or {-y})',
  }),
  subdomains: Subdomains.optional(),
});
const WmtsKvpSource = z.strictObject({
  type: z.literal('wmts-kvp'),
  /** The service endpoint (`…/vec_w/wmts`); GetTile parameters are added. */
  url: ServiceUrl,
  layer: z.string().min(1),
  style: z.string().min(1).default('default'),
  tileMatrixSet: z.string().min(1),
  format: z.string().min(1).default('image/png'),
  tileMatrixPrefix: TileMatrixPrefix,
  /** More query parameters, e.g. 天地图's key `{ "tk": "…" }`. */
  params: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), z.string()).default({}),
  subdomains: Subdomains.optional(),
});
const WmtsRestSource = z.strictObject({
  type: z.literal('wmts-rest'),
  /** The ResourceURL template of the capabilities: `{TileMatrix}`, `{TileRow}`, `{TileCol}` (and `{Style}`, …). */
  url: ServiceUrl.refine((u) => ['{TileMatrix}', '{TileRow}', '{TileCol}'].every((k) => u.includes(k)), {
    message: 'must contain {TileMatrix}, {TileRow} and {TileCol}',
  }),
  layer: z.string().min(1).optional(),
  style: z.string().min(1).default('default'),
  tileMatrixSet: z.string().min(1).optional(),
  tileMatrixPrefix: TileMatrixPrefix,
  subdomains: Subdomains.optional(),
});
const ArcGisSource = z.strictObject({
  type: z.literal('arcgis'),
  /** The cached map service (`…/arcgis/rest/services/<name>/MapServer`): tiles are `…/tile/{z}/{y}/{x}`. */
  url: ServiceUrl.refine((u) => /\/(MapServer|ImageServer)\/?$/i.test(u), {
    message: 'must end in /MapServer or /ImageServer',
  }),
});
const PackageSource = z.strictObject({
  type: z.literal('package'),
  /** A PMTiles file, relative to the city's folder or absolute. */
  file: z.string().min(1),
});
export const TileSource = z.discriminatedUnion('type', [
  XyzSource,
  WmtsKvpSource,
  WmtsRestSource,
  ArcGisSource,
  PackageSource,
]);
export type TileSource = z.infer<typeof TileSource>;

const Zoom = z.number().int().min(0).max(22);
/** A style file beside basemap.json. */
const StylePath = z
  .string()
  .regex(/^[^/\\][^\\]*\.json$/, 'must be a .json file beside basemap.json (a relative path)')
  .refine((p) => !p.split('/').includes('..'), { message: 'must not leave the city folder' });
export const BasemapFile = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z
    .strictObject({
      kind: z.literal('vector'),
      /** As for raster: the tiles' coordinates are WGS-84 or GCJ-02 (every vertex moved onto WGS-84 when drawn). */
      crs: z.enum(['wgs84', 'gcj02']),
      attribution: z.string().min(1).max(200),
      minZoom: Zoom.default(0),
      maxZoom: Zoom.default(18),
      /** MVT tiles are 512 px at their zoom (MapLibre's convention); a 256-px service says so. */
      tileSize: z.union([z.literal(256), z.literal(512)]).default(512),
      /** The tiles: an XYZ template of `.pbf`/`.mvt` tiles, or a PMTiles package of MVT tiles the hub serves. */
      source: z.discriminatedUnion('type', [XyzSource, PackageSource]),
      /** The style of each variant: the wall's dark one, and a console's light one (the dark one otherwise). */
      style: z.strictObject({ dark: StylePath, light: StylePath.optional() }),
    })
    .refine((b) => b.minZoom <= b.maxZoom, { message: 'must not be above maxZoom', path: ['minZoom'] }),
  z
    .strictObject({
      kind: z.literal('raster'),
      /** `wgs84`: WGS-84/CGCS2000 Web Mercator (天地图 `_w`); `gcj02`: GCJ-02 Web Mercator (most commercial maps). */
      crs: z.enum(['wgs84', 'gcj02']),
      /** Shown in the map's corner, as the tiles' licence asks. */
      attribution: z.string().min(1).max(200),
      minZoom: Zoom.default(0),
      maxZoom: Zoom.default(18),
      tileSize: z.union([z.literal(256), z.literal(512)]).default(256),
      /** The wall's tiles. */
      dark: TileSource,
      /** A console's, when it asks for light (`?basemap=light`); the dark tiles otherwise. */
      light: TileSource.optional(),
    })
    .refine((b) => b.minZoom <= b.maxZoom, { message: 'must not be above maxZoom', path: ['minZoom'] }),
]);
export type BasemapFile = z.infer<typeof BasemapFile>;

/** A package the hub serves: where it is and what its tiles are. */
export interface TilePackage {
  file: string;
  /** The file extension of its tiles (`png`, `jpg`, `webp`; `pbf` for MVT). */
  ext: string;
  contentType: string;
  /** The zooms it holds: the display asks for no others, and scales the nearest up or down. */
  minZoom: number;
  maxZoom: number;
}

/** The base map as loaded: what the display is told, and the packages the hub serves. */
export interface LoadedBasemap {
  info: BasemapInfo | null;
  packages: { dark?: TilePackage; light?: TilePackage };
}

export const NO_BASEMAP: LoadedBasemap = { info: null, packages: {} };

/** Where the hub serves a package variant's tiles (`/tiles/{z}/{x}/{y}.png`, the light one under `/tiles/light/`). */
export function packageTemplate(variant: 'dark' | 'light', ext: string): string {
  return `${variant === 'dark' ? '/tiles' : '/tiles/light'}/{z}/{x}/{y}.${ext}`;
}

const q = (s: string) => encodeURIComponent(s);

/**
 * One source as a URL template with `{z}`, `{x}`, `{y}` (`{-y}`) and `{s}` (pure). WMTS and ArcGIS name rows and
 * columns their own way; a package is served by the hub at `packageTemplate`.
 */
export function tileTemplate(source: Exclude<TileSource, { type: 'package' }>): string {
  switch (source.type) {
    case 'xyz':
      return source.url;
    case 'wmts-kvp': {
      const params: [string, string][] = [
        ['SERVICE', 'WMTS'],
        ['REQUEST', 'GetTile'],
        ['VERSION', '1.0.0'],
        ['LAYER', q(source.layer)],
        ['STYLE', q(source.style)],
        ['TILEMATRIXSET', q(source.tileMatrixSet)],
        ['FORMAT', q(source.format)],
        ['TILEMATRIX', `${q(source.tileMatrixPrefix)}{z}`],
        ['TILEROW', '{y}'],
        ['TILECOL', '{x}'],
        ...Object.entries(source.params).map(([k, v]): [string, string] => [k, q(v)]),
      ];
      const sep = source.url.includes('?') ? (/[?&]$/.test(source.url) ? '' : '&') : '?';
      return source.url + sep + params.map(([k, v]) => `${k}=${v}`).join('&');
    }
    case 'wmts-rest':
      return source.url
        .replaceAll('{TileMatrix}', `${q(source.tileMatrixPrefix)}{z}`)
        .replaceAll('{TileRow}', '{y}')
        .replaceAll('{TileCol}', '{x}')
        .replaceAll('{Style}', q(source.style))
        .replaceAll('{Layer}', q(source.layer ?? ''))
        .replaceAll('{TileMatrixSet}', q(source.tileMatrixSet ?? ''));
    case 'arcgis':
      return `${source.url.replace(/\/+$/, '')}/tile/{z}/{y}/{x}`;
  }
}

/**
 * The origins the browser fetches tiles from, for the CSP's img-src/connect-src: one per subdomain when the host
 * has `{s}`; none for tiles on the hub itself.
 */
export function basemapOrigins(info: BasemapInfo | null): string[] {
  if (!info) return [];
  const origins = new Set<string>();
  for (const template of new Set([info.tiles.dark, info.tiles.light])) {
    if (!/^https?:\/\//i.test(template)) continue;
    for (const s of template.includes('{s}') ? info.subdomains : ['']) {
      const url = template.replaceAll('{s}', s).replace(/\{-?[a-z]+\}/gi, '0');
      origins.add(new URL(url).origin);
    }
  }
  return [...origins];
}

const TILE_TYPES: Record<number, { ext: string; contentType: string } | undefined> = {
  2: { ext: 'png', contentType: 'image/png' },
  3: { ext: 'jpg', contentType: 'image/jpeg' },
  4: { ext: 'webp', contentType: 'image/webp' },
  5: { ext: 'avif', contentType: 'image/avif' },
};
/** PMTiles tile type 1: Mapbox Vector Tiles. */
export const MVT_TILE_TYPE = 1;
const MVT = { ext: 'pbf', contentType: 'application/vnd.mapbox-vector-tile' };

/** What the first bytes of a tile package say it is. */
export type PackageKind =
  | {
      format: 'pmtiles';
      version: number;
      tileType: number;
      raster: { ext: string; contentType: string } | undefined;
      /** PMTiles tile compression: 0 unknown, 1 none, 2 gzip, 3 brotli, 4 zstd. */
      tileCompression: number;
      minZoom: number;
      maxZoom: number;
    }
  | { format: 'mbtiles' }
  | { format: 'unknown' };

/** Recognises a PMTiles archive (its 127-byte header) or an MBTiles file (SQLite) from its first bytes (pure). */
export function packageKind(head: Uint8Array): PackageKind {
  const text = new TextDecoder('latin1').decode(head.subarray(0, 16));
  if (text.startsWith('PMTiles') && head.length >= 100) {
    return {
      format: 'pmtiles',
      version: head[7]!,
      tileType: head[99]!,
      raster: TILE_TYPES[head[99]!],
      tileCompression: head[98]!,
      minZoom: head[100]!,
      maxZoom: head[101]!,
    };
  }
  if (text.startsWith('SQLite format 3')) return { format: 'mbtiles' };
  return { format: 'unknown' };
}

/** Reads the start of a file (sync: config is loaded once, at boot). */
export function readHead(file: string, bytes = 127): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Problems with a package file, as lines naming the field (`dark.file`) and what is expected; empty when it is fine.
 * `kind` says which tiles the base map draws: a raster map needs pictures, a vector map MVT.
 */
function checkPackage(
  file: string,
  field: string,
  kind: 'raster' | 'vector' = 'raster',
): { problems: string[]; pkg?: TilePackage } {
  try {
    if (!statSync(file).isFile()) return { problems: [`${field} ${file} is not a file`] };
  } catch {
    return { problems: [`${field} ${file} does not exist`] };
  }
  const head = packageKind(readHead(file));
  if (head.format === 'mbtiles')
    return {
      problems: [
        `${field} ${file} is an MBTiles (SQLite) file: not supported (Node 20 has no SQLite); convert it with \`pmtiles convert\``,
      ],
    };
  if (head.format !== 'pmtiles') return { problems: [`${field} ${file} must be a PMTiles archive`] };
  if (head.version !== 3) return { problems: [`${field} ${file} is PMTiles v${head.version}: v3 expected`] };
  const zooms = { minZoom: head.minZoom, maxZoom: head.maxZoom };
  if (kind === 'vector') {
    if (head.tileType !== MVT_TILE_TYPE)
      return {
        problems: [`${field} ${file} holds tile type ${head.tileType}: vector tiles (MVT, type 1) expected`],
      };
    if (head.tileCompression > 2)
      return {
        problems: [
          `${field} ${file} stores its tiles with compression ${head.tileCompression}: gzip (2) or none (1) expected; re-pack it with \`pmtiles convert\``,
        ],
      };
    // The pmtiles reader unpacks gzipped tiles (and only those): the hub serves them plain.
    return { problems: [], pkg: { file, ...MVT, ...zooms } };
  }
  if (!head.raster)
    return { problems: [`${field} ${file} holds tile type ${head.tileType}: raster tiles (png, jpg, webp) expected`] };
  return { problems: [], pkg: { file, ...head.raster, ...zooms } };
}

/** Reads and validates a style file beside basemap.json. */
function loadStyle(cityDir: string, path: string, shown: string): { style?: BasemapStyle; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(cityDir, path), 'utf8'));
  } catch (err) {
    return { problems: [`${shown}: style ${path}: ${(err as Error).message}`] };
  }
  return parseStyle(raw, join(shown, '..', path));
}

/**
 * Validates a basemap section and resolves its sources. `shown` names the file in messages, `cityDir` anchors
 * relative package paths. Throws nothing: the problems come back as lines.
 */
export function parseBasemap(
  raw: unknown,
  shown: string,
  cityDir: string,
): { basemap: LoadedBasemap; problems: string[] } {
  const parsed = BasemapFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${shown}: ${i.path.length ? i.path.map(String).join('.') : '(top level)'} ${i.message}`,
    );
    return { basemap: NO_BASEMAP, problems };
  }
  const b = parsed.data;
  if (b.kind === 'none') return { basemap: NO_BASEMAP, problems: [] };
  const problems: string[] = [];
  const packages: LoadedBasemap['packages'] = {};
  if (b.kind === 'vector') {
    let template: string;
    if (b.source.type === 'package') {
      const file = isAbsolute(b.source.file) ? b.source.file : resolve(join(cityDir, b.source.file));
      const checked = checkPackage(file, 'source.file', 'vector');
      problems.push(...checked.problems.map((p) => `${shown}: ${p}`));
      // One package serves both variants: only the style differs.
      if (checked.pkg) packages.dark = checked.pkg;
      template = packageTemplate('dark', MVT.ext);
    } else template = b.source.url;
    const subdomains = b.source.type === 'xyz' ? (b.source.subdomains ?? []) : [];
    if (template.includes('{s}') && subdomains.length === 0)
      problems.push(`${shown}: subdomains must be given when a url contains {s}`);
    const dark = loadStyle(cityDir, b.style.dark, shown);
    const light = b.style.light ? loadStyle(cityDir, b.style.light, shown) : dark;
    problems.push(...dark.problems, ...(light === dark ? [] : light.problems));
    if (problems.length || !dark.style || !light.style) return { basemap: NO_BASEMAP, problems };
    return {
      basemap: {
        info: {
          kind: 'vector',
          tiles: { dark: template, light: template },
          styles: { dark: dark.style, light: light.style },
          subdomains,
          crs: b.crs,
          attribution: b.attribution,
          minZoom: b.minZoom,
          // Past a package's deepest zoom the display draws its deepest tiles' geometry, scaled: still sharp.
          maxZoom: Math.min(b.maxZoom, packages.dark?.maxZoom ?? 22),
          tileSize: b.tileSize,
        },
        packages,
      },
      problems: [],
    };
  }
  const resolveSource = (variant: 'dark' | 'light', source: TileSource): string => {
    if (source.type !== 'package') return tileTemplate(source);
    const file = isAbsolute(source.file) ? source.file : resolve(join(cityDir, source.file));
    const checked = checkPackage(file, `${variant}.file`);
    problems.push(...checked.problems.map((p) => `${shown}: ${p}`));
    if (checked.pkg) packages[variant] = checked.pkg;
    return packageTemplate(variant, checked.pkg?.ext ?? 'png');
  };
  const dark = resolveSource('dark', b.dark);
  const light = b.light ? resolveSource('light', b.light) : dark;
  const subdomains = [b.dark, b.light].flatMap((s) => (s && 'subdomains' in s && s.subdomains) || []);
  const templates = [dark, light];
  if (templates.some((t) => t.includes('{s}')) && subdomains.length === 0)
    problems.push(`${shown}: subdomains must be given when a url contains {s}`);
  if (problems.length) return { basemap: NO_BASEMAP, problems };
  return {
    basemap: {
      info: {
        kind: 'raster',
        tiles: { dark, light },
        subdomains: [...new Set(subdomains)],
        crs: b.crs,
        attribution: b.attribution,
        // Past a package's deepest zoom the display scales its deepest tiles up (street level on a city package).
        minZoom: b.minZoom,
        maxZoom: Math.min(b.maxZoom, ...[packages.dark, packages.light].map((p) => p?.maxZoom ?? 22)),
        tileSize: b.tileSize,
      },
      packages,
    },
    problems: [],
  };
}
