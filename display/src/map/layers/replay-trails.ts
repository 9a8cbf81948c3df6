import type { Layer } from '@deck.gl/core';
import { PathLayer } from '@deck.gl/layers';
import type { Rgba } from '../../theme.ts';
import { tracksAtLevel, tracksForcedFull } from '../track-detail.ts';
import { ZoomDetailLayer } from './zoom-detail-layer.ts';

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

/** `?tracks=full`: every sample drawn at every zoom (../track-detail.ts). Read once. */
const TRACKS_FULL = typeof location !== 'undefined' && tracksForcedFull(location.search);

/**
 * Every unit's recent track in replay, one path per unit, straight from typed arrays (binary `data` with
 * `startIndices`): no per-unit objects, so thousands of tracks rebuild in a few milliseconds. Drawn under the units,
 * at the detail the zoom can show (../track-detail.ts: the outline's simplifier, cached per level and per picture of
 * the tracks), as the outline map is (./zoom-detail-layer.ts).
 */
export function replayTrailsLayer(tracks: ReplayTrailsInput, scale = 1, full = TRACKS_FULL): Layer {
  // `data` is not drawn from: the tracks as handed over, for whoever counts the rows (the debug hook's `layers`).
  return new ZoomDetailLayer({
    id: 'replay-trails',
    data: tracks,
    visible: tracks.visible ?? true,
    draw: (level) => trailsAt(tracks, full ? null : level, scale),
  });
}

type BinaryPaths = {
  length: number;
  startIndices: Uint32Array;
  attributes: { getPath: { value: Float32Array; size: 2 } };
};
const binaryOf = new WeakMap<ReplayTrailsInput, BinaryPaths>();

/**
 * The tracks at a detail level as a path layer: the same data for the same tracks and level, so deck.gl uploads
 * nothing again while neither changes.
 */
export function trailsAt(tracks: ReplayTrailsInput, level: number | null, scale = 1): PathLayer {
  const at = tracksAtLevel(tracks, level);
  const { length, startIndices, positions, version, visible = true } = at;
  let data = binaryOf.get(at);
  if (!data)
    binaryOf.set(at, (data = { length, startIndices, attributes: { getPath: { value: positions, size: 2 } } }));
  return new PathLayer({
    id: 'replay-trails',
    data,
    _pathType: 'open',
    visible,
    getColor: REPLAY_TRAIL_COLOUR,
    getWidth: 3,
    widthUnits: 'pixels',
    widthScale: scale,
    jointRounded: true,
    updateTriggers: { getPath: `${version}@${level ?? 'full'}` },
    pickable: false,
  });
}
