/**
 * What `npm run tiles:check` says about a tile package or a tile service before a city plugs it in (pure: the CLI
 * in scripts/tiles-check.ts reads the file or fetches the tiles and hands the facts here).
 */

/** The tile zoom (256-px tiles) at which the wall shows the whole city: the package must reach down to it. */
export const CITY_TILE_ZOOM = 11;
/** What a PMTiles tile type 1 is called in the check's messages. */
export const MVT_TYPE_NAME = 'vector (MVT)';
/** The street level a commander zooms to on the console (a few hundred metres across): the package must reach it. */
export const STREET_TILE_ZOOM = 16;
/** Vector tiles hold street geometry by 14 (OpenMapTiles' deepest) and are drawn sharp beyond it. */
export const VECTOR_STREET_TILE_ZOOM = 14;

/** An MVT tile's layers: name, feature count, extent. */
export interface MvtLayer {
  name: string;
  features: number;
  extent: number;
}

/**
 * The layers of a Mapbox Vector Tile (pure): a walk over its protobuf — the tile's field 3 is a layer; a layer's
 * field 1 its name, 2 a feature, 5 its extent — enough to tell an MVT from anything else and to name what it holds.
 * Gzipped bytes must be unpacked first. An error says where the bytes stop making sense.
 */
export function mvtLayers(bytes: Uint8Array): { layers: MvtLayer[] } | { error: string } {
  let at = 0;
  const varint = (end: number): number => {
    let v = 0,
      shift = 0;
    for (;;) {
      if (at >= end || shift > 49) throw new Error(`a number runs past byte ${at}`);
      const b = bytes[at++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  /** The fields of the message in [from, end): calls `field` for each, skips what it does not read. */
  const fields = (end: number, field: (no: number, wire: number, len: number) => void) => {
    while (at < end) {
      const key = varint(end);
      const no = Math.floor(key / 8),
        wire = key % 8;
      if (no === 0) throw new Error(`field 0 at byte ${at}`);
      if (wire === 0) field(no, wire, varint(end));
      else if (wire === 2) {
        const len = varint(end);
        if (at + len > end) throw new Error(`a field of ${len} bytes runs past the end at byte ${at}`);
        const start = at;
        field(no, wire, len);
        at = start + len;
      } else if (wire === 1 || wire === 5) {
        at += wire === 1 ? 8 : 4;
        if (at > end) throw new Error('a fixed-size field runs past the end');
      } else throw new Error(`wire type ${wire} at byte ${at}: not a protobuf message`);
    }
  };
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { error: 'gzipped: unpack before reading' };
    const layers: MvtLayer[] = [];
    fields(bytes.length, (no, wire, len) => {
      if (no !== 3) throw new Error(`field ${no} at the top level: an MVT tile holds only layers (field 3)`);
      if (wire !== 2) throw new Error('a layer that is not a message');
      const layer: MvtLayer = { name: '', features: 0, extent: 4096 };
      fields(at + len, (lno, lwire, llen) => {
        if (lno === 1 && lwire === 2) layer.name = new TextDecoder().decode(bytes.subarray(at, at + llen));
        else if (lno === 2 && lwire === 2) layer.features++;
        else if (lno === 5 && lwire === 0) layer.extent = llen;
      });
      if (!layer.name) throw new Error('a layer without a name');
      layers.push(layer);
    });
    return { layers };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** A PMTiles header's facts, as the pmtiles reader gives them. */
export interface PackageHeader {
  specVersion: number;
  tileType: number;
  tileCompression: number;
  minZoom: number;
  maxZoom: number;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  numAddressedTiles: number;
}

/** One tile fetched or read to look at. */
export interface SampleTile {
  z: number;
  x: number;
  y: number;
  /** Bytes of the tile, or null when there is none (404, not in the package). */
  bytes: Uint8Array | null;
  /** For a tile service: the HTTP status, the Content-Type and whether it allows other origins (CORS). */
  status?: number;
  contentType?: string | null;
  cors?: boolean;
}

const MAGIC: Record<string, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47],
  jpg: [0xff, 0xd8, 0xff],
  webp: [0x52, 0x49, 0x46, 0x46],
};

/** What an image's first bytes say it is (png, jpg, webp), or null. */
export function imageKind(bytes: Uint8Array): string | null {
  for (const [kind, magic] of Object.entries(MAGIC)) if (magic.every((b, i) => bytes[i] === b)) return kind;
  return null;
}

const TILE_TYPE_NAMES: Record<number, string> = {
  0: 'unknown',
  1: MVT_TYPE_NAME,
  2: 'png',
  3: 'jpg',
  4: 'webp',
  5: 'avif',
  6: 'vector (MLT)',
};

/** The tile of zoom z holding a point (256-px XYZ tiles). */
export function tileAt([lon, lat]: readonly [number, number], z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  const y = Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n);
  return { z, x: Math.floor(((lon + 180) / 360) * n), y };
}

const KM_PER_DEG = 111.32;

/**
 * Problems with a PMTiles package for this city: not v3, not raster, compressed tiles a browser cannot show, bounds
 * that leave part of the city out (by how many km, which side), zooms that do not reach the wall's city view or
 * street level, sample tiles at the city's centre missing or not of the declared type. Empty: fine.
 */
export function packageProblems(
  h: PackageHeader,
  city: { bbox: readonly [number, number, number, number] },
  samples: readonly SampleTile[],
): string[] {
  const problems: string[] = [];
  if (h.specVersion !== 3) problems.push(`PMTiles spec version ${h.specVersion}: Egret reads version 3`);
  const type = TILE_TYPE_NAMES[h.tileType] ?? `type ${h.tileType}`;
  const vector = h.tileType === 1;
  if (![1, 2, 3, 4].includes(h.tileType))
    problems.push(`tiles are ${type}: Egret draws raster tiles (png, jpg, webp) or vector tiles (MVT)`);
  if (vector && h.tileCompression > 2)
    problems.push(
      `tiles are compressed with ${h.tileCompression === 3 ? 'brotli' : h.tileCompression === 4 ? 'zstd' : `compression ${h.tileCompression}`}: the hub reads gzipped or plain MVT; re-pack with gzip`,
    );
  if (!vector && h.tileCompression !== 1 && h.tileCompression !== 0)
    problems.push(
      `tiles are compressed inside the package (compression ${h.tileCompression}): raster tiles should be stored as they are`,
    );
  const [w, s, e, n] = city.bbox;
  const cos = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const short = (deg: number, perDeg: number) => `${(deg * perDeg).toFixed(1)} km`;
  if (h.minLon > w) problems.push(`bounds stop ${short(h.minLon - w, KM_PER_DEG * cos)} short of the city's west edge`);
  if (h.maxLon < e) problems.push(`bounds stop ${short(e - h.maxLon, KM_PER_DEG * cos)} short of the city's east edge`);
  if (h.minLat > s) problems.push(`bounds stop ${short(h.minLat - s, KM_PER_DEG)} short of the city's south edge`);
  if (h.maxLat < n) problems.push(`bounds stop ${short(n - h.maxLat, KM_PER_DEG)} short of the city's north edge`);
  if (h.minZoom > CITY_TILE_ZOOM)
    problems.push(
      `zooms start at ${h.minZoom}: the wall shows the whole city at ${CITY_TILE_ZOOM}, and needs tiles there`,
    );
  if (vector && h.maxZoom < VECTOR_STREET_TILE_ZOOM)
    problems.push(
      `zooms end at ${h.maxZoom}: vector tiles are drawn sharp past their deepest zoom, but need ${VECTOR_STREET_TILE_ZOOM} for streets`,
    );
  if (!vector && h.maxZoom < STREET_TILE_ZOOM)
    problems.push(
      `zooms end at ${h.maxZoom}: street level is ${STREET_TILE_ZOOM} (a commander reads street names there)`,
    );
  if (h.numAddressedTiles === 0) problems.push('the package holds no tiles');
  problems.push(...sampleProblems(samples, type));
  return problems;
}

/** Content types a vector tile service may send. */
const MVT_CONTENT_TYPES = /^application\/(vnd\.mapbox-vector-tile|x-protobuf|protobuf|octet-stream)\b/;

/**
 * Problems with sample tiles: missing, not an image (or for vector tiles, not an MVT), not the declared kind, or
 * (from a service) no CORS. Vector samples must be unpacked already (the pmtiles reader and fetch do it).
 */
export function sampleProblems(samples: readonly SampleTile[], declared?: string): string[] {
  const problems: string[] = [];
  for (const t of samples) {
    const at = `tile ${t.z}/${t.x}/${t.y} (the city's centre)`;
    if (t.status !== undefined && t.status !== 200) {
      problems.push(`${at}: HTTP ${t.status}`);
      continue;
    }
    if (!t.bytes) {
      problems.push(`${at}: missing`);
      continue;
    }
    if (declared === TILE_TYPE_NAMES[1]) {
      const mvt = mvtLayers(t.bytes);
      if ('error' in mvt) problems.push(`${at}: not a vector tile (MVT): ${mvt.error}`);
      if (t.contentType !== undefined && !MVT_CONTENT_TYPES.test(t.contentType ?? ''))
        problems.push(
          `${at}: Content-Type ${t.contentType ?? '(none)'}, application/vnd.mapbox-vector-tile or application/x-protobuf expected`,
        );
      if (t.cors === false)
        problems.push(
          `${at}: no Access-Control-Allow-Origin: the wall fetches tiles from the hub's origin and needs CORS`,
        );
      continue;
    }
    const kind = imageKind(t.bytes);
    if (!kind) problems.push(`${at}: not a png, jpg or webp image`);
    else if (declared && ['png', 'jpg', 'webp'].includes(declared) && kind !== declared)
      problems.push(`${at}: a ${kind} image in a package declared ${declared}`);
    if (t.contentType !== undefined && !/^image\//.test(t.contentType ?? ''))
      problems.push(`${at}: Content-Type ${t.contentType ?? '(none)'}, an image/* type expected`);
    if (t.cors === false)
      problems.push(
        `${at}: no Access-Control-Allow-Origin: the wall draws tiles with WebGL and cannot use tiles from another origin without CORS`,
      );
  }
  return problems;
}
