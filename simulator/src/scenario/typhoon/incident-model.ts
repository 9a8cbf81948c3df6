import type { CaseSource, LonLat, Urgency } from '@egret/protocol';
import { WeightedTable } from '../../rng.ts';
import { ASSET_CLASSES, cellAssets, type TyphoonCell } from './assets.ts';
import { GALE_MS } from './beaufort.ts';
import { buildCellIndex, type CellIndex } from './cell-index.ts';
import { distanceKm } from './local-geo.ts';
import { rainFromStorm } from './rain.ts';
import { signalAt } from './signals.ts';
import { stormAt } from './track.ts';
import type { TyphoonCategory } from './typhoon-config.ts';
import type { TyphoonScenario } from './typhoon-scenario.ts';
import { profileWindAt, windProfile } from './wind-field.ts';

const HOUR_MS = 3_600_000;

/** What drives a category's rate in a cell. */
export type Driver = 'preparation' | 'wind' | 'rain' | 'recovery';

/** One category of the scenario with its precomputed city-wide rate. */
export interface ModelCategory {
  spec: TyphoonCategory;
  driver: Driver;
  /** Index into ASSET_CLASSES. */
  asset: number;
  /** Expected cases per ms, city-wide, at each time step. */
  ratePerMs: Float64Array;
  /** expected / ∫ Σ_cells drive dt: turns a cell's drive into cases per ms. */
  scale: number;
  sources: WeightedTable<CaseSource>;
  urgency: WeightedTable<Urgency>;
}

/**
 * Everything the incident generator, the rate and the road slowdown read, computed once per scenario and grid:
 * per cell and time step (default 10 minutes, over the scenario window) the local wind, rain, recovery drive and
 * fallen-tree load, and per category the city-wide rate normalised so that its expected total over the window is
 * the scenario's `expected` count. Memory: cells × steps × 16 bytes — ≈ 54 MB for the 7,774 cells of Xiamen's
 * 500 m grid over 72 h at 10-minute steps (a longer `stepMs` shrinks it).
 */
export interface TyphoonIncidentModel {
  scenario: TyphoonScenario;
  cells: readonly TyphoonCell[];
  index: CellIndex;
  /** Cell id → position in `cells`. */
  cellById: Map<string, number>;
  seed: number | string;
  start: number;
  end: number;
  stepMs: number;
  steps: number;
  /** [cell * steps + k] — wind m/s, rain mm/h, recovery drive, fallen-tree load (0 … worstBlockage). */
  wind: Float32Array;
  rain: Float32Array;
  recovery: Float32Array;
  blockage: Float32Array;
  /** [cell * ASSET_CLASSES.length + a] — relative asset amounts. */
  assets: Float32Array;
  /** City-wide preparation effort (signal level × daylight, 0 after landfall) per step. */
  preparation: Float64Array;
  /** Wind at the city's reference point per step (sets the hotline's lag). */
  cityWind: Float64Array;
  categories: ModelCategory[];
  /** Memo of cumulative cell tables (see `cellTable`); not part of the model's meaning. */
  tables: Map<string, Float64Array>;
  /** Address of each cell: "<district> <nearest named place> 附近", or the district name, or ''. */
  addresses: string[];
  /** Case ids are `<idPrefix>-<local yyyyMMddHHmm of the event>-<n>`. */
  idPrefix: string;
  /** UTC offset of the city (for ids and the daylight of preparation work). */
  offsetMs: number;
}

export interface TyphoonModelInput {
  scenario: TyphoonScenario;
  cells: readonly TyphoonCell[];
  /** Seed of the city's asset variation: use the simulator's seed. */
  seed: number | string;
  stepMs?: number;
  idPrefix?: string;
  offsetMs?: number;
  /**
   * The city's named roads and towns by district (`loadPlaces().districts`): urban assets gather around them, and
   * case addresses read "<district> <nearest place> 附近". Without them assets follow the district profile only.
   */
  places?: Readonly<Record<string, readonly { name: string; at: LonLat }[]>>;
  /** District code → name for addresses (e.g. 思明区). */
  districtNames?: Readonly<Record<string, string>>;
}

/** Prepares the incident model of a scenario over a city grid (≈ 2–3 s for the 7,774 cells of the 500 m grid over 72 h). */
export function createTyphoonIncidentModel(input: TyphoonModelInput): TyphoonIncidentModel {
  const { scenario, cells, seed } = input;
  const stepMs = input.stepMs ?? 10 * 60_000;
  const offsetMs = input.offsetMs ?? 8 * HOUR_MS;
  const { track, incidents: settings, window } = scenario;
  const { start, end } = window;
  const steps = Math.floor((end - start) / stepMs) + 1;
  const n = cells.length;
  const A = ASSET_CLASSES.length;

  const assets = new Float32Array(n * A);
  const centres = Object.values(input.places ?? {}).flatMap((list) => list.map((p) => p.at));
  cells.forEach((cell, c) => {
    const a = cellAssets(cell, seed, settings, centres);
    ASSET_CLASSES.forEach((name, j) => {
      assets[c * A + j] = a[name];
    });
  });

  const wind = new Float32Array(n * steps);
  const rain = new Float32Array(n * steps);
  const cityWind = new Float64Array(steps);
  const preparation = new Float64Array(steps);
  const prep = settings.preparation;
  for (let k = 0; k < steps; k++) {
    const t = start + k * stepMs;
    const storm = stormAt(track, t);
    const profile = windProfile(storm, track.physics);
    for (let c = 0; c < n; c++) {
      const center = cells[c]!.center;
      wind[c * steps + k] = profileWindAt(profile, center);
      rain[c * steps + k] = rainFromStorm(storm, track.physics, center);
    }
    cityWind[k] = profileWindAt(profile, scenario.signals.cityPoint);
    if (t < track.landfall.at) {
      const level = signalAt(track, t, scenario.signals.cityPoint, { holdHours: scenario.signals.holdHours });
      const hour = Math.floor(((((t + offsetMs) % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS);
      const day = hour >= prep.dayStartHour && hour < prep.dayEndHour;
      preparation[k] = (prep.signalWeights[level] ?? 0) * (day ? 1 : prep.nightFactor);
    }
  }

  // Recovery drive: the local wind damage passed through a gamma(2, θ) delay (two equal first-order lags). Fallen-tree load: damage accumulates while the wind blows and is
  // cleared with an e-folding time once it is below gale force.
  const recovery = new Float32Array(n * steps);
  const blockage = new Float32Array(n * steps);
  const p = settings.windExponent;
  const lag = Math.exp(-stepMs / (settings.recovery.scaleHours * HOUR_MS));
  const clear = Math.exp(-stepMs / (settings.roadSlowdown.clearHours * HOUR_MS));
  const treesAt = ASSET_CLASSES.indexOf('trees');
  const stepH = stepMs / HOUR_MS;
  let worst = 0;
  for (let c = 0; c < n; c++) {
    let y1 = 0,
      y2 = 0,
      load = 0;
    const trees = assets[c * A + treesAt]!;
    // Clean-up is reported once the storm has left the cell: after the last step with a wind above `windBelowMs`
    // (not in the lull of the eye, which would only look like the end).
    let lastStrong = -1;
    for (let k = 0; k < steps; k++) if (wind[c * steps + k]! > settings.recovery.windBelowMs) lastStrong = k;
    for (let k = 0; k < steps; k++) {
      const v = wind[c * steps + k]!;
      const damage = Math.max(0, v - GALE_MS) ** p;
      y1 = lag * y1 + (1 - lag) * damage;
      y2 = lag * y2 + (1 - lag) * y1;
      recovery[c * steps + k] = k > lastStrong ? y2 : 0;
      load = (v < GALE_MS ? clear : 1) * load + trees * damage * stepH;
      blockage[c * steps + k] = load;
      if (load > worst) worst = load;
    }
  }
  if (worst > 0) {
    const s = settings.roadSlowdown.worstBlockage / worst;
    for (let i = 0; i < blockage.length; i++) blockage[i]! *= s;
  }

  const model: TyphoonIncidentModel = {
    scenario,
    cells,
    index: buildCellIndex(cells),
    cellById: new Map(cells.map((cell, i) => [cell.id, i])),
    seed,
    start,
    end,
    stepMs,
    steps,
    wind,
    rain,
    recovery,
    blockage,
    assets,
    preparation,
    cityWind,
    categories: [],
    tables: new Map(),
    addresses: cells.map((cell) =>
      cellAddress(cell, input.places?.[cell.district] ?? [], input.districtNames?.[cell.district] ?? ''),
    ),
    idPrefix: input.idPrefix ?? `TF${scenario.track.name.split(' ')[0] ?? ''}`,
    offsetMs,
  };

  // One pass over cells and steps for every (driver, asset) pair in use: categories sharing a pair share a sum.
  const pairs = new Map<string, { driver: Driver; asset: number; sum: Float64Array }>();
  const specs = settings.categories.map((spec) => {
    const driver: Driver = spec.phase === 'landfall' ? (spec.driver ?? 'wind') : spec.phase;
    const asset = ASSET_CLASSES.indexOf(spec.asset);
    const key = `${driver}/${asset}`;
    if (!pairs.has(key)) pairs.set(key, { driver, asset, sum: new Float64Array(steps) });
    return { spec, driver, asset, key };
  });
  const pairList = [...pairs.values()];
  for (let c = 0; c < n; c++) {
    for (let k = 0; k < steps; k++) {
      for (const pair of pairList) {
        const amount = assets[c * A + pair.asset]!;
        if (amount > 0) pair.sum[k]! += amount * baseDrive(model, pair.driver, c * steps + k, k);
      }
    }
  }
  for (const { spec, driver, asset, key } of specs) {
    const sum = pairs.get(key)!.sum;
    let integral = 0;
    for (let k = 0; k < steps - 1; k++) integral += ((sum[k]! + sum[k + 1]!) / 2) * stepMs;
    const scale = integral > 0 ? spec.expected / integral : 0;
    model.categories.push({
      spec,
      driver,
      asset,
      scale,
      ratePerMs: sum.map((x) => x * scale),
      sources: table(spec.sources),
      urgency: table(spec.urgency),
    });
  }
  return model;
}

function cellAddress(cell: TyphoonCell, places: readonly { name: string; at: LonLat }[], district: string): string {
  let best: string | undefined,
    bestD = Infinity;
  for (const p of places) {
    const d = distanceKm(cell.center, p.at);
    if (d < bestD) {
      bestD = d;
      best = p.name;
    }
  }
  return best ? `${district} ${best} 附近`.trim() : district;
}

function table<K extends string>(weights: Partial<Record<K, number>>): WeightedTable<K> {
  const entries = Object.entries(weights) as [K, number][];
  return new WeightedTable(
    entries.map(([k]) => k),
    entries.map(([, w]) => w),
  );
}

/** How hard a category is driven in cell c at step k (before the category's scale). */
export function cellDrive(model: TyphoonIncidentModel, cat: ModelCategory, c: number, k: number): number {
  const amount = model.assets[c * ASSET_CLASSES.length + cat.asset]!;
  return amount === 0 ? 0 : amount * baseDrive(model, cat.driver, c * model.steps + k, k);
}

/** The drive per unit of asset at table index i (= cell * steps + k). */
function baseDrive(model: TyphoonIncidentModel, driver: Driver, i: number, k: number): number {
  const settings = model.scenario.incidents;
  switch (driver) {
    case 'preparation': {
      const prep = model.preparation[k]!;
      if (prep === 0) return 0;
      const [slow, stop] = settings.preparation.windWorkLimitMs;
      const v = model.wind[i]!;
      return prep * (v <= slow ? 1 : Math.max(0, (stop - v) / (stop - slow)));
    }
    case 'wind':
      return Math.max(0, model.wind[i]! - GALE_MS) ** settings.windExponent;
    case 'rain':
      return Math.max(0, model.rain[i]! - settings.rainThresholdMmH);
    case 'recovery':
      return model.recovery[i]!;
  }
}

/**
 * Cumulative drive over the cells for a category at step k, for picking a cell by binary search. Memoised on the
 * model (a few dozen recent tables): a minute-by-minute simulator asks for the same steps again and again.
 */
export function cellTable(model: TyphoonIncidentModel, cat: ModelCategory, k: number): Float64Array {
  const key = `${cat.driver}/${cat.asset}/${k}`;
  const cache = model.tables;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: Map order is the LRU order
    cache.set(key, hit);
    return hit;
  }
  const cumulative = new Float64Array(model.cells.length);
  let sum = 0;
  for (let c = 0; c < model.cells.length; c++) {
    sum += cellDrive(model, cat, c, k);
    cumulative[c] = sum;
  }
  cache.set(key, cumulative);
  if (cache.size > TABLE_CACHE) cache.delete(cache.keys().next().value!);
  return cumulative;
}

const TABLE_CACHE = 64;

/** Fractional step position of t within the model (clamped to its span). */
export function stepPosition(model: TyphoonIncidentModel, t: number): { k: number; f: number } {
  const x = Math.min(model.steps - 1, Math.max(0, (t - model.start) / model.stepMs));
  const k = Math.min(model.steps - 2, Math.floor(x));
  return k < 0 ? { k: 0, f: 0 } : { k, f: x - k };
}

/** Linear interpolation of a per-step series at t. */
export function seriesAt(series: ArrayLike<number>, model: TyphoonIncidentModel, t: number, offset = 0): number {
  if (model.steps === 1) return series[offset]!;
  const { k, f } = stepPosition(model, t);
  return series[offset + k]! * (1 - f) + series[offset + k + 1]! * f;
}
