import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { unitsForcedFull, unitsGatheredExactly } from '../unit-cells.ts';
import { UnitCellsLayer } from './unit-cells-layer.ts';
import { unitDotStyle } from './unit-dot-style.ts';

export interface UnitsInput {
  /** Rows to draw: one past the highest slot with a fix. */
  length: number;
  /** [lon, lat] per slot (Float32, degrees). */
  positions: Float32Array;
  /** Fill RGBA per slot. */
  colors: Uint8Array;
  /** Ring RGBA per slot. */
  lineColors: Uint8Array;
  /** Radius in pixels per slot (0 hides a slot). */
  radii: Float32Array;
  /** Bumped whenever the arrays' contents change (they are reused, so their identity does not). */
  version: number;
}

/**
 * From this many rows on, units that fall in the same few screen pixels are drawn as one dot (./unit-cells-layer.ts):
 * below it every unit is its own dot, as the cells would cost more than they save (and a handful of units at one
 * post stay a handful of rings).
 */
export const GATHER_FROM = 2_000;

/** `?units=full`: every unit its own dot however many there are (the baseline of `bench:wall`). Read once. */
const UNITS_FULL = typeof location !== 'undefined' && unitsForcedFull(location.search);
/** `?units=exact`: the gathering as it was before its table and kept arrays (bench:wall's baseline). Read once. */
const UNITS_EXACT = typeof location !== 'undefined' && unitsGatheredExactly(location.search);

/**
 * The units layer: past `GATHER_FROM` rows, the units gathered into screen cells (one draw of 50,000 ringed dots
 * costs seconds on software GL); else, or with `full`, every unit its own dot (`unitDotsLayer`).
 */
export function unitsLayer(input: UnitsInput, scale = 1, full = UNITS_FULL): Layer {
  if (full || input.length < GATHER_FROM) return unitDotsLayer(input, scale);
  return new UnitCellsLayer({
    id: 'units',
    // Not drawn from: the rows, for whoever counts them (the debug hook's `layers`).
    data: { length: input.length },
    rows: input,
    version: input.version,
    scale,
    ...(UNITS_EXACT ? { exact: true } : {}),
    pickable: true,
  });
}

/**
 * Field units, one row per frame slot, straight from typed arrays (`data.attributes`): no per-unit objects and no
 * accessors, so a tick of 50,000 units costs a few milliseconds. A new `data` object per version tells deck.gl
 * that the arrays' contents changed.
 */
export function unitDotsLayer(
  { length, positions, colors, lineColors, radii, version }: UnitsInput,
  scale = 1,
): ScatterplotLayer {
  return new ScatterplotLayer({
    id: 'units',
    data: {
      length,
      attributes: {
        getPosition: { value: positions, size: 2 },
        getFillColor: { value: colors, size: 4, normalized: true },
        getLineColor: { value: lineColors, size: 4, normalized: true },
        getRadius: { value: radii, size: 1 },
      },
    },
    ...unitDotStyle(scale),
    updateTriggers: { getPosition: version, getFillColor: version, getLineColor: version, getRadius: version },
    pickable: true,
  });
}
