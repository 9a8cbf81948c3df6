import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import { THEME } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { boundariesAtLevel } from '../outline-detail.ts';
import { OUTLINE_PATHS, ringsMesh, type LineStyle } from '../outline-mesh.ts';
import { fillColor, FilledOutlineLayer } from './filled-outline-layer.ts';
import { FLAT, LineMeshLayer } from './line-mesh-layer.ts';
import { ZoomDetailLayer } from './zoom-detail-layer.ts';

export interface DistrictsInput {
  /** District outlines in WGS-84: the same object for the life of the page. */
  boundaries: Boundaries;
  /** Size of lines relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
}

// deck.gl's GeoJSON types come from @types/geojson; the served collection has the same structure.
type DeckGeoJson = ConstructorParameters<typeof GeoJsonLayer>[0]['data'];

/**
 * The offline base map: each district filled dark (neighbours in alternating shades) with a wide soft glow along
 * its border. No tiles: the command centre may sit on a closed network. The lines are meshes drawn in one call
 * each (../outline-mesh.ts; `?outline=paths` draws them with deck.gl's PathLayers, the bench's baseline).
 */
export function districtFillLayer({ boundaries, scale = 1 }: DistrictsInput): Layer {
  return new ZoomDetailLayer({
    id: 'district-fill',
    // Not drawn from: the districts, for whoever counts the rows (the debug hook's `layers`).
    data: boundaries as unknown as DeckGeoJson,
    draw: (level) => districtFill(boundariesAtLevel(boundaries, level), scale),
  });
}

const GLOW: LineStyle = { color: THEME.map.districtGlow, width: 12 };
const EDGE: LineStyle = { color: THEME.map.districtEdge, width: 3 };

function districtFill(boundaries: Boundaries, scale: number): Layer {
  if (OUTLINE_PATHS) return districtFillPaths(boundaries, scale);
  return new FilledOutlineLayer({
    id: 'district-fill',
    data: boundaries as unknown as DeckGeoJson,
    line: GLOW,
    scale,
  });
}

/** `?outline=paths`: the fill and glow as one GeoJsonLayer with PathLayer strokes, as before the meshes. */
function districtFillPaths(boundaries: Boundaries, scale: number): GeoJsonLayer {
  return new GeoJsonLayer({
    id: 'district-fill',
    data: boundaries as unknown as DeckGeoJson,
    filled: true,
    stroked: true,
    getFillColor: (_f, { index }) => fillColor(index),
    getLineColor: GLOW.color,
    lineWidthUnits: 'pixels',
    lineWidthScale: scale,
    getLineWidth: GLOW.width,
    lineJointRounded: true,
    pickable: false,
  });
}

/** Crisp bright district borders, drawn above the fill's glow. */
export function districtEdgeLayer({ boundaries, scale = 1 }: DistrictsInput): Layer {
  return new ZoomDetailLayer({
    id: 'district-edge',
    data: boundaries as unknown as DeckGeoJson,
    draw: (level) => districtEdge(boundariesAtLevel(boundaries, level), scale),
  });
}

function districtEdge(boundaries: Boundaries, scale: number): Layer {
  if (!OUTLINE_PATHS)
    return new LineMeshLayer({
      id: 'district-edge',
      mesh: ringsMesh(boundaries, EDGE),
      widthScale: scale,
      parameters: FLAT,
    });
  return new GeoJsonLayer({
    id: 'district-edge',
    data: boundaries as unknown as DeckGeoJson,
    filled: false,
    stroked: true,
    getLineColor: EDGE.color,
    lineWidthUnits: 'pixels',
    lineWidthScale: scale,
    getLineWidth: EDGE.width,
    lineJointRounded: true,
    pickable: false,
  });
}
