import { crc32, deflateSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

/**
 * Tiles made by tests from the project's own geography: a PNG encoder, a line rasteriser on Web Mercator tiles,
 * and a PMTiles v3 writer (the `pmtiles` package only reads) — enough to serve a city's base map the way a city
 * would, without a tile server or a download.
 */

export type Rgba = readonly [number, number, number, number];
export type LonLat = readonly [number, number];

/** An 8-bit RGBA PNG (filter 0 on every row). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const raw = new Uint8Array((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    out.set(body, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A position in world pixels at zoom z (256-px tiles). */
export function worldPixel([lon, lat]: LonLat, z: number): [number, number] {
  const n = 256 * 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * n, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n];
}

export interface DrawnTiles {
  /** `z/x/y` → PNG bytes. */
  tiles: Map<string, Uint8Array>;
  z: number;
}

type Segment = readonly [readonly [number, number], readonly [number, number]];

/**
 * Draws lines (each a list of positions on the tiles' own datum) `width` pixels wide in `color` over a `background`,
 * on every zoom-`z` tile of the column and row ranges — the boundary a test then looks for on the screen. `fills`
 * are painted first, `strokes` (more lines in other colours) last.
 */
export function drawTiles(opts: {
  /** Areas filled first (even-odd, each a list of rings), e.g. land over the sea's background. */
  fills?: readonly { rings: readonly (readonly LonLat[])[]; color: Rgba }[];
  lines: readonly (readonly LonLat[])[];
  strokes?: readonly { lines: readonly (readonly LonLat[])[]; color: Rgba; width: number }[];
  z: number;
  xs: readonly [number, number];
  ys: readonly [number, number];
  color: Rgba;
  background: Rgba;
  width: number;
}): DrawnTiles {
  const { z, background } = opts;
  const tiles = new Map<string, Uint8Array>();
  const segmentsOf = (lines: readonly (readonly LonLat[])[]): Segment[] =>
    lines.flatMap((line) => {
      const px = line.map((p) => worldPixel(p, z));
      return px.slice(1).map((b, i) => [px[i]!, b] as const);
    });
  const strokes = [
    { segments: segmentsOf(opts.lines), color: opts.color, width: opts.width },
    ...(opts.strokes ?? []).map((s) => ({ segments: segmentsOf(s.lines), color: s.color, width: s.width })),
  ];
  const fills = (opts.fills ?? []).map((f) => ({
    color: f.color,
    edges: f.rings.flatMap((ring) => {
      const px = ring.map((p) => worldPixel(p, z));
      return px.map((p, i) => [p, px[(i + 1) % px.length]!] as const);
    }),
  }));
  for (let tx = opts.xs[0]; tx <= opts.xs[1]; tx++)
    for (let ty = opts.ys[0]; ty <= opts.ys[1]; ty++) {
      const rgba = new Uint8Array(256 * 256 * 4);
      for (let i = 0; i < 256 * 256; i++) rgba.set(background, i * 4);
      const ox = tx * 256,
        oy = ty * 256;
      for (const fill of fills) fillRings(rgba, fill.edges, fill.color, ox, oy);
      for (const s of strokes) stroke(rgba, s.segments, s.color, s.width, ox, oy);
      tiles.set(`${z}/${tx}/${ty}`, encodePng(256, 256, rgba));
    }
  return { tiles, z };
}

/** Every pixel of the tile at (ox, oy) whose centre lies within width/2 of a segment (world pixels). */
function stroke(rgba: Uint8Array, segments: readonly Segment[], color: Rgba, width: number, ox: number, oy: number) {
  const half = width / 2;
  for (const [a, b] of segments) {
    if (Math.max(a[0], b[0]) < ox - width || Math.min(a[0], b[0]) > ox + 256 + width) continue;
    if (Math.max(a[1], b[1]) < oy - width || Math.min(a[1], b[1]) > oy + 256 + width) continue;
    const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - half - ox));
    const x1 = Math.min(255, Math.ceil(Math.max(a[0], b[0]) + half - ox));
    const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - half - oy));
    const y1 = Math.min(255, Math.ceil(Math.max(a[1], b[1]) + half - oy));
    const dx = b[0] - a[0],
      dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy || 1;
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const cx = ox + x + 0.5,
          cy = oy + y + 0.5;
        const t = Math.max(0, Math.min(1, ((cx - a[0]) * dx + (cy - a[1]) * dy) / len2));
        if (Math.hypot(cx - (a[0] + t * dx), cy - (a[1] + t * dy)) <= half) rgba.set(color, (y * 256 + x) * 4);
      }
  }
}

/** Fills, even-odd, every pixel of a tile whose centre is inside the rings (edges in world pixels). */
function fillRings(rgba: Uint8Array, edges: readonly Segment[], color: Rgba, ox: number, oy: number): void {
  for (let y = 0; y < 256; y++) {
    const cy = oy + y + 0.5;
    const xs: number[] = [];
    for (const [a, b] of edges) {
      if (a[1] <= cy === b[1] <= cy) continue;
      xs.push(a[0] + ((cy - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - ox - 0.5));
      const to = Math.min(255, Math.floor(xs[k + 1]! - ox - 0.5));
      for (let x = from; x <= to; x++) rgba.set(color, (y * 256 + x) * 4);
    }
  }
}

/** The tile columns and rows at zoom z covering a bbox, one more each way. */
export function tileRange(bbox: readonly [number, number, number, number], z: number) {
  const [x0, y1] = worldPixel([bbox[0], bbox[1]], z).map((v) => Math.floor(v / 256));
  const [x1, y0] = worldPixel([bbox[2], bbox[3]], z).map((v) => Math.floor(v / 256));
  return { xs: [x0! - 1, x1! + 1] as const, ys: [y0! - 1, y1! + 1] as const };
}

function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/**
 * A PMTiles v3 archive of the given tiles (one root directory, no leaves, nothing compressed inside): what
 * `pmtiles convert` would make of an XYZ folder this small. `tileType` 2 is PNG.
 */
export function writePmtiles(opts: {
  tiles: Map<string, Uint8Array>;
  bounds: readonly [number, number, number, number];
  tileType?: number;
  metadata?: Record<string, unknown>;
}): Uint8Array {
  const entries = [...opts.tiles]
    .map(([key, data]) => {
      const [z, x, y] = key.split('/').map(Number) as [number, number, number];
      return { id: zxyToTileId(z, x, y), z, data };
    })
    .sort((a, b) => a.id - b.id);
  const dir: number[] = [];
  varint(dir, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(dir, e.id - last);
    last = e.id;
  }
  for (let i = 0; i < entries.length; i++) varint(dir, 1);
  for (const e of entries) varint(dir, e.data.length);
  let offset = 0;
  for (let i = 0; i < entries.length; i++) {
    varint(dir, i === 0 ? offset + 1 : 0); // 0: right after the previous tile
    offset += entries[i]!.data.length;
  }
  if (127 + dir.length > 16_384) throw new Error('too many tiles for a root-only archive');
  const meta = Buffer.from(JSON.stringify(opts.metadata ?? {}));
  const data = Buffer.concat(entries.map((e) => e.data));
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header[7] = 3;
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  const rootAt = 127,
    metaAt = rootAt + dir.length,
    dataAt = metaAt + meta.length;
  u64(8, rootAt);
  u64(16, dir.length);
  u64(24, metaAt);
  u64(32, meta.length);
  u64(40, dataAt); // no leaf directories
  u64(48, 0);
  u64(56, dataAt);
  u64(64, data.length);
  u64(72, entries.length);
  u64(80, entries.length);
  u64(88, entries.length);
  header[96] = 1; // clustered
  header[97] = 1; // internal compression: none
  header[98] = 1; // tile compression: none
  header[99] = opts.tileType ?? 2;
  const zooms = entries.map((e) => e.z);
  header[100] = Math.min(...zooms);
  header[101] = Math.max(...zooms);
  const e7 = (v: number) => Math.round(v * 1e7);
  const [w, s, e, n] = opts.bounds;
  header.writeInt32LE(e7(w), 102);
  header.writeInt32LE(e7(s), 106);
  header.writeInt32LE(e7(e), 110);
  header.writeInt32LE(e7(n), 114);
  header[118] = Math.min(...zooms);
  header.writeInt32LE(e7((w + e) / 2), 119);
  header.writeInt32LE(e7((s + n) / 2), 123);
  return Buffer.concat([header, Buffer.from(dir), meta, data]);
}
