import type { LonLat } from '@egret/protocol';
import type { GridCell } from '@egret/config';
import { Rng } from '../../rng.ts';
import { distanceKm } from './local-geo.ts';
import { AssetClass, type IncidentSettings } from './typhoon-config.ts';

/** The part of a grid cell the typhoon model needs (the city grid's `GridCell` fits). */
export type TyphoonCell = Pick<GridCell, 'id' | 'district' | 'center' | 'polygons' | 'areaM2'>;

export const ASSET_CLASSES: readonly AssetClass[] = AssetClass.options;

/** Area of the nominal 500 m cell: densities are per such cell, so a clipped coastal cell holds less. */
const NOMINAL_CELL_M2 = 250_000;

/**
 * How much of each asset class a cell holds, relative to an average cell: its district's profile (the island's
 * 思明/湖里 denser in trees, signs, shops and shared bikes; 同安/翔安 with more overhead lines and building sites)
 * × the cell's area relative to a 500 m cell × a seeded log-normal variation with mean 1 (so neighbouring cells
 * differ, the same seed always gives the same city) × for urban classes its urbanity (near the named roads and
 * towns). Deterministic: the cell, the seed and the centres are the only inputs.
 */
export function cellAssets(
  cell: TyphoonCell,
  seed: number | string,
  settings: Pick<IncidentSettings, 'assetProfiles' | 'assetNoiseSigma' | 'urban'>,
  urbanCentres: readonly LonLat[] = [],
): Record<AssetClass, number> {
  const profile: Partial<Record<AssetClass, number>> =
    settings.assetProfiles[cell.district] ?? settings.assetProfiles.default ?? {};
  const rng = new Rng(`${String(seed)}/typhoon-assets/${cell.id}`);
  const sigma = settings.assetNoiseSigma;
  const area = Math.max(0, cell.areaM2) / NOMINAL_CELL_M2;
  const urban = urbanity(cell.center, urbanCentres, settings.urban);
  const out = {} as Record<AssetClass, number>;
  for (const a of ASSET_CLASSES) {
    const noise = Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
    out[a] = (profile[a] ?? 1) * area * noise * (settings.urban.classes.includes(a) ? urban : 1);
  }
  return out;
}

/** floor + (1 − floor)·exp(−d/scale), d the distance to the nearest centre in km; 1 when there are no centres. */
export function urbanity(point: LonLat, centres: readonly LonLat[], urban: IncidentSettings['urban']): number {
  if (centres.length === 0) return 1;
  let d = Infinity;
  for (const c of centres) d = Math.min(d, distanceKm(point, c));
  return urban.floor + (1 - urban.floor) * Math.exp(-d / urban.scaleKm);
}
