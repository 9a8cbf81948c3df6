import type { LonLat } from '@egret/protocol';
import { distanceKm } from './local-geo.ts';
import type { ShelterEntry } from './typhoon-config.ts';

/**
 * Evacuation shelters (避灾点): schools, gyms and community halls, a handful per district, for the map and for
 * sending evacuees to the nearest one. The scenario's list is illustrative — approximate points near real schools
 * and gyms, marked `approximate` — until the city's emergency bureau supplies its own.
 */
export type Shelter = ShelterEntry;

/** Shelters grouped by district code, in the scenario's order. */
export function sheltersByDistrict(shelters: readonly Shelter[]): Map<string, Shelter[]> {
  const out = new Map<string, Shelter[]>();
  for (const s of shelters) {
    const list = out.get(s.district);
    if (list) list.push(s);
    else out.set(s.district, [s]);
  }
  return out;
}

/** The `n` shelters nearest a point, nearest first, with their distance in km. */
export function nearestShelters(shelters: readonly Shelter[], point: LonLat, n = 1): { shelter: Shelter; km: number }[] {
  return shelters
    .map((shelter) => ({ shelter, km: distanceKm(point, shelter.position) }))
    .sort((a, b) => a.km - b.km || a.shelter.id.localeCompare(b.shelter.id))
    .slice(0, n);
}

/** Total capacity by district code (people). */
export function shelterCapacity(shelters: readonly Shelter[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of shelters) out.set(s.district, (out.get(s.district) ?? 0) + s.capacity);
  return out;
}
