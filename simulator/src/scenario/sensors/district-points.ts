import type { LonLat } from '@egret/protocol';
import {
  inShape,
  M_PER_DEG_LAT,
  M_PER_DEG_LON_EQUATOR,
  type District,
  type DistrictShape,
  type Place,
} from '@egret/config';
import type { Rng } from '../../rng.ts';
import type { Lattice } from '../lattice.ts';

/** The city as sensor placement sees it: districts with their outlines, named places and land (lattice nodes). */
export interface SensorCity {
  districts: readonly District[];
  shapes: readonly DistrictShape[];
  /** District code → its named roads and towns (WGS-84, `loadPlaces().districts`). */
  places: Readonly<Record<string, readonly Place[]>>;
  lattice: Lattice;
}

/** A point picked for a sensor: its district, where it is, and the named place nearest to it (for its name). */
export interface SitePoint {
  district: District;
  position: LonLat;
  place: string | undefined;
}

/**
 * Picks districts and points in them for sensors, the way the city world places cases: a district by weight
 * (population unless the scenario says otherwise), then a point near one of its named places or anywhere on its
 * land — always inside the district's outline, so the hub's `locateDistrict` agrees with the sensor's district.
 */
export class DistrictPoints {
  private readonly byCode = new Map<
    string,
    { district: District; shape: DistrictShape; places: readonly Place[]; nodes: Int32Array }
  >();

  constructor(private readonly city: SensorCity) {
    const l = city.lattice;
    for (const district of city.districts) {
      const shape = city.shapes.find((s) => s.code === district.code);
      if (!shape) throw new Error(`district ${district.code} has no outline in the boundaries`);
      const d = l.districts.indexOf(district.code);
      const nodes: number[] = [];
      for (let n = 0; n < l.nodeCount; n++) if (l.district[n] === d) nodes.push(n);
      this.byCode.set(district.code, {
        district,
        shape,
        places: city.places[district.code] ?? [],
        nodes: Int32Array.from(nodes),
      });
    }
  }

  /** District codes with their weights: `weights` where given (others 0), else population. */
  weights(weights?: Readonly<Record<string, number>>): { codes: string[]; weights: number[] } {
    const codes = this.city.districts.map((d) => d.code);
    return { codes, weights: this.city.districts.map((d) => (weights ? (weights[d.code] ?? 0) : d.population)) };
  }

  district(code: string): District {
    return this.entry(code).district;
  }

  /** A point in district `code`: near a named place with probability `nearPlaceShare` (normal spread), else anywhere. */
  point(code: string, rng: Rng, o: { nearPlaceShare: number; spreadM: number }): SitePoint {
    const e = this.entry(code);
    if (e.places.length && rng.chance(o.nearPlaceShare)) {
      const place = rng.pick(e.places);
      for (let attempt = 0; attempt < 20; attempt++) {
        const p = round6(offsetM(place.at, rng.normal(0, o.spreadM), rng.normal(0, o.spreadM)));
        if (inShape(e.shape, p)) return { district: e.district, position: p, place: nearestPlace(e.places, p) };
      }
    }
    return this.anywhere(e, rng);
  }

  /** A point within `radiusM` of `center` inside district `code`, or undefined when 20 tries all miss. */
  near(code: string, center: LonLat, radiusM: number, rng: Rng): SitePoint | undefined {
    const e = this.entry(code);
    for (let attempt = 0; attempt < 20; attempt++) {
      const r = radiusM * Math.sqrt(rng.float());
      const a = rng.float() * 2 * Math.PI;
      const p = round6(offsetM(center, r * Math.cos(a), r * Math.sin(a)));
      if (inShape(e.shape, p))
        return { district: e.district, position: p, place: e.places.length ? nearestPlace(e.places, p) : undefined };
    }
    return undefined;
  }

  /** Whether a point lies inside district `code`. */
  contains(code: string, p: LonLat): boolean {
    return inShape(this.entry(code).shape, p);
  }

  /** The district a point lies in, if any. */
  locate(p: LonLat): string | undefined {
    for (const [code, e] of this.byCode) if (inShape(e.shape, p)) return code;
    return undefined;
  }

  private anywhere(
    e: { district: District; shape: DistrictShape; places: readonly Place[]; nodes: Int32Array },
    rng: Rng,
  ): SitePoint {
    // A lattice node, jittered within its half-cell and kept only if still inside (as the city world places cases).
    const l = this.city.lattice;
    const n = e.nodes[rng.int(0, e.nodes.length - 1)]!;
    let position: LonLat = [l.lon[n]!, l.lat[n]!];
    for (let attempt = 0; attempt < 10; attempt++) {
      const p = round6([l.lon[n]! + rng.range(-0.5, 0.5) * l.stepLon, l.lat[n]! + rng.range(-0.5, 0.5) * l.stepLat]);
      if (inShape(e.shape, p)) {
        position = p;
        break;
      }
    }
    return { district: e.district, position, place: e.places.length ? nearestPlace(e.places, position) : undefined };
  }

  private entry(code: string) {
    const e = this.byCode.get(code);
    if (!e) throw new Error(`district ${code} is not a district of the city`);
    return e;
  }
}

/** The point `eastM`, `northM` metres from `p`. */
export function offsetM([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / (M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180)), lat + northM / M_PER_DEG_LAT];
}

/** Metres between two nearby points (equirectangular: exact enough across a city). */
export function metresBetween(a: LonLat, b: LonLat): number {
  const kx = M_PER_DEG_LON_EQUATOR * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * M_PER_DEG_LAT);
}

/** Six decimals (~0.1 m), as the message carries it. */
export function round6([lon, lat]: LonLat): LonLat {
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

function nearestPlace(places: readonly Place[], [lon, lat]: LonLat): string {
  let best = places[0]!,
    bestD = Infinity;
  for (const p of places) {
    const d = (p.at[0] - lon) ** 2 + (p.at[1] - lat) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return best.name;
}
