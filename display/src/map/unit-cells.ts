import { mercatorX, mercatorY } from './mercator.ts';

/**
 * Units that fall in the same few screen pixels, drawn as one dot (issue #19). On a wall PC without a GPU (software
 * GL) a draw's cost grows with the dots drawn, not with the pixels: one 1080p draw of 50,000 units took 2–3 s
 * whatever their size, 100,000 took 4–8 s, and the page handles nothing meanwhile (a mode switch or 推屏 waits for
 * it). At city view 50,000 dots of ~16 px cannot be told apart anyway: they pile eight deep. So the units are
 * gathered into square cells of the screen — anchored to the world, not to the viewport, so a cell's dot stands still
 * while its units do — and each occupied cell is drawn as one dot: at the mean position of its units, in the status
 * colour most of its most prominent units have, a little larger the more it holds. A cell of one unit is that unit,
 * drawn as before. When even the cells would be more than `maxDots`, the cells grow (×1.5 at a time) until they are
 * not. Every unit on the screen is in its cell's dot, so every unit is shown in each picture; units off the screen
 * (the view given) are left out.
 *
 * Pure: rows in, cells out; the zoom comes in as the viewport's world scale.
 */

/** The rows of the units picture (one per frame slot): the arrays the units layer draws. */
export interface UnitRows {
  length: number;
  /** [lon, lat] per slot. */
  positions: Float32Array;
  /** Fill RGBA per slot. */
  colors: Uint8Array;
  /** Ring RGBA per slot. */
  lineColors: Uint8Array;
  /** Radius (pixels at scale 1) per slot; 0: nothing to draw there. */
  radii: Float32Array;
}

export interface CellGrid {
  /** Screen pixels per world unit of the 512-pixel Web Mercator world: 2^zoom (deck.gl's `viewport.scale`). */
  worldScale: number;
  /** The smallest cell's side, in screen pixels. */
  cellPx: number;
  /** At most this many dots: the cells grow until the occupied ones are no more. */
  maxDots: number;
  /**
   * What the screen shows, in the same world pixels ([minX, minY, maxX, maxY], y growing southwards), margin
   * included: units outside it are not drawn (zoomed in, most of the city is off the screen). None: all are.
   */
  view?: readonly [number, number, number, number];
  /**
   * Each unit projected with the exact `mercatorY` and the working arrays allocated afresh, as the gathering did
   * before its table and kept arrays (`?units=exact`: bench:wall's baseline for them). Same cells but at the edges.
   */
  exact?: boolean;
}

/** The dots to draw: one row per occupied cell. */
export interface UnitCells extends UnitRows {
  /** Units in each dot. */
  counts: Uint32Array;
  /** The slot whose colours each dot wears (a dot of one unit: that unit's slot). */
  slots: Uint32Array;
  /** The cells' side, in screen pixels, after growing to fit `maxDots`. */
  cellPx: number;
  /** Units gathered: the rows with a radius inside the view. */
  units: number;
}

/** The cell side (CSS pixels at scale 1) to start from: about a unit's dot, ring included. */
export const UNIT_CELL_PX = 12;
/**
 * At most this many dots at once. Measured on SwiftShader (1080p, 2 cores under load): ~0.3–0.7 s a draw for 5,000
 * ringed dots, 2.4–3.3 s for 50,000.
 */
export const MAX_UNIT_DOTS = 6_000;
/** A cell that holds `n` units draws `log2(n)` pixels larger, up to this many (scale 1). */
export const MAX_GROWTH_PX = 4;
/** Each step when the cells are too many. */
const GROW = 1.5;
/** Cells never grow past this (pixels): beyond it the grid would stand for districts, not places. */
const MAX_CELL_PX = 96;
/** Cell keys are `x * 2^26 + y`, exact below 2^53: cells per world side must stay under 2^26. */
const KEY_SPAN = 2 ** 26;

/** The tabulated latitudes (degrees): mercatorY is exact outside them. */
const TABLE_FROM = -85;
const TABLE_TO = 85;
/** Latitude step of the table (degrees): 17,001 rows, 136 KB. */
const TABLE_STEP = 0.01;
let yTable: Float64Array | null = null;

/**
 * `mercatorY` from a table with linear steps between rows 0.01° apart (exact beyond ±85°, where Web Mercator's
 * world ends): the gathering projects every unit for every picture, and a logarithm and a tangent per unit were a
 * third of its time at 50,000 units. Off by under a quarter pixel at zoom 20 within 30° of the equator, and
 * elsewhere by less than half of what one Float32 step of the latitude moves the point (the positions are Float32):
 * finer than the positions themselves (unit test against the exact).
 */
export function mercatorYFast(lat: number): number {
  const t = (lat - TABLE_FROM) / TABLE_STEP;
  if (!(t >= 0 && t < (TABLE_TO - TABLE_FROM) / TABLE_STEP)) return mercatorY(lat);
  const table = (yTable ??= mercatorTable());
  const i = Math.floor(t);
  const y0 = table[i]!;
  return y0 + (table[i + 1]! - y0) * (t - i);
}

function mercatorTable(): Float64Array {
  const n = Math.round((TABLE_TO - TABLE_FROM) / TABLE_STEP) + 1;
  const table = new Float64Array(n);
  for (let i = 0; i < n; i++) table[i] = mercatorY(TABLE_FROM + i * TABLE_STEP);
  return table;
}

/**
 * Working arrays of the gathering, kept from one picture to the next: allocated anew each time they were ~3 MB a
 * picture at 50,000 units for the garbage collector. Only ever read within one `unitCells` call.
 */
const scratch = {
  xs: new Float64Array(0),
  ys: new Float64Array(0),
  drawn: new Uint8Array(0),
  index: new Int32Array(0),
  keys: new Float64Array(0),
  values: new Int32Array(0),
};

function scratchFor(length: number, exact = false): typeof scratch {
  if (exact) {
    scratch.keys = new Float64Array(0);
    scratch.index = new Int32Array(length);
    return Object.assign(scratch, {
      xs: new Float64Array(length),
      ys: new Float64Array(length),
      drawn: new Uint8Array(length),
    });
  }
  if (scratch.drawn.length < length) {
    const capacity = Math.max(1024, length + (length >> 2));
    scratch.xs = new Float64Array(capacity);
    scratch.ys = new Float64Array(capacity);
    scratch.drawn = new Uint8Array(capacity);
    scratch.index = new Int32Array(capacity);
  }
  return scratch;
}

/**
 * The units of `rows` gathered into the cells of `grid`. Returns the rows themselves (as cells of one) when no two
 * units share a cell or the zoom is too deep to need cells.
 */
export function unitCells(rows: UnitRows, grid: CellGrid): UnitCells {
  const { length, positions, radii } = rows;
  const worldPx = 512 * grid.worldScale;
  // World pixel coordinates of each drawn slot, once; each try of a cell size only divides them.
  const { xs, ys, drawn } = scratchFor(length, grid.exact);
  const project = grid.exact ? mercatorY : mercatorYFast;
  // Whether each slot is drawn: a fix, and inside the view.
  drawn.fill(0, 0, length);
  const [minX, minY, maxX, maxY] = grid.view ?? [-Infinity, -Infinity, Infinity, Infinity];
  let units = 0;
  let culled = 0;
  for (let slot = 0; slot < length; slot++) {
    if (!(radii[slot]! > 0)) continue;
    const x = mercatorX(positions[slot * 2]!) * grid.worldScale;
    const y = project(positions[slot * 2 + 1]!) * grid.worldScale;
    if (x < minX || x > maxX || y < minY || y > maxY) {
      culled++;
      continue;
    }
    xs[slot] = x;
    ys[slot] = y;
    drawn[slot] = 1;
    units++;
  }
  let cellPx = Math.max(1, grid.cellPx);
  if (worldPx / cellPx >= KEY_SPAN)
    return culled > 0 ? gatherEach(rows, drawn, units, cellPx) : identity(rows, units, cellPx);
  let cellOf = assign(length, drawn, xs, ys, cellPx, grid.exact);
  while (cellOf.cells > grid.maxDots && cellPx * GROW <= MAX_CELL_PX) {
    cellPx *= GROW;
    cellOf = assign(length, drawn, xs, ys, cellPx, grid.exact);
  }
  if (cellOf.cells === units && culled === 0) return identity(rows, units, cellPx);
  return gather(rows, cellOf.index, cellOf.cells, units, cellPx);
}

/** Every drawn slot its own dot (too deep a zoom for cells), without those off the view. */
function gatherEach(rows: UnitRows, drawn: Uint8Array, units: number, cellPx: number): UnitCells {
  const index = scratch.index.fill(-1, 0, rows.length);
  let n = 0;
  for (let slot = 0; slot < rows.length; slot++) if (drawn[slot]) index[slot] = n++;
  return gather(rows, index, n, units, cellPx);
}

/** Each drawn slot's cell number (−1: not drawn), and how many cells are occupied (of the first `length` slots). */
function assign(
  length: number,
  drawn: Uint8Array,
  xs: Float64Array,
  ys: Float64Array,
  cellPx: number,
  fresh = false,
): { index: Int32Array; cells: number } {
  if (fresh) scratch.index = new Int32Array(length);
  const index = scratch.index.fill(-1, 0, length);
  // An open-addressed table in typed arrays rather than a Map: the gathering runs on the page's main thread for every
  // picture, and 100,000 units go through it. Keys are exact integers below 2^53; the table is at least twice the
  // units, so probes stay short.
  let size = 16;
  while (size < length * 2) size *= 2;
  const mask = size - 1;
  if (fresh || scratch.keys.length !== size) {
    scratch.keys = new Float64Array(size);
    scratch.values = new Int32Array(size);
  }
  const keys = scratch.keys.fill(-1);
  const values = scratch.values;
  let cells = 0;
  for (let slot = 0; slot < length; slot++) {
    if (!drawn[slot]) continue;
    const cx = Math.floor(xs[slot]! / cellPx);
    const cy = Math.floor(ys[slot]! / cellPx);
    const key = cx * KEY_SPAN + cy;
    let h = (Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca6b)) & mask;
    while (keys[h] !== -1 && keys[h] !== key) h = (h + 1) & mask;
    if (keys[h] === -1) {
      keys[h] = key;
      values[h] = cells++;
    }
    index[slot] = values[h]!;
  }
  return { index, cells };
}

function gather(rows: UnitRows, index: Int32Array, n: number, units: number, cellPx: number): UnitCells {
  const { length, positions, colors, lineColors, radii } = rows;
  const sumLon = new Float64Array(n);
  const sumLat = new Float64Array(n);
  const counts = new Uint32Array(n);
  const maxR = new Float32Array(n);
  // A majority vote (Boyer–Moore) over the fill colours of each cell's largest dots: on-duty units outrank the
  // stale and off-duty ones, drawn smaller; among those, the status most of them share wins.
  const winner = new Uint32Array(n);
  const votes = new Int32Array(n);
  for (let slot = 0; slot < length; slot++) {
    const cell = index[slot]!;
    if (cell < 0) continue;
    sumLon[cell]! += positions[slot * 2]!;
    sumLat[cell]! += positions[slot * 2 + 1]!;
    counts[cell]!++;
    const r = radii[slot]!;
    if (counts[cell] === 1 || r > maxR[cell]!) {
      maxR[cell] = r;
      winner[cell] = slot;
      votes[cell] = 1;
    } else if (r === maxR[cell]) {
      if (votes[cell] === 0) {
        winner[cell] = slot;
        votes[cell] = 1;
      } else if (sameColor(colors, winner[cell]!, slot)) votes[cell]!++;
      else votes[cell]!--;
    }
  }
  const out: UnitCells = {
    length: n,
    positions: new Float32Array(n * 2),
    colors: new Uint8Array(n * 4),
    lineColors: new Uint8Array(n * 4),
    radii: new Float32Array(n),
    counts,
    slots: winner,
    cellPx,
    units,
  };
  for (let cell = 0; cell < n; cell++) {
    const count = counts[cell]!;
    const slot = winner[cell]!;
    out.positions[cell * 2] = sumLon[cell]! / count;
    out.positions[cell * 2 + 1] = sumLat[cell]! / count;
    out.colors.set(colors.subarray(slot * 4, slot * 4 + 4), cell * 4);
    out.lineColors.set(lineColors.subarray(slot * 4, slot * 4 + 4), cell * 4);
    out.radii[cell] = maxR[cell]! + growthPx(count);
  }
  return out;
}

/** How much larger (pixels at scale 1) a dot of `count` units is drawn than its largest unit. */
export function growthPx(count: number): number {
  return count > 1 ? Math.min(MAX_GROWTH_PX, Math.log2(count)) : 0;
}

/** Every unit its own cell: the rows as they are, each slot its own dot. */
function identity(rows: UnitRows, units: number, cellPx: number): UnitCells {
  const slots = new Uint32Array(rows.length);
  for (let slot = 0; slot < rows.length; slot++) slots[slot] = slot;
  return {
    length: rows.length,
    positions: rows.positions,
    colors: rows.colors,
    lineColors: rows.lineColors,
    radii: rows.radii,
    counts: new Uint32Array(rows.length).fill(1),
    slots,
    cellPx,
    units,
  };
}

function sameColor(colors: Uint8Array, a: number, b: number): boolean {
  const i = a * 4,
    j = b * 4;
  return (
    colors[i] === colors[j] &&
    colors[i + 1] === colors[j + 1] &&
    colors[i + 2] === colors[j + 2] &&
    colors[i + 3] === colors[j + 3]
  );
}

/** `?units=exact`: the gathering projected exactly, its arrays allocated per picture (`CellGrid.exact`). */
export function unitsGatheredExactly(search: string): boolean {
  return new URLSearchParams(search).get('units')?.trim().toLowerCase() === 'exact';
}

/** `?units=full`: every unit its own dot at every zoom (the baseline `bench:wall` compares against). */
export function unitsForcedFull(search: string): boolean {
  return new URLSearchParams(search).get('units')?.trim().toLowerCase() === 'full';
}
