import type { LonLat } from '@egret/protocol';
import { pointToWgs84 } from './crs.ts';
import { loadRoads } from './roads.ts';

/** A fixed link to an island (bridge or tunnel) as the display draws it: both ends in WGS-84, approximate. */
export interface FixedLink {
  id: string;
  name: { zh: string; en: string };
  kind: 'bridge' | 'tunnel' | 'causeway';
  /** [island end, mainland end]: read off a web map to a few hundred metres (roads.json says so). */
  ends: [LonLat, LonLat];
  approximate: true;
}

/** The city's fixed links from its roads file (`cities/<city>/roads.json`), converted to WGS-84. */
export function fixedLinks(options: { dir?: string; city?: string } = {}): FixedLink[] {
  const roads = loadRoads(options);
  return roads.islands.flatMap((i) =>
    i.links.map((l) => ({
      id: l.id,
      name: l.name,
      kind: l.kind,
      ends: [pointToWgs84(l.island, roads.crs), pointToWgs84(l.mainland, roads.crs)] as [LonLat, LonLat],
      approximate: true as const,
    })),
  );
}
