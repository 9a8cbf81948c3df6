import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Case, LonLat } from '@egret/protocol';
import { THEME, type Rgba } from '../theme.ts';
import type { Boundaries } from './boundaries.ts';
import type { Perimeter } from './event-picture.ts';
import { FilledOutlineLayer } from './layers/filled-outline-layer.ts';
import { boundariesAtLevel, detailLevel } from './outline-detail.ts';
import { OUTLINE_PATHS, type LineStyle } from './outline-mesh.ts';
import type { Bbox } from './view.ts';

/**
 * The overview (鹰眼): while the wall looks at part of the city (a case or a view put on it, a major event's
 * area), a small map of the whole city in a corner of the map shows where that part is and what is happening
 * around it. It is a second view of the one Deck, drawn over the main map in its own cleared rectangle.
 */
export const OVERVIEW_VIEW_ID = 'overview';

/** Where the overview sits in the map area (CSS pixels from its bottom-left corner) and what it frames. */
export interface OverviewInset {
  left: number;
  bottom: number;
  width: number;
  height: number;
  /** The whole city. */
  city: Bbox;
}

/**
 * The overview's share of the map area's width, up to a width that leaves a wide wall's map its height (the map
 * is ~1,500 px tall on every wall), and its distance from the map's edges (pixels).
 */
const WIDTH_FRACTION = 0.26;
const MAX_WIDTH_PX = 560;
const MARGIN_PX = 28;

/** Web-Mercator y of a latitude (radians of the projected plane). */
const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/** The overview for a map `mapWidth` pixels wide: a share of its width, as tall as the city is on a map. */
export function overviewInset(
  city: Bbox,
  mapWidth: number,
  widthFraction = WIDTH_FRACTION,
  margin = MARGIN_PX,
): OverviewInset {
  const width = Math.min(MAX_WIDTH_PX, Math.round(mapWidth * widthFraction));
  const aspect = (mercatorY(city[3]) - mercatorY(city[1])) / (((city[2] - city[0]) * Math.PI) / 180);
  return { left: margin, bottom: margin, width, height: Math.round(width * aspect), city };
}

/**
 * Which layers each view draws: the main map draws everything but the overview's own layers; the overview only
 * its own (districts, perimeters and cases at a size for a small map, and the main map's frame), and the storm's
 * cone and track, drawn in pixels that read as well small.
 */
const SHARED_WITH_OVERVIEW = new Set(['storm-cone', 'storm-track', 'storm-centre']);
export function inView(layerId: string, viewId: string): boolean {
  const own = layerId.startsWith(`${OVERVIEW_VIEW_ID}-`);
  return viewId === OVERVIEW_VIEW_ID ? own || SHARED_WITH_OVERVIEW.has(layerId) : !own;
}

export interface OverviewLayersInput {
  boundaries: Boundaries;
  cases: readonly Case[];
  caseColor: (c: Case) => Rgba;
  /** A major event's perimeters, when its layers are drawn. */
  perimeters: readonly Perimeter[];
  /** What the main map shows now, outlined. */
  frame: Bbox;
  /** Size relative to the 4K wall. */
  scale?: number;
}

type DeckGeoJson = ConstructorParameters<typeof GeoJsonLayer>[0]['data'];

/** The overview's district edges: the main map's edge colour, thin (pixels at the 4K wall's scale). */
const OVERVIEW_EDGE: LineStyle = { color: THEME.map.districtEdge, width: 1.5 };

/** The overview's outline detail: a city fitted into an inset a fifth of the map's width is drawn at zoom ~9. */
const OVERVIEW_DETAIL = 9;

/**
 * The districts filled, their edges a mesh (./layers/filled-outline-layer.ts: one draw for the lines, not one per
 * segment); with `?outline=paths` a GeoJsonLayer's stroke, as before (./outline-mesh.ts).
 */
function overviewDistricts(data: DeckGeoJson, scale: number): Layer {
  if (!OUTLINE_PATHS) return new FilledOutlineLayer({ id: 'overview-districts', data, line: OVERVIEW_EDGE, scale });
  return new GeoJsonLayer({
    id: 'overview-districts',
    data,
    filled: true,
    stroked: true,
    getFillColor: (_f, { index }) => THEME.map.districtFills[index % THEME.map.districtFills.length]!,
    getLineColor: OVERVIEW_EDGE.color,
    lineWidthUnits: 'pixels',
    getLineWidth: OVERVIEW_EDGE.width * scale,
    pickable: false,
  });
}

/** The overview's own layers, bottom to top. Pure: the same input gives layers with the same ids and props. */
export function overviewLayers(input: OverviewLayersInput): Layer[] {
  const scale = input.scale ?? 1;
  const [w, s, e, n] = input.frame;
  const frame: LonLat[] = [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
  return [
    overviewDistricts(
      // A few hundred pixels for the whole city: the outline at that detail (./outline-detail.ts), not its 8,000 points.
      boundariesAtLevel(input.boundaries, detailLevel(OVERVIEW_DETAIL)) as unknown as DeckGeoJson,
      scale,
    ),
    new PathLayer<Perimeter>({
      id: 'overview-perimeters',
      data: input.perimeters,
      getPath: (p) => [...p.ring, p.ring[0]!],
      getColor: THEME.event.perimeter.line,
      widthUnits: 'pixels',
      getWidth: 2 * scale,
      pickable: false,
    }),
    new ScatterplotLayer<Case>({
      id: 'overview-cases',
      data: input.cases,
      getPosition: (c) => c.position,
      getFillColor: input.caseColor,
      getRadius: (c) => (c.urgency === 'normal' ? 3.5 : 5.5),
      radiusUnits: 'pixels',
      radiusScale: scale,
      pickable: false,
    }),
    new PathLayer<LonLat[]>({
      id: 'overview-frame',
      data: [frame],
      getPath: (p) => p,
      getColor: THEME.overview.frame,
      widthUnits: 'pixels',
      getWidth: 3 * scale,
      pickable: false,
    }),
  ];
}

/**
 * The items of a main-map layer of names (district labels) to draw while the overview is shown: those whose name
 * would lie partly under it are left out, so no tail of a name peeks out from behind its edge. `project` gives an
 * item's pixel in the map area; `reach` is how far a name extends from its anchor, each way (pixels).
 */
export function clearOfInset<T extends { position: LonLat }>(
  items: readonly T[],
  project: (p: LonLat) => readonly [number, number],
  inset: Pick<OverviewInset, 'left' | 'bottom' | 'width' | 'height'>,
  mapHeight: number,
  reach: readonly [x: number, y: number],
): T[] {
  const left = inset.left - reach[0];
  const right = inset.left + inset.width + reach[0];
  const top = mapHeight - inset.bottom - inset.height - reach[1];
  const bottom = mapHeight - inset.bottom + reach[1];
  return items.filter((item) => {
    const [x, y] = project(item.position);
    return x < left || x > right || y < top || y > bottom;
  });
}
