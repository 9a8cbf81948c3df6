import { describe, expect, it } from 'vitest';
import type { LonLat } from '@egret/protocol';
import type { Boundaries } from './boundaries.ts';
import {
  boundariesAtLevel,
  detailLevel,
  FULL_DETAIL_FROM,
  linesAtLevel,
  outlineForcedFull,
  simplifyLine,
  toleranceDeg,
} from './outline-detail.ts';

/** A wiggly closed ring around (118.1, 24.5): 400 points, each a few metres off a circle of ~2 km. */
function ring(): LonLat[] {
  const out: LonLat[] = [];
  for (let i = 0; i < 400; i++) {
    const a = (i / 400) * 2 * Math.PI;
    const r = 0.02 + (i % 2 === 0 ? 0.00002 : -0.00002);
    out.push([118.1 + (r * Math.cos(a)) / Math.cos((24.5 * Math.PI) / 180), 24.5 + r * Math.sin(a)]);
  }
  out.push(out[0]!);
  return out;
}

function boundaries(): Boundaries {
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Polygon', coordinates: [ring()] } },
      {
        type: 'Feature',
        properties: { code: 'B' },
        geometry: { type: 'MultiPolygon', coordinates: [[ring()], [ring()]] },
      },
    ],
  } as unknown as Boundaries;
}

/** Distance (degrees, local plane) from p to the nearest segment of a line. */
function offLine(p: LonLat, line: readonly LonLat[]): number {
  const k = Math.cos((24.5 * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = [line[i]![0] * k, line[i]![1]];
    const [bx, by] = [line[i + 1]![0] * k, line[i + 1]![1]];
    const [px, py] = [p[0] * k, p[1]];
    const t = Math.max(
      0,
      Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)),
    );
    best = Math.min(best, Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay))));
  }
  return best;
}

describe(detailLevel.name, () => {
  it('rounds the zoom down to half levels, and draws every point from zoom 15', () => {
    expect(detailLevel(10.74)).toBe(10.5);
    expect(detailLevel(11)).toBe(11);
    expect(detailLevel(FULL_DETAIL_FROM - 0.01)).toBe(14.5);
    expect(detailLevel(FULL_DETAIL_FROM)).toBeNull();
    expect(detailLevel(Number.NaN)).toBeNull();
    expect(detailLevel(10.74, true)).toBeNull();
  });
});

describe(outlineForcedFull.name, () => {
  it('reads ?outline=full in any case, and nothing else', () => {
    expect(outlineForcedFull('?outline=FULL')).toBe(true);
    expect(outlineForcedFull('?units=full&outline=full')).toBe(true);
    expect(outlineForcedFull('?outline=paths, Full')).toBe(true);
    expect(outlineForcedFull('?outline=paths')).toBe(false);
    expect(outlineForcedFull('?units=full')).toBe(false);
    expect(outlineForcedFull('')).toBe(false);
  });
});

describe(simplifyLine.name, () => {
  it('leaves out points within the tolerance, keeps the ends, and strays from the line by no more', () => {
    const line = ring();
    const tolerance = toleranceDeg(10.5, 24.5);
    const out = simplifyLine(line, tolerance);
    expect(out.length).toBeLessThan(line.length / 4);
    expect(out[0]).toBe(line[0]);
    expect(out[out.length - 1]).toBe(line[line.length - 1]);
    for (const p of line) expect(offLine(p, out)).toBeLessThanOrEqual(tolerance * 1.0001);
  });

  it('keeps every point that stands out of the line', () => {
    const zigzag: LonLat[] = [
      [118, 24.5],
      [118.01, 24.51],
      [118.02, 24.5],
      [118.03, 24.51],
    ];
    expect(simplifyLine(zigzag, toleranceDeg(10, 24.5))).toEqual(zigzag);
  });
});

describe(boundariesAtLevel.name, () => {
  it('simplifies every ring of polygons and multipolygons at a level, keeping them closed, once per level', () => {
    const b = boundaries();
    const at = boundariesAtLevel(b, 10.5);
    const rings = at.features.flatMap((f) => {
      const g = f.geometry as { type: string; coordinates: unknown };
      return g.type === 'Polygon' ? (g.coordinates as LonLat[][]) : (g.coordinates as LonLat[][][]).flat();
    });
    expect(rings).toHaveLength(3);
    for (const r of rings) {
      expect(r.length).toBeGreaterThanOrEqual(4);
      expect(r.length).toBeLessThan(100);
      expect(r[r.length - 1]).toEqual(r[0]);
    }
    expect(at.features[0]!.properties).toEqual({ code: 'A' });
    expect(boundariesAtLevel(b, 10.5)).toBe(at);
    expect(boundariesAtLevel(b, null)).toBe(b);
    // Closer in, more of the outline's points are drawn.
    const close = boundariesAtLevel(b, 14.5).features[0]!.geometry as { coordinates: LonLat[][] };
    expect(close.coordinates[0]!.length).toBeGreaterThan(rings[0]!.length);
  });
});

describe(linesAtLevel.name, () => {
  it('simplifies the shore’s lines, the same array for the same level and as they are for full detail', () => {
    const lines = [ring().slice(0, 200)];
    const at = linesAtLevel(lines, 11);
    expect(at[0]!.length).toBeLessThan(200);
    expect(linesAtLevel(lines, 11)).toBe(at);
    expect(linesAtLevel(lines, null)).toBe(lines);
  });
});
