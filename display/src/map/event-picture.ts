import { haversineM, type LonLat, type MajorEventInfo } from '@egret/protocol';

/**
 * The rows the major-event layers draw (map/layers/major-event.ts): where each venue's name goes, and the words
 * beside a unit off its post. Pure; the screen state rebuilds each piece only when its inputs change.
 */

/** A major event's places, as the hub's config gives them. */
export type Perimeter = MajorEventInfo['perimeters'][number];
export type Venue = MajorEventInfo['venues'][number];
export type Post = MajorEventInfo['posts'][number];

/**
 * How a post is held: every unit on it within its radius (`held`), some of them away (`partly`), all away (`left`),
 * or no unit on duty with a position (`unmanned`). Judged by the post watch (state/post-watch.ts); declared here,
 * with the other rows the event's layers draw, so that the map depends on no state module.
 */
export type PostState = 'held' | 'partly' | 'left' | 'unmanned';

export interface PostRow {
  post: Post;
  state: PostState;
  /** Units on duty at the post with a position, and how many of them are off it. */
  holders: number;
  away: number;
}

/** A unit off its post: where it is, how far from the post, and since when (world time it crossed the radius). */
export interface OffPostUnit {
  unitId: string;
  name: string;
  post: Post;
  position: LonLat;
  /** Metres from the post, to the nearest 10. */
  distanceM: number;
  since: number;
}

/** A name on the map beside its marker, placed so that venues a street apart do not print over each other. */
export interface VenueLabel {
  position: LonLat;
  text: string;
  anchor: 'start' | 'end';
  baseline: 'bottom' | 'center' | 'top';
  /** Pixels at the wall's scale. */
  offset: [number, number];
}

/**
 * Venues closer than this share a neighbourhood on the city map (a kilometre is about 30 px on the 4K wall): their
 * names go above and below their markers rather than level with them, where they would overlap.
 */
export const VENUE_NEAR_M = 3_000;

/** Pixels from the star's centre to its name: clear of the glyph, close enough to read as one. */
const GAP_X = 26;
const GAP_Y = 16;

/**
 * Each venue's name. Sideways, away from the others: a venue east of the venues' middle is named to its right, one
 * west of it to its left — so the names of a venue cluster on the coast and a hotel inland spread apart instead of
 * meeting in between. Up and down, apart from its near neighbours on the same side: above when they all lie to its
 * south, below when they all lie to its north, level in the middle of a column.
 */
export function venueLabels(venues: readonly Venue[], nameOf: (v: Venue) => string): VenueLabel[] {
  const middle = venues.reduce((sum, v) => sum + v.position[0], 0) / Math.max(1, venues.length);
  const sideOf = (v: Venue) => (v.position[0] >= middle - 1e-9 ? 'right' : 'left');
  return venues.map((v) => {
    const side = sideOf(v);
    let north = 0;
    let south = 0;
    for (const w of venues) {
      if (w === v || sideOf(w) !== side || haversineM(v.position, w.position) > VENUE_NEAR_M) continue;
      if (w.position[1] > v.position[1]) north++;
      else south++;
    }
    const baseline = south > 0 && north === 0 ? 'bottom' : north > 0 && south === 0 ? 'top' : 'center';
    const dy = baseline === 'bottom' ? -GAP_Y : baseline === 'top' ? GAP_Y : 0;
    // Level names sit further out: beside the star, not half over it.
    const dx = baseline === 'center' ? GAP_X + 14 : GAP_X;
    return {
      position: v.position,
      text: nameOf(v),
      anchor: side === 'right' ? 'start' : 'end',
      baseline,
      offset: [side === 'right' ? dx : -dx, dy],
    };
  });
}

/** The words above a unit off its post, and which row of plates it takes. */
export interface OffPostLabel {
  position: LonLat;
  text: string;
  /** 0 just above its halo; each row higher clears the plate of a stray further south nearby. */
  row: number;
}

/**
 * Strays closer than this get their plates stacked: on the city map a plate is about 400 × 50 px, so two strays of
 * one venue's posts (a few hundred metres apart: ten pixels) would print one plate over the other.
 */
export const STRAY_STACK_M = 5_000;

/**
 * One label per unit off its post, in the words `textOf` gives (the post, how far). Taken south to north, each
 * plate goes one row above those of the strays south of it nearby, so plates of neighbouring strays never overlap
 * — the northern one's plate is the higher, as on the ground.
 */
export function offPostLabels(units: readonly OffPostUnit[], textOf: (u: OffPostUnit) => string): OffPostLabel[] {
  const south = [...units].sort((a, b) => a.position[1] - b.position[1] || a.unitId.localeCompare(b.unitId));
  const rows = new Map<OffPostUnit, number>();
  south.forEach((u, i) => {
    let row = 0;
    for (let j = 0; j < i; j++)
      if (haversineM(u.position, south[j]!.position) <= STRAY_STACK_M) row = Math.max(row, rows.get(south[j]!)! + 1);
    rows.set(u, row);
  });
  return units.map((u) => ({ position: u.position, text: textOf(u), row: rows.get(u)! }));
}

/** A line from a post to its unit that strayed: how far and which way. */
export interface OffPostLink {
  from: LonLat;
  to: LonLat;
}

export function offPostLinks(units: readonly OffPostUnit[]): OffPostLink[] {
  return units.map((u) => ({ from: u.post.position, to: u.position }));
}
