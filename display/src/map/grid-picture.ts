import { pointInRing, type Case, type GridLattice, type GridMap, type LonLat } from '@egret/protocol';
import { gridLines, type GridLine } from './grid-lines.ts';

/** The unit grids as the map draws them, built once when the hub's grid map arrives. */
export interface GridPicture {
  /** The grid layer's rows: one array for the life of the page (deck.gl uploads it once). */
  lines: readonly GridLine[];
  /** Each cell's rings by grid id, whole squares spelled out. */
  rings: ReadonlyMap<string, readonly LonLat[][]>;
  lattice: GridLattice | null;
  /** Cells by lattice square (`squareKey`): a square cut by a district border holds one cell per district. */
  bySquare: ReadonlyMap<number, readonly { id: string; district: string }[]>;
}

/** Before the grid map has arrived (or without one): nothing to draw. */
export const EMPTY_GRID_PICTURE: GridPicture = Object.freeze({
  lines: [],
  rings: new Map(),
  lattice: null,
  bySquare: new Map(),
});

const squareKey = (row: number, col: number) => row * 10_000 + col;
// The same rounding as the hub's cut rings, so a whole square's edge meets its cut neighbour's exactly.
const round = (v: number) => Math.round(v * 1e5) / 1e5;

/** Expands the hub's compact grid map (`GridMap`) into the lines to draw and each cell's rings. */
export function gridPicture(map: GridMap | null): GridPicture {
  if (!map) return EMPTY_GRID_PICTURE;
  const { origin, cellLon, cellLat } = map.lattice;
  const rings = new Map<string, LonLat[][]>();
  const bySquare = new Map<number, { id: string; district: string }[]>();
  for (const c of map.cells) {
    let cell = c.rings;
    if (!cell) {
      const x0 = round(origin[0] + c.col * cellLon),
        x1 = round(origin[0] + (c.col + 1) * cellLon);
      const y0 = round(origin[1] + c.row * cellLat),
        y1 = round(origin[1] + (c.row + 1) * cellLat);
      cell = [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ];
    }
    rings.set(c.id, cell);
    const key = squareKey(c.row, c.col);
    const here = bySquare.get(key);
    if (here) here.push({ id: c.id, district: c.district });
    else bySquare.set(key, [{ id: c.id, district: c.district }]);
  }
  return { lines: gridLines(map), rings, lattice: map.lattice, bySquare };
}

/**
 * The outline of a case's cell: by its `grid` id when it has one the map knows; otherwise the cell its position
 * falls in, as a city's case system assigns the grid from the location (of a square cut by a district border, the
 * piece holding the point, else the case's district's). Empty without a case, or for one off the grid.
 */
export function caseCellRings(
  picture: GridPicture,
  c: Pick<Case, 'grid' | 'position' | 'district'> | null | undefined,
): readonly LonLat[][] {
  if (!c) return [];
  const byId = c.grid === undefined ? undefined : picture.rings.get(c.grid);
  if (byId) return byId;
  const l = picture.lattice;
  if (!l) return [];
  const row = Math.floor((c.position[1] - l.origin[1]) / l.cellLat);
  const col = Math.floor((c.position[0] - l.origin[0]) / l.cellLon);
  if (row < 0 || col < 0) return [];
  const here = picture.bySquare.get(squareKey(row, col)) ?? [];
  const holds = (id: string) => picture.rings.get(id)!.some((ring) => pointInRing(ring, c.position));
  const cell =
    here.length > 1
      ? (here.find((h) => holds(h.id)) ?? here.find((h) => h.district === c.district) ?? here[0])
      : here[0];
  return cell ? picture.rings.get(cell.id)! : [];
}
