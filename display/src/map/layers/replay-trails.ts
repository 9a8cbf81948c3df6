import { PathLayer } from '@deck.gl/layers';
import type { Rgba } from '../../theme.ts';

export interface ReplayTrailsInput {
  length: number;
  startIndices: Uint32Array;
  /** [lon, lat] pairs of every path, back to back (float32 degrees: ~1 m at Xiamen's longitude). */
  positions: Float32Array;
  /** Bumped whenever the arrays are rebuilt. */
  version: number;
  visible?: boolean;
}

export const REPLAY_TRAIL_COLOUR: Rgba = [125, 211, 252, 150];

/**
 * Every unit's recent track in replay, one path per unit, straight from typed arrays (binary `data` with
 * `startIndices`): no per-unit objects, so thousands of tracks rebuild in a few milliseconds. Drawn under the units.
 */
export function replayTrailsLayer(
  { length, startIndices, positions, version, visible = true }: ReplayTrailsInput,
  scale = 1,
): PathLayer {
  return new PathLayer({
    id: 'replay-trails',
    data: { length, startIndices, attributes: { getPath: { value: positions, size: 2 } } },
    _pathType: 'open',
    visible,
    getColor: REPLAY_TRAIL_COLOUR,
    getWidth: 3,
    widthUnits: 'pixels',
    widthScale: scale,
    jointRounded: true,
    updateTriggers: { getPath: version },
    pickable: false,
  });
}
