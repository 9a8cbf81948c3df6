import { pointInRing, type LonLat } from '@egret/protocol';
import { M_PER_DEG_LAT, M_PER_DEG_LON_EQUATOR, type MajorEvent } from '@egret/config';
import type { Rng } from '../../rng.ts';
import { offsetM, round6 } from '../sensors/district-points.ts';
import type { EventCasesProfile } from './major-event-config.ts';

/** Tries before a draw gives up (≈ 90 % of a perimeter is land, so this is never reached in Xiamen). */
const TRIES = 60;

/** A point for a guard case: where it is, the perimeter it belongs to, and whether it lies inside it. */
export interface EventPoint {
  position: LonLat;
  perimeter: MajorEvent['perimeters'][number];
  inside: boolean;
}

/**
 * Where a major event's extra cases happen: inside a perimeter (chosen by `perimeterWeights`) with probability
 * `insideShare` — near one of its venues (normal spread `venueSpreadM`) for `nearVenueShare` of them, where the
 * crowds and the vendors are, else anywhere in it — and otherwise in the band within `aroundM` outside it (the
 * approach roads, where vendors move when moved on), never inside another perimeter. Every point is on land
 * (`onLand`: in a district), so the hub's `locateDistrict` finds it.
 */
export class EventPoints {
  private readonly perimeters: {
    p: MajorEvent['perimeters'][number];
    bbox: [number, number, number, number];
    venues: LonLat[];
  }[];
  private readonly weights: number[];

  constructor(
    private readonly event: Pick<MajorEvent, 'perimeters' | 'venues'>,
    private readonly location: EventCasesProfile['location'],
    private readonly onLand: (p: LonLat) => boolean,
  ) {
    this.perimeters = event.perimeters.map((p) => ({
      p,
      bbox: bboxOf(p.ring),
      venues: event.venues.filter((v) => pointInRing(p.ring, v.position)).map((v) => v.position),
    }));
    this.weights = event.perimeters.map((p) => location.perimeterWeights[p.id] ?? 0);
  }

  /** A point, or undefined in the unlikely case every try fell in the sea. */
  point(rng: Rng): EventPoint | undefined {
    const k = rng.weightedIndex(this.weights);
    const { p, bbox, venues } = this.perimeters[k]!;
    const loc = this.location;
    const inside = rng.chance(loc.insideShare);
    if (inside && venues.length && rng.chance(loc.nearVenueShare)) {
      const venue = rng.pick(venues);
      for (let i = 0; i < TRIES; i++) {
        const q = round6(offsetM(venue, rng.normal(0, loc.venueSpreadM), rng.normal(0, loc.venueSpreadM)));
        if (pointInRing(p.ring, q) && this.onLand(q)) return { position: q, perimeter: p, inside: true };
      }
    }
    const [x0, y0, x1, y1] = inside ? bbox : grow(bbox, loc.aroundM);
    for (let i = 0; i < TRIES; i++) {
      const q = round6([rng.range(x0, x1), rng.range(y0, y1)]);
      if (!this.onLand(q)) continue;
      if (inside ? pointInRing(p.ring, q) : !this.inAnyPerimeter(q) && distanceToRingM(p.ring, q) <= loc.aroundM) {
        return { position: q, perimeter: p, inside };
      }
    }
    return undefined;
  }

  /** Whether a point lies inside any perimeter of the event. */
  inAnyPerimeter(q: LonLat): boolean {
    return this.event.perimeters.some((x) => pointInRing(x.ring, q));
  }
}

/** Metres from a point to the nearest edge of a ring (closed implicitly), in a local flat frame. */
export function distanceToRingM(ring: readonly LonLat[], q: LonLat): number {
  const kx = M_PER_DEG_LON_EQUATOR * Math.cos((q[1] * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const ax = (ring[j]![0] - q[0]) * kx,
      ay = (ring[j]![1] - q[1]) * M_PER_DEG_LAT;
    const bx = (ring[i]![0] - q[0]) * kx,
      by = (ring[i]![1] - q[1]) * M_PER_DEG_LAT;
    const dx = bx - ax,
      dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

function bboxOf(ring: readonly LonLat[]): [number, number, number, number] {
  const xs = ring.map((p) => p[0]),
    ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function grow([x0, y0, x1, y1]: [number, number, number, number], m: number): [number, number, number, number] {
  const dLat = m / M_PER_DEG_LAT;
  const dLon = m / (M_PER_DEG_LON_EQUATOR * Math.cos((((y0 + y1) / 2) * Math.PI) / 180));
  return [x0 - dLon, y0 - dLat, x1 + dLon, y1 + dLat];
}
