import type { LonLat } from '@egret/protocol';
import { ringsOf, type Boundaries } from './boundaries.ts';

const key = (p: readonly number[]) => `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`;
const edgeKey = (a: readonly number[], b: readonly number[]) => {
  const ka = key(a),
    kb = key(b);
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
};

/**
 * The coastline (pure): the district outlines follow the shore, and two districts share the vertices of their
 * common border, so an edge that belongs to one ring only is where land meets sea (or the city's land border).
 * Consecutive such edges are joined into lines, ring by ring.
 */
export function coastlines(boundaries: Boundaries): LonLat[][] {
  const rings = ringsOf(boundaries);
  const count = new Map<string, number>();
  for (const ring of rings)
    for (let i = 0; i + 1 < ring.length; i++) {
      const k = edgeKey(ring[i]!, ring[i + 1]!);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
  const lines: LonLat[][] = [];
  for (const ring of rings) {
    const n = ring.length - 1; // closed: the last point repeats the first
    if (n < 2) continue;
    const coast = (i: number) => count.get(edgeKey(ring[i % n]!, ring[(i + 1) % n]!)) === 1;
    // Start at an edge that is not coast, so that a run never wraps around the ring's start.
    const start = Array.from({ length: n }, (_, i) => i).find((i) => !coast(i));
    if (start === undefined) {
      lines.push(ring.slice()); // an island on its own: all of it is coast
      continue;
    }
    let run: LonLat[] | null = null;
    for (let s = 1; s <= n; s++) {
      const i = (start + s) % n;
      if (coast(i)) {
        run ??= [ring[i]!];
        run.push(ring[(i + 1) % n]!);
      } else if (run) {
        lines.push(run);
        run = null;
      }
    }
    if (run) lines.push(run);
  }
  return lines;
}
