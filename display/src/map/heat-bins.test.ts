import { describe, expect, it } from 'vitest';
import { HEAT_CELL_FRACTION, heatBins, heatBinScale, heatFromPoints } from './heat-bins.ts';
import { mercatorX, mercatorY } from './mercator.ts';

type P = { at: [number, number]; w: number };
const bin = (points: P[], cellPx: number, binScale: number) =>
  heatBins(
    points,
    (p) => p.at,
    (p) => p.w,
    cellPx,
    binScale,
  );

/** A point `dx`, `dy` screen pixels from [lon, lat] at world scale `s` (Mercator, small offsets). */
function offset([lon, lat]: [number, number], dx: number, dy: number, s: number): [number, number] {
  const x = mercatorX(lon) + dx / s;
  const y = mercatorY(lat) + dy / s;
  const lonOut = (x / 512) * 360 - 180;
  const latOut = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 512))) * 180) / Math.PI;
  return [lonOut, latOut];
}

const XIAMEN: [number, number] = [118.1, 24.48];
const CITY = 2 ** 10; // city view on the wall

describe(heatBins.name, () => {
  it('gathers the points of one cell into one at their weighted centre, with their summed weight', () => {
    // Anchored to the world: find a cell's corner, then put points inside it.
    const cellPx = 16;
    const corner = offset(XIAMEN, 0, 0, CITY);
    const cx = Math.floor((mercatorX(corner[0]) * CITY) / cellPx) * cellPx;
    const cy = Math.floor((mercatorY(corner[1]) * CITY) / cellPx) * cellPx;
    const at = (px: number, py: number): [number, number] => {
      const lon = ((px / CITY / 512) * 360 - 180) as number;
      const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (py / CITY)) / 512))) * 180) / Math.PI;
      return [lon, lat];
    };
    const a = { at: at(cx + 2, cy + 2), w: 1 };
    const b = { at: at(cx + 14, cy + 10), w: 3 };
    const bins = bin([a, b], cellPx, CITY);
    expect(bins.length).toBe(1);
    expect(bins.points).toBe(2);
    expect(bins.weights[0]).toBe(4);
    expect(bins.positions[0]).toBeCloseTo((a.at[0] + 3 * b.at[0]) / 4, 5);
    expect(bins.positions[1]).toBeCloseTo((a.at[1] + 3 * b.at[1]) / 4, 5);
  });

  it('keeps points more than a cell apart apart, in the order they first came, the same every time', () => {
    const points = [0, 40, 80, 5].map((dx, i) => ({ at: offset(XIAMEN, dx, 0, CITY), w: i + 1 }));
    const once = bin(points, 16, CITY);
    const again = bin(points, 16, CITY);
    expect(once.length).toBeGreaterThanOrEqual(3);
    expect(once.length).toBeLessThanOrEqual(4);
    expect([...once.weights].reduce((s, w) => s + w, 0)).toBe(10);
    expect(once.positions).toEqual(again.positions);
    expect(once.weights).toEqual(again.weights);
    // The first cell is the first point's.
    expect(once.positions[0]).toBeCloseTo(points[0]!.at[0], 1);
  });

  it('leaves out points the heat would not count (weight 0 or less, not a number)', () => {
    const bins = bin(
      [
        { at: XIAMEN, w: 0 },
        { at: XIAMEN, w: -2 },
        { at: XIAMEN, w: Number.NaN },
        { at: XIAMEN, w: 2 },
      ],
      16,
      CITY,
    );
    expect(bins.length).toBe(1);
    expect(bins.points).toBe(1);
    expect(bins.weights[0]).toBe(2);
  });

  it('draws a heat the blur cannot tell from every point’s: within 2 % of the peak everywhere', () => {
    // 5,000 cases clustered around a few hot spots, spread with a kernel of the wall's radius (150 px) at city view,
    // sampled on a grid over the whole cluster: the cells (1/8 of the radius) against every point.
    let seed = 7;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const spots = [0, 1, 2, 3].map(() => [random() * 600 - 300, random() * 600 - 300] as const);
    const points: P[] = Array.from({ length: 5_000 }, () => {
      const [sx, sy] = spots[Math.floor(random() * spots.length)]!;
      return {
        at: offset(XIAMEN, sx + (random() - 0.5) * 200, sy + (random() - 0.5) * 200, CITY),
        w: 1 + Math.floor(random() * 3) * 2,
      };
    });
    const radius = 150;
    const bins = bin(points, radius * HEAT_CELL_FRACTION, CITY);
    expect(bins.length).toBeLessThan(points.length / 5);
    const px = (lon: number, lat: number) => [mercatorX(lon) * CITY, mercatorY(lat) * CITY] as const;
    // deck.gl's weights kernel (heatmap-layer/weights-fs.glsl): a Gaussian of a sixth of the radius, cut at it.
    const kernel = (d: number) => (d >= radius ? 0 : Math.exp(-((d / radius) ** 2) / 0.05555));
    const heatAt = (qx: number, qy: number, from: Iterable<readonly [number, number, number]>) => {
      let h = 0;
      for (const [x, y, w] of from) h += w * kernel(Math.hypot(qx - x, qy - y));
      return h;
    };
    const every = points.map((p) => [...px(p.at[0], p.at[1]), p.w] as const);
    const cells = Array.from(
      { length: bins.length },
      (_, i) => [...px(bins.positions[2 * i]!, bins.positions[2 * i + 1]!), bins.weights[i]!] as const,
    );
    const [ox, oy] = px(...XIAMEN);
    let peak = 0;
    let worst = 0;
    for (let gx = -450; gx <= 450; gx += 30)
      for (let gy = -450; gy <= 450; gy += 30) {
        const exact = heatAt(ox + gx, oy + gy, every);
        peak = Math.max(peak, exact);
        worst = Math.max(worst, Math.abs(exact - heatAt(ox + gx, oy + gy, cells)));
      }
    expect(peak).toBeGreaterThan(0);
    expect(worst / peak).toBeLessThan(0.02);
  });
});

describe(heatBinScale.name, () => {
  it('sizes the cells at the whole zoom level below the view’s, from zoom 0 to 18', () => {
    expect(heatBinScale(2 ** 10)).toBe(2 ** 10);
    expect(heatBinScale(2 ** 10.99)).toBe(2 ** 10);
    expect(heatBinScale(2 ** 11)).toBe(2 ** 11);
    expect(heatBinScale(0.3)).toBe(1);
    expect(heatBinScale(2 ** 22)).toBe(2 ** 18);
  });
});

describe(heatFromPoints.name, () => {
  it('reads ?heat=points, in any letter case, and nothing else', () => {
    expect(heatFromPoints('?heat=points')).toBe(true);
    expect(heatFromPoints('?heat=Points')).toBe(true);
    expect(heatFromPoints('?heat=cells')).toBe(false);
    expect(heatFromPoints('?hide=points')).toBe(false);
    expect(heatFromPoints('')).toBe(false);
  });
});
