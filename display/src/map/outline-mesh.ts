import type { LonLat } from '@egret/protocol';
import type { Rgba } from '../theme.ts';
import { ringsOf, type Boundaries } from './boundaries.ts';
import { lineMesh, type LineMesh, type MeshLine } from './line-mesh.ts';

/**
 * The outline map's lines as meshes (./line-mesh.ts), made once per set of lines and style and kept: the same
 * lines at the same detail level (./outline-detail.ts hands out the same object per level) give the same mesh, so
 * deck.gl uploads it once and a redraw where only the units moved costs one draw call per outline layer.
 */

/** How an outline layer draws its lines: one colour and one width (pixels at the 4K wall's scale). */
export interface LineStyle {
  color: Rgba;
  width: number;
}

/** `?outline=paths`: the outline drawn by deck.gl's PathLayers as before the meshes — the baseline of bench:wall. */
export function outlinePathsForced(search: string): boolean {
  const raw = new URLSearchParams(search).get('outline') ?? '';
  return raw
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .includes('paths');
}
export const OUTLINE_PATHS = typeof location !== 'undefined' && outlinePathsForced(location.search);

const meshes = new WeakMap<object, Map<LineStyle, LineMesh>>();

/** A mesh per key object and style (both compared by identity), made by `make` the first time. */
function cached(key: object, style: LineStyle, make: () => MeshLine[]): LineMesh {
  let byStyle = meshes.get(key);
  if (!byStyle) meshes.set(key, (byStyle = new Map()));
  let mesh = byStyle.get(style);
  if (!mesh) byStyle.set(style, (mesh = lineMesh(make())));
  return mesh;
}

/** Every district ring in one style: the district edges and the fill's glow. */
export function ringsMesh(boundaries: Boundaries, style: LineStyle): LineMesh {
  return cached(boundaries, style, () => ringsOf(boundaries).map((path) => ({ path, ...style })));
}

/** Lines (the shore) in one style. */
export function linesMesh(lines: readonly (readonly LonLat[])[], style: LineStyle): LineMesh {
  return cached(lines, style, () => lines.map((path) => ({ path, ...style })));
}
