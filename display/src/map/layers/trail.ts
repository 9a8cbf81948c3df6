import { PathLayer } from '@deck.gl/layers';
import type { Rgba } from '../../theme.ts';

export interface TrailInput {
  /** The selected unit's recent track, oldest first; empty when no unit is selected. */
  path: [number, number][];
  /** Bumped whenever the track changes. */
  version: number;
  visible: boolean;
  scale?: number;
}

export const TRAIL_COLOUR: Rgba = [125, 211, 252, 230];

/** The selected unit's last 30 minutes as one line under the units. */
export function trailLayer({ path, version, visible, scale = 1 }: TrailInput): PathLayer<{ path: [number, number][] }> {
  return new PathLayer<{ path: [number, number][] }>({
    id: 'unit-trail',
    data: path.length > 1 ? [{ path }] : [],
    visible,
    getPath: (d) => d.path,
    getColor: TRAIL_COLOUR,
    getWidth: 6,
    widthUnits: 'pixels',
    widthScale: scale,
    jointRounded: true,
    capRounded: true,
    updateTriggers: { getPath: version },
    pickable: false,
  });
}
