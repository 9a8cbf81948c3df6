import type { Layer } from '@deck.gl/core';
import { LineLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { THEME } from '../../theme.ts';
import type {
  OffPostLabel,
  OffPostLink,
  OffPostUnit,
  Perimeter,
  PostRow,
  Venue,
  VenueLabel,
} from '../event-picture.ts';
import { glyphsOf } from './text-glyphs.ts';

/**
 * What the major-event layers draw (重大活动保障): the event's perimeters, venues and posts, and the units off their
 * posts. Every array keeps its identity until its contents change (the screen state sees to it), so the layer list
 * rebuilt per frame re-uploads nothing. Empty arrays while no event is shown.
 */
export interface EventPicture {
  perimeters: readonly Perimeter[];
  venues: readonly Venue[];
  venueLabels: readonly VenueLabel[];
  posts: readonly PostRow[];
  offPost: readonly OffPostUnit[];
  offPostLinks: readonly OffPostLink[];
  offPostLabels: readonly OffPostLabel[];
  /**
   * Whether the venues' names wrap: English ones are long ("Xiamen International Conference & Exhibition Center")
   * and wrap at spaces; Chinese ones (about ten characters) stay on one line.
   */
  wrapNames: boolean;
}

export const EMPTY_EVENT_PICTURE: EventPicture = Object.freeze({
  perimeters: [],
  venues: [],
  venueLabels: [],
  posts: [],
  offPost: [],
  offPostLinks: [],
  offPostLabels: [],
  wrapNames: false,
});

export interface EventLayersInput {
  picture: EventPicture;
  /** The layer switches: perimeters, venues, and posts (with the units off them). */
  visible: { perimeters: boolean; venues: boolean; posts: boolean };
  scale?: number;
}

/** The event's layers in their three places in the stack. */
export interface EventLayers {
  /** Over the base map (and the heat): the perimeters' faint fill, so cases inside stay readable. */
  areas: Layer[];
  /**
   * Over the cases, under the units: the perimeters' outlines, the post rings (a unit at its post sits in its
   * ring) and the lines to strays.
   */
  posts: Layer[];
  /** Over the units: the units off their posts, the venues and their names, and last the strays' labels. */
  marks: Layer[];
}

/** A star: no case (ring), unit (dot) or sensor (diamond, square) has it. From the map's font: no icon atlas. */
export const VENUE_GLYPH = '★';
const VENUE_GLYPHS = [VENUE_GLYPH];

const E = THEME.event;
// Module-level accessors: an unchanged layer keeps every prop's identity, so deck.gl skips it on every frame.
const ring = (p: Perimeter) => p.ring;
/** A perimeter's ring closed for its outline, computed once per ring (config objects: they live as long as the page). */
const closedRings = new WeakMap<Perimeter, [number, number][]>();
const closedRing = (p: Perimeter) => {
  let path = closedRings.get(p);
  if (!path) {
    const [first, last] = [p.ring[0], p.ring.at(-1)];
    path = first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...p.ring, first] : [...p.ring];
    closedRings.set(p, path);
  }
  return path;
};
const venuePosition = (v: Venue) => v.position;
const venueText = () => VENUE_GLYPH;
const postPosition = (r: PostRow) => r.post.position;
const postRadius = (r: PostRow) => r.post.radiusM;
const postLine = (r: PostRow) => E.post[r.state];
const postFill = (r: PostRow) => [...E.post[r.state].slice(0, 3), E.postFillAlpha] as [number, number, number, number];
const unitPosition = (u: OffPostUnit) => u.position;
const linkFrom = (l: OffPostLink) => l.from;
const linkTo = (l: OffPostLink) => l.to;
const labelPosition = (l: { position: [number, number] }) => l.position;
const labelText = (l: { text: string }) => l.text;
const venueAnchor = (l: VenueLabel) => l.anchor;
const venueBaseline = (l: VenueLabel) => l.baseline;
/** One accessor (or offset) per scale — the wall's 1, the console's 0.5 — so each keeps its identity too. */
const venueOffsets = new Map<number, (l: VenueLabel) => [number, number]>();
const venueOffset = (scale: number) => {
  let f = venueOffsets.get(scale);
  if (!f) venueOffsets.set(scale, (f = (l: VenueLabel) => [l.offset[0] * scale, l.offset[1] * scale]));
  return f;
};
/** Above the halo (36 px) with a gap, one plate's height (about 50 px) and a gap higher per row. */
const STRAY_LIFT = 54;
const STRAY_ROW = 58;
const strayOffsets = new Map<number, (l: OffPostLabel) => [number, number]>();
const strayOffset = (scale: number) => {
  let f = strayOffsets.get(scale);
  if (!f) strayOffsets.set(scale, (f = (l: OffPostLabel) => [0, -(STRAY_LIFT + l.row * STRAY_ROW) * scale]));
  return f;
};
const strayPaddings = new Map<number, [number, number, number, number]>();
const strayPadding = (scale: number) => {
  let o = strayPaddings.get(scale);
  if (!o) strayPaddings.set(scale, (o = [14 * scale, 6 * scale, 14 * scale, 6 * scale]));
  return o;
};
const SDF = { sdf: true, fontSize: 96, buffer: 12, radius: 12 } as const;

/**
 * Every major-event layer, always in the stack (empty or switched off: `visible: false`), so an event beginning or
 * a switch flipping changes props, never the layer list.
 */
export function eventLayers({ picture: p, visible, scale = 1 }: EventLayersInput): EventLayers {
  const on = (key: keyof EventLayersInput['visible'], rows: { length: number }) => visible[key] && rows.length > 0;
  return {
    areas: [
      new PolygonLayer<Perimeter>({
        id: 'event-perimeters',
        data: p.perimeters,
        visible: on('perimeters', p.perimeters),
        getPolygon: ring,
        filled: true,
        stroked: false,
        getFillColor: E.perimeter.fill,
        pickable: false,
      }),
    ],
    posts: [
      // The outline over the cases: in a guard most cases fall inside the perimeters, and their rings would
      // otherwise cover a 2 km zone's edge (about 75 px on the 4K wall's city map) entirely.
      new PathLayer<Perimeter>({
        id: 'event-perimeter-edges',
        data: p.perimeters,
        visible: on('perimeters', p.perimeters),
        getPath: closedRing,
        getColor: E.perimeter.line,
        getWidth: 6,
        widthUnits: 'pixels',
        widthScale: scale,
        jointRounded: true,
        pickable: false,
      }),
      // The post's true radius on the ground when zoomed in; never smaller than a readable ring on the city map,
      // where 200 m is six pixels.
      new ScatterplotLayer<PostRow>({
        id: 'event-posts',
        data: p.posts,
        visible: on('posts', p.posts),
        getPosition: postPosition,
        getRadius: postRadius,
        radiusUnits: 'meters',
        radiusMinPixels: E.postMinRadius * scale,
        filled: true,
        stroked: true,
        getFillColor: postFill,
        getLineColor: postLine,
        getLineWidth: 5,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
      new LineLayer<OffPostLink>({
        id: 'event-off-post-links',
        data: p.offPostLinks,
        visible: on('posts', p.offPostLinks),
        getSourcePosition: linkFrom,
        getTargetPosition: linkTo,
        getColor: E.offPost.line,
        getWidth: 5,
        widthUnits: 'pixels',
        widthScale: scale,
        pickable: false,
      }),
    ],
    marks: [
      // A unit off its post: a red disc and a wide ring round its dot, wider than any other mark on the map.
      new ScatterplotLayer<OffPostUnit>({
        id: 'event-off-post',
        data: p.offPost,
        visible: on('posts', p.offPost),
        getPosition: unitPosition,
        getRadius: 36,
        radiusUnits: 'pixels',
        radiusScale: scale,
        filled: true,
        stroked: true,
        getFillColor: E.offPost.disc,
        getLineColor: E.offPost.line,
        getLineWidth: 8,
        lineWidthUnits: 'pixels',
        lineWidthScale: scale,
        pickable: false,
      }),
      new TextLayer<Venue>({
        id: 'event-venues',
        data: p.venues,
        visible: on('venues', p.venues),
        getPosition: venuePosition,
        getText: venueText,
        getSize: E.venueSize,
        sizeUnits: 'pixels',
        sizeScale: scale,
        getColor: E.venue,
        characterSet: VENUE_GLYPHS,
        fontFamily: THEME.font,
        fontSettings: SDF,
        outlineWidth: 4,
        outlineColor: THEME.map.labelHalo,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        pickable: false,
      }),
      new TextLayer<VenueLabel>({
        id: 'event-venue-labels',
        data: p.venueLabels,
        visible: on('venues', p.venueLabels),
        getPosition: labelPosition,
        getText: labelText,
        getSize: E.labelSize,
        sizeUnits: 'pixels',
        sizeScale: scale,
        getColor: E.venue,
        getTextAnchor: venueAnchor,
        getAlignmentBaseline: venueBaseline,
        getPixelOffset: venueOffset(scale),
        // A multiple of the font size: about 20 Latin letters a line.
        maxWidth: p.wrapNames ? 11 : -1,
        wordBreak: 'break-word',
        lineHeight: 1.1,
        characterSet: glyphsOf(p.venueLabels),
        fontFamily: THEME.font,
        fontWeight: 700,
        fontSettings: SDF,
        outlineWidth: 4,
        outlineColor: THEME.map.labelHalo,
        pickable: false,
      }),
      // Last, over everything else: the stray's post and distance on a red plate above its halo, so no venue name
      // or district label can hide it.
      new TextLayer<OffPostLabel>({
        id: 'event-off-post-labels',
        data: p.offPostLabels,
        visible: on('posts', p.offPostLabels),
        getPosition: labelPosition,
        getText: labelText,
        getSize: E.labelSize,
        sizeUnits: 'pixels',
        sizeScale: scale,
        getColor: E.offPost.text,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'bottom',
        getPixelOffset: strayOffset(scale),
        background: true,
        getBackgroundColor: E.offPost.plate,
        getBorderColor: E.offPost.line,
        getBorderWidth: 3,
        backgroundPadding: strayPadding(scale),
        characterSet: glyphsOf(p.offPostLabels),
        fontFamily: THEME.font,
        fontWeight: 800,
        fontSettings: SDF,
        pickable: false,
      }),
    ],
  };
}
