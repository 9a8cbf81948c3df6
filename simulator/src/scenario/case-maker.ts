import type { CaseReport, LonLat, Urgency } from '@egret/protocol';
import {
  inShape,
  M_PER_DEG_LAT,
  M_PER_DEG_LON_EQUATOR,
  type CategoryDictionary,
  type CityScenarioFile,
  type District,
  type DistrictShape,
  type Place,
  type SourceProfile,
} from '@egret/config';
import { WeightedTable, type Rng } from '../rng.ts';
import type { Lattice } from './lattice.ts';
import { localDateStamp } from './local-time.ts';

const URGENCIES: readonly Urgency[] = ['normal', 'urgent', 'critical'];

export interface CaseMakerInput {
  cases: CityScenarioFile['cases'];
  categories: CategoryDictionary;
  districts: readonly District[];
  shapes: readonly DistrictShape[];
  places: Readonly<Record<string, readonly Place[]>>;
  lattice: Lattice;
  /** UTC offset of the city, for the date in case numbers. */
  offsetMs: number;
  /** Last serial already used per `<prefix>-<YYYYMMDD>` (from the stream's tail), so a restart never reuses a number. */
  lastSerials?: ReadonlyMap<string, number>;
}

/** A reported case and what the simulator knows about it beyond the message. */
export interface MadeCase {
  report: CaseReport;
  district: string;
  group: string;
}

interface CategoryChoice {
  code: string;
  standard: CaseReport['category']['standard'];
  name: string;
  group: string;
  sources: WeightedTable<SourceProfile>;
  urgency: WeightedTable<Urgency>;
}

interface DistrictChoice {
  district: District;
  shape: DistrictShape;
  places: readonly Place[];
  nodes: Int32Array;
}

/**
 * Makes the cases an ordinary day brings: district by population, a point near one of the district's named roads
 * (or anywhere in it), category by the scenario's calibrated mix, the source given the category (video AI only sees
 * what its models know, noise is mostly phoned in), urgency by category group, and a case number in the format of
 * its source's system (`12345-20261122-000123`, `SZCG-…`), numbered per source and local day.
 */
export class CaseMaker {
  private readonly categoryTable: WeightedTable<CategoryChoice>;
  private readonly districtTable: WeightedTable<DistrictChoice>;
  private readonly serials = new Map<string, number>();

  constructor(private readonly input: CaseMakerInput) {
    const { cases, categories } = input;
    const choices = cases.categories.map((c): CategoryChoice => {
      const entry = categories.get(c.standard, c.code);
      if (!entry) throw new Error(`category ${c.standard} ${c.code} is not in the dictionary`);
      const weights = cases.sources.map((s) =>
        s.only && !s.only.includes(c.code) ? 0 : s.weight * (s.boost?.[c.code] ?? 1),
      );
      const mix = cases.urgency.byGroup[entry.group] ?? cases.urgency.default;
      return {
        code: c.code,
        standard: c.standard,
        name: entry.name.zh,
        group: entry.group,
        sources: new WeightedTable(cases.sources, weights),
        urgency: new WeightedTable(
          URGENCIES,
          URGENCIES.map((u) => mix[u]),
        ),
      };
    });
    this.categoryTable = new WeightedTable(
      choices,
      cases.categories.map((c) => c.weight),
    );

    const districts = input.districts.map((district): DistrictChoice => {
      const shape = input.shapes.find((s) => s.code === district.code);
      if (!shape) throw new Error(`district ${district.code} has no outline in the boundaries`);
      const d = input.lattice.districts.indexOf(district.code);
      const nodes: number[] = [];
      for (let n = 0; n < input.lattice.nodeCount; n++) if (input.lattice.district[n] === d) nodes.push(n);
      return { district, shape, places: input.places[district.code] ?? [], nodes: Int32Array.from(nodes) };
    });
    this.districtTable = new WeightedTable(
      districts,
      input.districts.map((d) => d.population),
    );
    for (const [k, v] of input.lastSerials ?? []) this.serials.set(k, v);
  }

  make(at: number, rng: Rng): MadeCase {
    const category = this.categoryTable.pick(rng);
    const source = category.sources.pick(rng);
    const urgency = category.urgency.pick(rng);
    const d = this.districtTable.pick(rng);
    const { position, place } = this.locate(d, rng);
    const report: CaseReport = {
      kind: 'case.report',
      caseId: this.nextCaseId(source.idPrefix, at),
      category: { code: category.code, standard: category.standard },
      source: source.source,
      urgency,
      lon: position[0],
      lat: position[1],
      address: place ? `${d.district.name.zh} ${place} 附近` : d.district.name.zh,
      description: `${source.phrase}：${category.name}`,
      at,
    };
    return { report, district: d.district.code, group: category.group };
  }

  private locate(d: DistrictChoice, rng: Rng): { position: LonLat; place: string | undefined } {
    const { location } = this.input.cases;
    if (d.places.length && rng.chance(location.nearPlaceShare)) {
      const place = rng.pick(d.places);
      for (let attempt = 0; attempt < 20; attempt++) {
        const p = round6(offsetM(place.at, rng.normal(0, location.spreadM), rng.normal(0, location.spreadM)));
        if (inShape(d.shape, p)) return { position: p, place: nearestPlace(d.places, p) };
      }
    }
    // Anywhere in the district: a lattice node, jittered within its half-cell and kept only if still inside.
    const l = this.input.lattice;
    const n = d.nodes[rng.int(0, d.nodes.length - 1)]!;
    let position: LonLat = [l.lon[n]!, l.lat[n]!];
    for (let attempt = 0; attempt < 10; attempt++) {
      const p = round6([l.lon[n]! + rng.range(-0.5, 0.5) * l.stepLon, l.lat[n]! + rng.range(-0.5, 0.5) * l.stepLat]);
      if (inShape(d.shape, p)) {
        position = p;
        break;
      }
    }
    return { position, place: d.places.length ? nearestPlace(d.places, position) : undefined };
  }

  private nextCaseId(prefix: string, at: number): string {
    const key = `${prefix}-${localDateStamp(at, this.input.offsetMs)}`;
    const serial = (this.serials.get(key) ?? 0) + 1;
    this.serials.set(key, serial);
    return `${key}-${String(serial).padStart(6, '0')}`;
  }
}

/** The key `lastSerials` uses for a case id of the `<prefix>-<YYYYMMDD>-<serial>` form, with its serial. */
export function caseIdSerial(caseId: string): [string, number] | undefined {
  const m = /^([A-Z0-9]{2,8}-\d{8})-(\d{6,})$/.exec(caseId);
  return m ? [m[1]!, Number(m[2])] : undefined;
}

function offsetM([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / (M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180)), lat + northM / M_PER_DEG_LAT];
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

/** Six decimals (~0.1 m), as the message will carry it: inside-ness is checked on the rounded point. */
function round6([lon, lat]: LonLat): LonLat {
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}
