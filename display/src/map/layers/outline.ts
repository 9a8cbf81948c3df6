import type { Layer } from '@deck.gl/core';
import { PathLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { HubConfig, LonLat } from '@egret/protocol';
import type { Rgba } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { coastlines } from '../coastline.ts';
import { linesAtLevel } from '../outline-detail.ts';
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
 * and sea read apart from across the room.
 */
export function seaLayer(): Layer {
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

/** The shore's lines at a detail level, the same rows for the same level (deck.gl re-uploads nothing). */
const coastRows = new WeakMap<readonly LonLat[][], { path: LonLat[] }[]>();
function coastAt(shore: LonLat[][], level: number | null, scale: number): Layer {
  const lines = linesAtLevel(shore, level);
  let data = coastRows.get(lines);
  if (!data) coastRows.set(lines, (data = lines.map((path) => ({ path }))));
  return new PathLayer<{ path: LonLat[] }>({
    id: 'coastline',
    data,
    getPath: (d) => d.path,
    getColor: OUTLINE.shore,
    widthUnits: 'pixels',
    getWidth: 9,
    widthScale: scale,
    jointRounded: true,
    capRounded: true,
    pickable: false,
  });
}

/**
 * The fixed links to Xiamen Island (bridges, tunnels) as straight lines between their approximate ends (roads.json:
 * read off a web map to a few hundred metres): where squads must cross, which the squad ranking names.
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
    getColor: (d) => (d.kind === 'tunnel' ? OUTLINE.tunnel : OUTLINE.bridge),
    widthUnits: 'pixels',
    getWidth: (d) => (d.kind === 'tunnel' ? 3 : 5),
    widthScale: scale,
    capRounded: true,
    pickable: false,
  });
}
