import { ScatterplotLayer } from '@deck.gl/layers';

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
 * Field units, one row per frame slot, straight from typed arrays (`data.attributes`): no per-unit objects and no
 * accessors, so a tick of 50,000 units costs a few milliseconds. A new `data` object per version tells deck.gl
 * that the arrays' contents changed.
 */
export function unitsLayer(
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
    radiusUnits: 'pixels',
    radiusScale: scale,
    stroked: true,
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    lineWidthScale: scale,
    updateTriggers: { getPosition: version, getFillColor: version, getLineColor: version, getRadius: version },
    pickable: true,
  });
}
