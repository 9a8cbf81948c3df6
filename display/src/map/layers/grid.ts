import { LineLayer, PathLayer } from '@deck.gl/layers';
import type { LonLat } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import type { GridLine } from '../grid-lines.ts';
import type { GridPicture } from '../grid-picture.ts';

/** Width of a grid line on the ground (clamped to 1–3 px on the wall). */
const GRID_LINE_M = 8;

export interface GridInput {
  /** The city's cells: the same picture (and `lines` array) for the life of the page, empty until it arrives. */
  picture: GridPicture;
  /** Size of lines relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
}

/**
 * The unit grids (单元网格) as hairlines in the districts' blue: a faint texture at city zoom, clear cells when the
 * wall zooms to a case. Drawn over the district fill and under the district edges, which close the cells along
 * borders and the coast. Straight runs (`gridLines`), so a plain LineLayer: the cheapest line deck.gl draws.
 */
export function gridLayer({ picture, scale = 1 }: GridInput): LineLayer<GridLine> {
  return new LineLayer<GridLine>({
    id: 'grid',
    data: picture.lines as GridLine[],
    getSourcePosition: (d) => d.from,
    getTargetPosition: (d) => d.to,
    getColor: THEME.map.gridLine,
    // In metres, held between a hairline and a line: one pixel at city zoom, where 7,000 cells are a texture, and
    // up to three once the wall zooms to a case and the cells are what it is about.
    getWidth: GRID_LINE_M,
    widthUnits: 'meters',
    widthScale: scale,
    widthMinPixels: 1,
    widthMaxPixels: 3 * scale,
    pickable: false,
  });
}

interface SelectedRow {
  path: LonLat[];
  width: number;
  color: Rgba;
}

// The map's layers are rebuilt per position frame: the same cell keeps the same rows, so deck.gl re-uploads nothing.
const rowsOf = new WeakMap<readonly LonLat[][], SelectedRow[]>();
const NO_ROWS: SelectedRow[] = [];

function selectedRows(rings: readonly LonLat[][]): SelectedRow[] {
  if (rings.length === 0) return NO_ROWS;
  let rows = rowsOf.get(rings);
  if (!rows) {
    rows = [
      ...rings.map((path) => ({ path, width: 14, color: THEME.map.gridSelectedGlow })),
      ...rings.map((path) => ({ path, width: 4, color: THEME.map.gridSelected })),
    ];
    rowsOf.set(rings, rows);
  }
  return rows;
}

/**
 * The selected case's own cell outlined in white over a soft glow (each ring twice, glow first): shown when a case
 * is put on the wall (推屏) or selected at the console. It follows the selection, not the grid switch: one outline
 * never clutters, and which cell a case is in is what grid management (网格化管理) answers for it.
 */
export function gridSelectedLayer({
  rings,
  scale = 1,
}: {
  rings: readonly LonLat[][];
  scale?: number;
}): PathLayer<SelectedRow> {
  const data = selectedRows(rings);
  return new PathLayer<SelectedRow>({
    id: 'grid-selected',
    data,
    visible: data.length > 0,
    getPath: (d) => d.path,
    getColor: (d) => d.color,
    getWidth: (d) => d.width,
    widthUnits: 'pixels',
    widthScale: scale,
    widthMinPixels: 1,
    // A ring's first point is also its last: round joints and caps close the corner there too.
    jointRounded: true,
    capRounded: true,
    pickable: false,
  });
}
