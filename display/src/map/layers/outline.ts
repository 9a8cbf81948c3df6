import type { Layer } from '@deck.gl/core';
import { PathLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { HubConfig, LonLat } from '@egret/protocol';
import type { Rgba } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { coastlines } from '../coastline.ts';
import { linesAtLevel } from '../outline-detail.ts';
import { linesMesh, OUTLINE_PATHS, type LineStyle } from '../outline-mesh.ts';
import { ClearLayer } from './clear-layer.ts';
import { FLAT, LineMeshLayer } from './line-mesh-layer.ts';
import { ZoomDetailLayer } from './zoom-detail-layer.ts';

export interface OutlineInput {
  /** District outlines (WGS-84): the same object for the life of the page. */
  boundaries: Boundaries;
  /** The fixed links to the island from the hub's config (ends approximate). */
  crossings?: HubConfig['crossings'];
  scale?: number;
}

/** The outline map's own colours: a sea darker than any district, a pale shore, links in sand. */
export const OUTLINE = {
  sea: [4, 12, 26, 255] as Rgba,
  shore: [150, 200, 230, 90] as Rgba,
  bridge: [222, 184, 100, 255] as Rgba,
  tunnel: [222, 184, 100, 150] as Rgba,
};

/** The whole map's background: everything not land is sea at the scale a city is shown. */
const SEA = [
  {
    polygon: [
      [60, -10],
      [180, -10],
      [180, 60],
      [60, 60],
    ] as LonLat[],
  },
];

const coastOf = new WeakMap<Boundaries, LonLat[][]>();
type Link = { path: LonLat[]; kind: string };
const linksOf = new WeakMap<object, Link[]>();

/**
 * The sea under the districts (the outline map without tiles): drawn first, so that land (the district fills)
 * and sea read apart from across the room. A clear of the map in the sea's colour (./clear-layer.ts); with
 * `?outline=paths`, the polygon over the region it was before (the bench's baseline).
 */
export function seaLayer(): Layer {
  if (!OUTLINE_PATHS) return new ClearLayer({ id: 'sea', color: OUTLINE.sea, pickable: false });
  return new SolidPolygonLayer<(typeof SEA)[number]>({
    id: 'sea',
    data: SEA,
    getPolygon: (d) => d.polygon,
    getFillColor: OUTLINE.sea,
    pickable: false,
  });
}

/**
 * The shore: the outline edges no two districts share, as a soft pale band under the district edges — a district
 * border between two districts stays a thin blue line, the coast gets a halo.
 */
export function coastLayer({ boundaries, scale = 1 }: OutlineInput): Layer {
  let lines = coastOf.get(boundaries);
  if (!lines) coastOf.set(boundaries, (lines = coastlines(boundaries)));
  const shore = lines;
  // `data` is not drawn from: the shore's lines, for whoever counts the rows (the debug hook's `layers`).
  return new ZoomDetailLayer({ id: 'coastline', data: shore, draw: (level) => coastAt(shore, level, scale) });
}

const SHORE: LineStyle = { color: OUTLINE.shore, width: 9 };

/** The shore's lines at a detail level: the same mesh (or rows) for the same level, so nothing is re-uploaded. */
const coastRows = new WeakMap<readonly LonLat[][], { path: LonLat[] }[]>();
function coastAt(shore: LonLat[][], level: number | null, scale: number): Layer {
  const lines = linesAtLevel(shore, level);
  if (!OUTLINE_PATHS)
    return new LineMeshLayer({ id: 'coastline', mesh: linesMesh(lines, SHORE), widthScale: scale, parameters: FLAT });
  let data = coastRows.get(lines);
  if (!data) coastRows.set(lines, (data = lines.map((path) => ({ path }))));
  return new PathLayer<{ path: LonLat[] }>({
    id: 'coastline',
    data,
    getPath: (d) => d.path,
    getColor: SHORE.color,
    widthUnits: 'pixels',
    getWidth: SHORE.width,
    widthScale: scale,
    jointRounded: true,
    capRounded: true,
    pickable: false,
  });
}

const linkStyle = (kind: string): LineStyle =>
  kind === 'tunnel' ? { color: OUTLINE.tunnel, width: 3 } : { color: OUTLINE.bridge, width: 5 };

/**
 * The fixed links to Xiamen Island (bridges, tunnels) as straight lines between their approximate ends (roads.json:
 * read off a web map to a few hundred metres): where squads must cross, which the squad ranking names.
 *
 * Still a PathLayer, unlike the rest of the outline: a handful of segments cost SwiftShader next to nothing, and
 * drawing one from the first frame has it compile deck.gl's path pipeline at load. Without it the first path
 * drawn later — the overview's outline at a 推屏, a storm's track — paid that compile in the middle of the
 * command (bench:wall, 5,000 units: a 推屏 right after a mode switch drawn in 2.8–6.2 s instead of 1.4–2.6 s).
 */
export function fixedLinksLayer({ crossings, scale = 1 }: OutlineInput): Layer {
  const key = crossings ?? SEA;
  let data = linksOf.get(key);
  if (!data) {
    data = (crossings ?? []).flatMap((c) => (c.ends ? [{ path: [...c.ends], kind: c.kind ?? 'bridge' }] : []));
    linksOf.set(key, data);
  }
  return new PathLayer<Link>({
    id: 'fixed-links',
    data,
    getPath: (d) => d.path,
    getColor: (d) => linkStyle(d.kind).color,
    widthUnits: 'pixels',
    getWidth: (d) => linkStyle(d.kind).width,
    widthScale: scale,
    capRounded: true,
    pickable: false,
  });
}
