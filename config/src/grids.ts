import type { LonLat } from '@egret/protocol';
import type { DistrictShape } from './geometry.ts';

/**
 * Unit grids (单元网格): square cells of about `cellM` metres laid over the city's bounding box and clipped to each
 * district. A cell that straddles a district border becomes one cell per district, each with its own id.
 *
 * Grid ids are 15 characters like the GB/T 30428.1 layout (district 6 + street 3 + community 3 + serial 3): here
 * the generated row and column take the places of the street and community codes and the serial is `001`,
 * e.g. `350203` `041` `052` `001`. A city that loads its real grid replaces these ids and outlines.
 */

/** Metres per degree of latitude (mean over the WGS-84 ellipsoid at Xiamen's latitude is within 0.3% of this). */
export const M_PER_DEG_LAT = 110_800;
/** Metres per degree of longitude at the equator; multiply by cos(latitude). */
export const M_PER_DEG_LON_EQUATOR = 111_320;

/**
 * Size of the city's unit grids in metres: the cells the simulator's duty areas and typhoon incidents use, and the
 * ones the wall draws (`GET /api/map/grids`). One number, so the two never disagree.
 */
export const GRID_CELL_M = 500;

/** The lattice the city's cells sit on. */
export interface GridSpec {
  /** South-west corner of cell (row 0, col 0): [lon, lat]. */
  origin: LonLat;
  /** Cell size in degrees. */
  cellLon: number;
  cellLat: number;
  rows: number;
  cols: number;
  /** Nominal cell size in metres. */
  cellM: number;
}

/** One clipped cell. */
export interface GridCell {
  /** 15-character grid id. */
  id: string;
  district: string;
  row: number;
  col: number;
  /** Centre of the full square (may lie outside a clipped piece on the coast). */
  center: LonLat;
  /** The square clipped to the district, as GeoJSON MultiPolygon coordinates (outer ring first, then holes). */
  polygons: LonLat[][][];
  /** Area of the clipped cell in square metres. */
  areaM2: number;
}

/** Square cells of about `cellM` metres (at the box's middle latitude) covering `bbox` = [minLon, minLat, maxLon, maxLat]. */
export function gridSpec(bbox: readonly [number, number, number, number], cellM = GRID_CELL_M): GridSpec {
  const [x0, y0, x1, y1] = bbox;
  const midLat = (y0 + y1) / 2;
  const cellLat = cellM / M_PER_DEG_LAT;
  const cellLon = cellM / (M_PER_DEG_LON_EQUATOR * Math.cos((midLat * Math.PI) / 180));
  return {
    origin: [x0, y0],
    cellLon,
    cellLat,
    rows: Math.ceil((y1 - y0) / cellLat),
    cols: Math.ceil((x1 - x0) / cellLon),
    cellM,
  };
}

/** Row and column of the cell holding a point, or undefined outside the grid. */
export function cellAt(spec: GridSpec, [lon, lat]: LonLat): { row: number; col: number } | undefined {
  const row = Math.floor((lat - spec.origin[1]) / spec.cellLat);
  const col = Math.floor((lon - spec.origin[0]) / spec.cellLon);
  if (row < 0 || col < 0 || row >= spec.rows || col >= spec.cols) return undefined;
  return { row, col };
}

/** The 15-character id of the cell at (row, col) in a district. */
export function gridId(district: string, row: number, col: number): string {
  if (!/^\d{6}$/.test(district)) throw new RangeError(`district code must be 6 digits, got ${district}`);
  if (row < 0 || row > 999 || col < 0 || col > 999) throw new RangeError(`cell (${row}, ${col}) is outside 0–999`);
  return `${district}${pad3(row)}${pad3(col)}001`;
}

/** The id of the grid holding a point of a district (its lattice cell, as clipped to the district), if in the grid. */
export function gridIdAt(spec: GridSpec, district: string, p: LonLat): string | undefined {
  const cell = cellAt(spec, p);
  return cell && gridId(district, cell.row, cell.col);
}

/** District, row and column of a generated grid id, or undefined when the id is not of this layout. */
export function parseGridId(id: string): { district: string; row: number; col: number } | undefined {
  const m = /^(\d{6})(\d{3})(\d{3})001$/.exec(id);
  return m ? { district: m[1]!, row: Number(m[2]), col: Number(m[3]) } : undefined;
}

/** The square of a cell as a closed ring. */
export function cellSquare(spec: GridSpec, row: number, col: number): LonLat[] {
  const x0 = spec.origin[0] + col * spec.cellLon,
    x1 = x0 + spec.cellLon;
  const y0 = spec.origin[1] + row * spec.cellLat,
    y1 = y0 + spec.cellLat;
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}

/**
 * Every cell of every district: the grid's squares clipped to the district outlines (Sutherland–Hodgman against
 * the square, which is convex). A concave coastline inside one square can leave zero-width seams along the
 * square's edge in the clipped ring; they add no area and vanish when filled.
 */
export function gridCells(shapes: readonly DistrictShape[], spec: GridSpec): GridCell[] {
  const cells: GridCell[] = [];
  for (const shape of shapes) {
    const byCell = new Map<number, { row: number; col: number; polygons: LonLat[][][]; area: number }>();
    for (const poly of shape.polygons) {
      const outer = poly[0];
      if (!outer || outer.length < 4) continue;
      const [r0, r1, c0, c1] = rowColRange(spec, outer);
      for (let row = r0; row <= r1; row++) {
        const y0 = spec.origin[1] + row * spec.cellLat,
          y1 = y0 + spec.cellLat;
        // Clip to the row's strip first: each column then clips a much shorter ring.
        const strip = clipAxis(clipAxis(outer, 1, y0, true), 1, y1, false);
        if (strip.length < 3) continue;
        const holes = poly
          .slice(1)
          .map((h) => clipAxis(clipAxis(h, 1, y0, true), 1, y1, false))
          .filter((h) => h.length >= 3);
        for (let col = c0; col <= c1; col++) {
          const x0 = spec.origin[0] + col * spec.cellLon,
            x1 = x0 + spec.cellLon;
          const piece = clipAxis(clipAxis(strip, 0, x0, true), 0, x1, false);
          if (piece.length < 3) continue;
          const midLat = (y0 + y1) / 2;
          let area = ringAreaM2(piece, midLat);
          if (area < 1) continue;
          const pieceHoles: LonLat[][] = [];
          for (const h of holes) {
            const hp = clipAxis(clipAxis(h, 0, x0, true), 0, x1, false);
            const ha = hp.length >= 3 ? ringAreaM2(hp, midLat) : 0;
            if (ha >= 1) {
              area -= ha;
              pieceHoles.push(close(hp));
            }
          }
          if (area < 1) continue;
          const key = row * 100_000 + col;
          const entry = byCell.get(key) ?? { row, col, polygons: [], area: 0 };
          entry.polygons.push([close(piece), ...pieceHoles]);
          entry.area += area;
          byCell.set(key, entry);
        }
      }
    }
    const sorted = [...byCell.values()].sort((a, b) => a.row - b.row || a.col - b.col);
    for (const { row, col, polygons, area } of sorted) {
      cells.push({
        id: gridId(shape.code, row, col),
        district: shape.code,
        row,
        col,
        center: [spec.origin[0] + (col + 0.5) * spec.cellLon, spec.origin[1] + (row + 0.5) * spec.cellLat],
        polygons,
        areaM2: Math.round(area),
      });
    }
  }
  return cells;
}

/** The cells as a GeoJSON FeatureCollection (properties: id, district, areaM2), for the display's grid layer. */
export function gridGeoJson(cells: readonly GridCell[]) {
  return {
    type: 'FeatureCollection' as const,
    features: cells.map((c) => ({
      type: 'Feature' as const,
      properties: { id: c.id, district: c.district, areaM2: c.areaM2 },
      geometry: { type: 'MultiPolygon' as const, coordinates: c.polygons },
    })),
  };
}

function rowColRange(spec: GridSpec, ring: readonly LonLat[]): [number, number, number, number] {
  let minLon = Infinity,
    minLat = Infinity,
    maxLon = -Infinity,
    maxLat = -Infinity;
  for (const [lon, lat] of ring) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  return [
    clamp(Math.floor((minLat - spec.origin[1]) / spec.cellLat), spec.rows),
    clamp(Math.floor((maxLat - spec.origin[1]) / spec.cellLat), spec.rows),
    clamp(Math.floor((minLon - spec.origin[0]) / spec.cellLon), spec.cols),
    clamp(Math.floor((maxLon - spec.origin[0]) / spec.cellLon), spec.cols),
  ];
}

/**
 * One Sutherland–Hodgman pass: keeps the part of `ring` with coordinate `axis` ≥ `bound` (keepAbove) or ≤ `bound`.
 * The input may be closed or open; the output is open (first point not repeated).
 */
function clipAxis(ring: readonly LonLat[], axis: 0 | 1, bound: number, keepAbove: boolean): LonLat[] {
  const pts = isClosed(ring) ? ring.slice(0, -1) : ring;
  const out: LonLat[] = [];
  const inside = (p: LonLat) => (keepAbove ? p[axis] >= bound : p[axis] <= bound);
  for (let i = 0; i < pts.length; i++) {
    const cur = pts[i]!;
    const prev = pts[(i + pts.length - 1) % pts.length]!;
    const curIn = inside(cur),
      prevIn = inside(prev);
    if (curIn !== prevIn) {
      const t = (bound - prev[axis]) / (cur[axis] - prev[axis]);
      const other = axis === 0 ? 1 : 0;
      const p: LonLat = [0, 0];
      p[axis] = bound;
      p[other] = prev[other] + t * (cur[other] - prev[other]);
      out.push(p);
    }
    if (curIn) out.push(cur);
  }
  return out;
}

function isClosed(ring: readonly LonLat[]): boolean {
  const a = ring[0],
    b = ring[ring.length - 1];
  return ring.length > 1 && a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

function close(ring: LonLat[]): LonLat[] {
  return isClosed(ring) ? ring : [...ring, ring[0]!];
}

/** Shoelace area of an (open or closed) ring in square metres, with a local equirectangular scale. */
function ringAreaM2(ring: readonly LonLat[], lat: number): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  const kx = M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180);
  return Math.abs(sum / 2) * kx * M_PER_DEG_LAT;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}
