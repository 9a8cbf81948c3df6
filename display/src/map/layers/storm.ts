import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, LineLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { THEME } from '../../theme.ts';
import type { MapLabel, StormPicture, StormPointer, TrackFix, TrackLeg, WindCircle } from '../storm-picture.ts';
import { glyphsOf } from './text-glyphs.ts';
import { HALO_TEXT } from './halo-text.ts';

export interface StormLayersInput {
  /** Rebuilt per storm update only: every array keeps its identity between frames. */
  picture: StormPicture;
  visible: boolean;
  scale?: number;
}

/** The storm's layers in their three places in the stack. */
export interface StormLayers {
  /** Under everything but the base map: districts under the force-10 winds, wind circles, the forecast cone. */
  areas: Layer[];
  /** Under the cases: the forecast path and the track so far (mostly at sea; over the city the cases matter more). */
  lines: Layer[];
  /** Over the units: the centre, its label, and the edge pointer while the centre is out of view. */
  marks: Layer[];
}

type DeckGeoJson = ConstructorParameters<typeof GeoJsonLayer>[0]['data'];

const RADII = THEME.storm.radii;
const windStyle = (c: WindCircle) => (c.force === 12 ? RADII.r12 : c.force === 10 ? RADII.r10 : RADII.r7);

// Accessors live here, not inline: the layer list is rebuilt on every frame and world change, and deck.gl skips a
// layer (and a composite layer its sublayers) only when every prop is the same object as before.
const fixPosition = (f: TrackFix) => f.position;
const fixColor = (f: TrackFix) => f.color;
const windPosition = (c: WindCircle) => c.position;
const windRadius = (c: WindCircle) => c.radiusM;
const windFill = (c: WindCircle) => windStyle(c).fill;
const windLine = (c: WindCircle) => windStyle(c).line;
const windWidth = (c: WindCircle) => (c.force === 7 ? 4 : 5);
const conePolygon = (c: { polygon: [number, number][] }) => c.polygon;
const forecastPath = (d: { path: [number, number][] }) => d.path;
const legFrom = (l: TrackLeg) => l.from;
const legTo = (l: TrackLeg) => l.to;
const legColor = (l: TrackLeg) => l.color;
const pointerPosition = (d: StormPointer) => d.position;
const pointerText = () => '▶';
const POINTER_GLYPHS = ['▶'];
const pointerAngle = (d: StormPointer) => d.angleDeg;
const labelPosition = (d: MapLabel) => d.position;
const labelText = (d: MapLabel) => d.text;
const labelAnchor = (d: MapLabel) => d.anchor;
const labelBaseline = (d: MapLabel) => d.baseline;
/** One offset accessor per scale (the wall's 1, the console's 0.5), so it too keeps its identity. */
const labelOffsets = new Map<number, (d: MapLabel) => [number, number]>();
const labelOffset = (scale: number) => {
  let f = labelOffsets.get(scale);
  if (!f) labelOffsets.set(scale, (f = (d: MapLabel) => [d.offset[0] * scale, d.offset[1] * scale]));
  return f;
};

/**
 * Every storm layer, always in the stack (empty or switched off: `visible: false`), so a storm arriving or the
 * `storm` switch flipping changes props, never the layer list.
 */
export function stormLayers({ picture: p, visible, scale = 1 }: StormLayersInput): StormLayers {
  const on = (rows: { length: number }) => visible && rows.length > 0;
  return {
    areas: [
      // Damaging winds (force 10, 24.5 m/s) reach these districts: where trees, signs and hoardings come down.
      new GeoJsonLayer({
        id: 'storm-damage',
        data: p.damage as unknown as DeckGeoJson,
        visible: on(p.damage.features),
        filled: true,
        stroked: true,
        getFillColor: THEME.storm.damage.fill,
        getLineColor: THEME.storm.damage.line,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        getLineWidth: 6,
        lineJointRounded: true,
        pickable: false,
      }),
      // Real sizes on the ground: a radius in km is a radius in metres to deck.gl, whatever the zoom.
      new ScatterplotLayer<WindCircle>({
        id: 'storm-wind-radii',
        data: p.windCircles,
        visible: on(p.windCircles),
        getPosition: windPosition,
        getRadius: windRadius,
        radiusUnits: 'meters',
        filled: true,
        stroked: true,
        getFillColor: windFill,
        getLineColor: windLine,
        getLineWidth: windWidth,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
      new PolygonLayer<{ polygon: [number, number][] }>({
        id: 'storm-cone',
        data: p.cones,
        visible: on(p.cones),
        getPolygon: conePolygon,
        filled: true,
        stroked: true,
        getFillColor: THEME.storm.cone.fill,
        getLineColor: THEME.storm.cone.line,
        getLineWidth: 3,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
    ],
    lines: [
      new PathLayer<{ path: [number, number][] }>({
        id: 'storm-forecast',
        data: p.forecastPaths,
        visible: on(p.forecastPaths),
        getPath: forecastPath,
        getColor: THEME.storm.forecast,
        getWidth: 4,
        widthUnits: 'pixels',
        widthScale: scale,
        jointRounded: true,
        pickable: false,
      }),
      // Forecast positions as hollow rings, past fixes as solid dots: "will be" against "was".
      new ScatterplotLayer<TrackFix>({
        id: 'storm-forecast-fixes',
        data: p.forecastFixes,
        visible: on(p.forecastFixes),
        getPosition: fixPosition,
        getLineColor: fixColor,
        getRadius: 10,
        radiusUnits: 'pixels',
        radiusScale: scale,
        filled: false,
        stroked: true,
        getLineWidth: 4,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
      new LineLayer<TrackLeg>({
        id: 'storm-track',
        data: p.legs,
        visible: on(p.legs),
        getSourcePosition: legFrom,
        getTargetPosition: legTo,
        getColor: legColor,
        getWidth: 7,
        widthUnits: 'pixels',
        widthScale: scale,
        pickable: false,
      }),
      new ScatterplotLayer<TrackFix>({
        id: 'storm-track-fixes',
        data: p.fixes,
        visible: on(p.fixes),
        getPosition: fixPosition,
        getFillColor: fixColor,
        getLineColor: THEME.map.labelHalo,
        getRadius: 9,
        radiusUnits: 'pixels',
        radiusScale: scale,
        stroked: true,
        getLineWidth: 2,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
    ],
    marks: [
      new ScatterplotLayer<TrackFix>({
        id: 'storm-centre',
        data: p.centres,
        visible: on(p.centres),
        getPosition: fixPosition,
        getFillColor: fixColor,
        getLineColor: THEME.storm.centre,
        getRadius: 20,
        radiusUnits: 'pixels',
        radiusScale: scale,
        stroked: true,
        getLineWidth: 6,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
      // An arrow glyph pointing east, turned towards a centre that lies beyond the map.
      new TextLayer<StormPointer>({
        ...HALO_TEXT,
        id: 'storm-pointer',
        data: p.pointers,
        visible: on(p.pointers),
        getPosition: pointerPosition,
        getText: pointerText,
        getAngle: pointerAngle,
        getSize: 80,
        sizeScale: scale,
        getColor: THEME.storm.intensity.superty,
        characterSet: POINTER_GLYPHS,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        pickable: false,
      }),
      new TextLayer<MapLabel>({
        ...HALO_TEXT,
        id: 'storm-labels',
        data: p.labels,
        visible: on(p.labels),
        getPosition: labelPosition,
        getText: labelText,
        getSize: THEME.storm.labelSize,
        sizeScale: scale,
        getColor: THEME.map.label,
        getTextAnchor: labelAnchor,
        getAlignmentBaseline: labelBaseline,
        getPixelOffset: labelOffset(scale),
        characterSet: glyphsOf(p.labels),
        fontWeight: 700,
        lineHeight: 1.15,
        pickable: false,
      }),
    ],
  };
}
