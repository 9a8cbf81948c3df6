import { intensityClass, type LonLat, type Storm } from '@egret/protocol';
import { THEME, type Rgba } from '../theme.ts';
import type { Boundaries } from './boundaries.ts';
import { distanceKm, districtsInCircle, edgePointer, forecastCone, type EdgeRange } from './storm-geometry.ts';
import type { Bbox } from './view.ts';

/**
 * The rows the storm layers draw, built once per storm update (not per frame): the track so far as coloured legs
 * and fixes, the forecast path and its cone, the wind circles, the centre with its label, a pointer at the map's
 * edge while the centre is out of view, and the districts under the force-10 winds.
 */

export interface TrackLeg {
  from: LonLat;
  to: LonLat;
  /** The intensity the storm had reached at the end of the leg. */
  color: Rgba;
}

export interface TrackFix {
  position: LonLat;
  color: Rgba;
}

/** 7, 10 or 12: the Beaufort force whose winds reach this far from the centre. */
export type WindForce = 7 | 10 | 12;

export interface WindCircle {
  position: LonLat;
  radiusM: number;
  force: WindForce;
}

/** A label on the map, placed beside its point (pixels at the wall's scale; y down). */
export interface MapLabel {
  position: LonLat;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  baseline: 'top' | 'center' | 'bottom';
  offset: [number, number];
}

/** An arrow at the map's edge towards a storm centre out of view. */
export interface StormPointer {
  position: LonLat;
  /** Degrees counter-clockwise from east, towards the storm. */
  angleDeg: number;
}

/** How far the centre's label sits right of the centre, and a pointer's words from its arrow. */
const LABEL_GAP = 40;
const POINTER_GAP = 48;
/**
 * The pointer sits just outside the districts' extent, in the margin the camera keeps round it (64 px on the wall,
 * about 5 % of the extent), so neither the arrow nor its words cover a district.
 */
export const POINTER_INSET = -0.03;
/**
 * The middle of the top and bottom edges, and the upper middle of the sides: the wall's legends sit in the map's
 * bottom corners, and an arrow under one would say nothing.
 */
export const POINTER_RANGE: EdgeRange = { horizontal: [0.3, 0.7], vertical: [0.45, 0.8] };

export interface StormPicture {
  legs: TrackLeg[];
  fixes: TrackFix[];
  forecastPaths: { path: LonLat[] }[];
  forecastFixes: TrackFix[];
  cones: { polygon: LonLat[] }[];
  /** Largest first, so the force-12 circle is drawn over the force-7 one. */
  windCircles: WindCircle[];
  centres: TrackFix[];
  /** Beside each centre in view (name, intensity, wind, pressure), and beside each pointer (name, distance). */
  labels: MapLabel[];
  pointers: StormPointer[];
  /** The districts the force-10 circle reaches, as a FeatureCollection of the base map's own features. */
  damage: Boundaries;
}

export interface StormPictureOptions {
  boundaries: Boundaries;
  /** What the camera fits: a centre outside it gets a pointer at the edge. */
  extent: Bbox;
  /** The city centre distances are measured from. */
  cityCenter: LonLat;
  /** The label beside the centre: name, intensity, wind and pressure. */
  labelOf: (storm: Storm) => string;
  /** The pointer's words: the storm's name and its distance from the city. */
  pointerText: (storm: Storm, km: number) => string;
}

const colourOf = (maxWindMs: number): Rgba => THEME.storm.intensity[intensityClass(maxWindMs)];
const FORCES: { force: WindForce; key: 'r7Km' | 'r10Km' | 'r12Km' }[] = [
  { force: 7, key: 'r7Km' },
  { force: 10, key: 'r10Km' },
  { force: 12, key: 'r12Km' },
];

export const EMPTY_BOUNDARIES: Boundaries = { type: 'FeatureCollection', features: [] };

/**
 * The picture of `storms` (most pressing first); empty rows, not missing layers, when there are none. Given the
 * previous picture, it keeps its `damage` collection while the same districts are under force-10 winds, so the
 * district outlines are not tessellated again for every storm update.
 */
export function stormPicture(storms: readonly Storm[], o: StormPictureOptions, previous?: StormPicture): StormPicture {
  const pic: StormPicture = {
    legs: [],
    fixes: [],
    forecastPaths: [],
    forecastFixes: [],
    cones: [],
    windCircles: [],
    centres: [],
    labels: [],
    pointers: [],
    damage: EMPTY_BOUNDARIES,
  };
  const damaged = new Set<string>();
  for (const s of storms) {
    // The best track so far, ending at the latest observation.
    const track = [...s.track];
    const last = track[track.length - 1];
    if (!last || last.at < s.at)
      track.push({ at: s.at, center: s.center, pressureHpa: s.pressureHpa, maxWindMs: s.maxWindMs });
    for (let i = 1; i < track.length; i++)
      pic.legs.push({ from: track[i - 1]!.center, to: track[i]!.center, color: colourOf(track[i]!.maxWindMs) });
    for (const f of track.slice(0, -1)) pic.fixes.push({ position: f.center, color: colourOf(f.maxWindMs) });

    if (s.forecast.length > 0) {
      pic.forecastPaths.push({ path: [s.center, ...s.forecast.map((f) => f.center)] });
      for (const f of s.forecast) pic.forecastFixes.push({ position: f.center, color: colourOf(f.maxWindMs) });
      const circles = [
        { center: s.center, radiusKm: 0 },
        ...s.forecast.map((f) => ({ center: f.center, radiusKm: f.coneKm })),
      ];
      const polygon = forecastCone(circles);
      if (polygon.length > 3) pic.cones.push({ polygon });
    }

    for (const { force, key } of FORCES)
      if (s[key] > 0) pic.windCircles.push({ position: s.center, radiusM: s[key] * 1000, force });
    pic.centres.push({ position: s.center, color: colourOf(s.maxWindMs) });
    const pointer = edgePointer(o.extent, s.center, POINTER_INSET, POINTER_RANGE);
    if (pointer) {
      pic.pointers.push(pointer);
      pic.labels.push(pointerLabel(pointer, o.pointerText(s, Math.round(distanceKm(o.cityCenter, s.center)))));
    } else
      pic.labels.push({
        position: s.center,
        text: o.labelOf(s),
        anchor: 'start',
        baseline: 'center',
        offset: [LABEL_GAP, 0],
      });
    for (const code of districtsInCircle(o.boundaries, { center: s.center, radiusKm: s.r10Km })) damaged.add(code);
  }
  pic.windCircles.sort((a, b) => b.radiusM - a.radiusM);
  if (damaged.size > 0) {
    const features = o.boundaries.features.filter((f) => damaged.has(String(f.properties.code ?? '')));
    const before = previous?.damage.features;
    const same = before !== undefined && before.length === features.length && features.every((f, i) => f === before[i]);
    pic.damage = same ? previous!.damage : { type: 'FeatureCollection', features };
  }
  return pic;
}

/**
 * The pointer's words beside its arrow, along the map's edge and towards the middle of it: on the top or bottom
 * edge to the arrow's left or right, on a side edge just above it — so they stay in the margin, off the districts.
 */
export function pointerLabel(p: StormPointer, text: string): MapLabel {
  const cos = Math.cos((p.angleDeg * Math.PI) / 180),
    sin = Math.sin((p.angleDeg * Math.PI) / 180);
  const inward = cos > 0 ? -1 : 1;
  const anchor = inward < 0 ? 'end' : 'start';
  return Math.abs(sin) > 0.4
    ? { position: p.position, text, anchor, baseline: 'center', offset: [inward * POINTER_GAP, 0] }
    : { position: p.position, text, anchor, baseline: 'bottom', offset: [0, -POINTER_GAP] };
}
