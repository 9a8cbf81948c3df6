import { haversineM, type LonLat } from './geo.ts';

/**
 * A coarse road model for arrival estimates, good enough to rank squads without a routing engine: streets are a
 * detour factor over the great-circle distance (a city grid makes you drive ≈1.3–1.4× the straight line), and an
 * island reaches the mainland only over a few fixed links — Xiamen Island by its bridges and tunnels — so a trip
 * that starts on one side and ends on the other goes by way of the best link. The island outline and its links
 * are inputs (built from config by the caller), never written here.
 */
export interface RoadModel {
  /** Road distance over great-circle distance on ordinary streets (≥ 1). */
  detourFactor: number;
  islands: readonly RoadIsland[];
}

export interface RoadIsland {
  id: string;
  /** Whether a point lies on this island (e.g. a point-in-polygon test on the island's outline from config). */
  contains: (p: LonLat) => boolean;
  /** Its road links to the mainland; none means cars cannot reach it at all (e.g. a ferry-only island). */
  links: readonly RoadLink[];
}

/** A fixed crossing between an island and the mainland: a bridge, a tunnel, a causeway. */
export interface RoadLink {
  id: string;
  /** Where the crossing lands on the island. */
  island: LonLat;
  /** Where it lands on the mainland. */
  mainland: LonLat;
  /** Length of the crossing itself; default the straight distance between its ends. */
  lengthM?: number;
  /** Fixed extra time on it (approach ramps, toll gates, a tunnel's queue). */
  delayMs?: number;
}

/** An estimated trip: road distance, time at the given speed, and the links crossed in order. */
export interface Trip {
  distanceM: number;
  etaMs: number;
  via: string[];
}

interface Leg {
  /** Where this leg leaves off on the mainland. */
  point: LonLat;
  distanceM: number;
  delayMs: number;
  via: string[];
}

function islandOf(model: RoadModel, p: LonLat): RoadIsland | undefined {
  return model.islands.find((i) => i.contains(p));
}

function linkLength(l: RoadLink): number {
  return l.lengthM ?? haversineM(l.island, l.mainland);
}

/**
 * The fastest trip by road from `from` to `to` at `speedMps`, or null when there is none (one end on an island
 * without links). Both ends on the same side: streets all the way. Otherwise: streets to a link, across it, and on
 * — every combination of the links of both ends is tried, so the nearest crossing wins unless another is faster.
 */
export function roadTrip(model: RoadModel, from: LonLat, to: LonLat, speedMps: number): Trip | null {
  const street = (a: LonLat, b: LonLat) => model.detourFactor * haversineM(a, b);
  const a = islandOf(model, from);
  const b = islandOf(model, to);
  if (a === b) return { distanceM: street(from, to), etaMs: (street(from, to) / speedMps) * 1000, via: [] };

  // Legs from the start to the mainland side, and from the mainland side to the end.
  const exits: Leg[] = a
    ? a.links.map((l) => ({
        point: l.mainland,
        distanceM: street(from, l.island) + linkLength(l),
        delayMs: l.delayMs ?? 0,
        via: [l.id],
      }))
    : [{ point: from, distanceM: 0, delayMs: 0, via: [] }];
  const entries: Leg[] = b
    ? b.links.map((l) => ({
        point: l.mainland,
        distanceM: linkLength(l) + street(l.island, to),
        delayMs: l.delayMs ?? 0,
        via: [l.id],
      }))
    : [{ point: to, distanceM: 0, delayMs: 0, via: [] }];

  let best: Trip | null = null;
  for (const x of exits) {
    for (const y of entries) {
      const distanceM = x.distanceM + street(x.point, y.point) + y.distanceM;
      const etaMs = (distanceM / speedMps) * 1000 + x.delayMs + y.delayMs;
      if (!best || etaMs < best.etaMs) best = { distanceM, etaMs, via: [...x.via, ...y.via] };
    }
  }
  return best;
}

/** A trip through the air (drones): the straight line, no streets, no crossings. */
export function straightTrip(from: LonLat, to: LonLat, speedMps: number): Trip {
  const distanceM = haversineM(from, to);
  return { distanceM, etaMs: (distanceM / speedMps) * 1000, via: [] };
}

/** Kilometres per hour in metres per second. */
export function kmh(v: number): number {
  return v / 3.6;
}
