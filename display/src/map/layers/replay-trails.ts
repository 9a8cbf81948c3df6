import type { Layer } from '@deck.gl/core';
import { PathLayer } from '@deck.gl/layers';
import type { LonLat } from '@egret/protocol';
import type { Rgba } from '../../theme.ts';
import { lineMesh, type LineMesh } from '../line-mesh.ts';
import { tracksAtLevel, tracksForcedFull, tracksForcedPaths, type FlatPaths } from '../track-detail.ts';
import { FLAT, LineMeshLayer } from './line-mesh-layer.ts';
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
/** `?tracks=paths`: drawn by deck.gl's PathLayer, the bench's baseline of the mesh. Read once. */
const TRACKS_PATHS = typeof location !== 'undefined' && tracksForcedPaths(location.search);
/** The tracks' width in pixels at the 4K wall's scale. */
const TRAIL_WIDTH = 3;

/**
 * Every unit's recent track in replay, one path per unit, from typed arrays. Drawn under the units, at the detail the
 * zoom can show (../track-detail.ts: the outline's simplifier, cached per level and per picture of the tracks), as
 * the outline map is (./zoom-detail-layer.ts), and as one triangle mesh (../line-mesh.ts, one draw call): on software
 * GL a PathLayer pays a draw's set-up per segment, ~0.3–0.5 s for a late seek's ~9,000 points at city view.
 */
export function replayTrailsLayer(
  tracks: ReplayTrailsInput,
  scale = 1,
  full = TRACKS_FULL,
  paths = TRACKS_PATHS,
): Layer {
  // `data` is not drawn from: the tracks as handed over, for whoever counts the rows (the debug hook's `layers`).
  return new ZoomDetailLayer({
    id: 'replay-trails',
    data: tracks,
    visible: tracks.visible ?? true,
    draw: (level) => (paths ? trailsAt : trailsMeshAt)(tracks, full ? null : level, scale),
  });
}

const meshOf = new WeakMap<FlatPaths, LineMesh>();

/** The tracks at a detail level as one mesh: the same mesh for the same tracks and level (nothing re-uploaded). */
export function trailsMeshAt(tracks: ReplayTrailsInput, level: number | null, scale = 1): LineMeshLayer {
  const at = tracksAtLevel(tracks, level);
  let mesh = meshOf.get(at);
  if (!mesh) meshOf.set(at, (mesh = lineMesh(linesOf(at))));
  return new LineMeshLayer({
    id: 'replay-trails',
    mesh,
    widthScale: scale,
    visible: tracks.visible ?? true,
    parameters: FLAT,
    pickable: false,
  });
}

/** Each track as a line of the mesh. */
function linesOf({ length, startIndices, positions }: FlatPaths) {
  const points = positions.length / 2;
  const lines = [];
  for (let p = 0; p < length; p++) {
    const end = p + 1 < length ? startIndices[p + 1]! : points;
    const path: LonLat[] = [];
    for (let i = startIndices[p]!; i < end; i++) path.push([positions[2 * i]!, positions[2 * i + 1]!]);
    lines.push({ path, color: REPLAY_TRAIL_COLOUR, width: TRAIL_WIDTH });
  }
  return lines;
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
    getWidth: TRAIL_WIDTH,
    widthUnits: 'pixels',
    widthScale: scale,
    jointRounded: true,
    updateTriggers: { getPath: `${version}@${level ?? 'full'}` },
    pickable: false,
  });
}
