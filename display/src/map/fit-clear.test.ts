import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import type { LonLat } from '@egret/protocol';
import { fitClearOf, type EdgeBox } from './fit-clear.ts';
import { fitCity, type Bbox } from './view.ts';

/** An L-shaped "city": tall on the west, a low arm to the east; its south-east and north-east are sea. */
const L: LonLat[] = [];
const edge = (a: LonLat, b: LonLat, n = 40) => {
  for (let i = 0; i < n; i++) L.push([a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n]);
};
edge([118.0, 24.4], [118.2, 24.4]);
edge([118.2, 24.4], [118.2, 24.6]);
edge([118.2, 24.6], [118.45, 24.6]);
edge([118.45, 24.6], [118.45, 24.9]);
edge([118.45, 24.9], [118.0, 24.9]);
edge([118.0, 24.9], [118.0, 24.4]);
const BBOX: Bbox = [118.0, 24.4, 118.45, 24.9];
const [W, H, PAD] = [1780, 1640, 64];

const project = (v: ReturnType<typeof fitCity>) => {
  const vp = new WebMercatorViewport({
    width: W,
    height: H,
    longitude: v.longitude,
    latitude: v.latitude,
    zoom: v.zoom,
  });
  return (p: LonLat) => vp.project([p[0], p[1]]) as [number, number];
};
const under = (p: [number, number], b: Required<Pick<EdgeBox, 'right' | 'bottom'>> & EdgeBox) =>
  p[0] > W - b.right - b.width && p[0] < W - b.right && p[1] > H - b.bottom - b.height && p[1] < H - b.bottom;

describe(fitClearOf.name, () => {
  it('is the plain fit without boxes, or when the city already clears them', () => {
    expect(fitClearOf(L, BBOX, W, H, PAD, [])).toEqual(fitCity(BBOX, W, H, PAD));
    // A small box in the north-west corner of the canvas, above and left of where the city is drawn.
    const corner: EdgeBox = { left: 4, top: 4, width: 40, height: 40 };
    expect(fitClearOf(L, BBOX, W, H, PAD, [corner])).toEqual(fitCity(BBOX, W, H, PAD));
  });

  it('draws no point of the city under a legend in the bottom-right corner, and stays inside the padding', () => {
    const legend = { right: 28, bottom: 28, width: 560, height: 800 };
    const plain = fitCity(BBOX, W, H, PAD);
    expect(L.map(project(plain)).some((p) => under(p, legend))).toBe(true);
    const v = fitClearOf(L, BBOX, W, H, PAD, [legend]);
    const pts = L.map(project(v));
    expect(pts.filter((p) => under(p, legend))).toEqual([]);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(PAD - 0.5);
      expect(x).toBeLessThanOrEqual(W - PAD + 0.5);
      expect(y).toBeGreaterThanOrEqual(PAD - 0.5);
      expect(y).toBeLessThanOrEqual(H - PAD + 0.5);
    }
    expect(v.zoom).toBeLessThanOrEqual(plain.zoom);
    // Never smaller than keeping the legend's whole column (and its margin) out of the fit.
    const column = fitCity(BBOX, W - (28 + 560 + 16) + PAD, H, PAD);
    expect(v.zoom).toBeGreaterThanOrEqual(column.zoom - 1e-4);
  });

  it('slides the city aside at full size when the canvas has room for it', () => {
    const legend = { right: 28, bottom: 28, width: 400, height: 700 };
    const plain = fitCity(BBOX, W, H, PAD);
    expect(L.map(project(plain)).some((p) => under(p, legend))).toBe(true);
    const v = fitClearOf(L, BBOX, W, H, PAD, [legend]);
    expect(L.map(project(v)).filter((p) => under(p, legend))).toEqual([]);
    expect(v.zoom).toBeCloseTo(plain.zoom, 6);
    expect(v.longitude).toBeGreaterThan(plain.longitude); // the camera looks further east: the city moves west
  });

  it('keeps the margin around each box, and clears two boxes at once', () => {
    const legend = { right: 28, top: 28, width: 500, height: 500 };
    const storm = { left: 28, bottom: 28, width: 300, height: 300 };
    const v = fitClearOf(L, BBOX, W, H, PAD, [legend, storm], 16);
    const pts = L.map(project(v));
    const near = (p: [number, number], x0: number, y0: number, w: number, h: number) =>
      p[0] > x0 - 15 && p[0] < x0 + w + 15 && p[1] > y0 - 15 && p[1] < y0 + h + 15;
    expect(pts.filter((p) => near(p, W - 28 - 500, 28, 500, 500))).toEqual([]);
    expect(pts.filter((p) => near(p, 28, H - 28 - 300, 300, 300))).toEqual([]);
  });

  it('gives up to the plain fit when the boxes cover the canvas, and survives a canvas not laid out yet', () => {
    const all = { left: 0, top: 0, width: W, height: H };
    expect(fitClearOf(L, BBOX, W, H, PAD, [all])).toEqual(fitCity(BBOX, W, H, PAD));
    expect(Number.isFinite(fitClearOf(L, BBOX, 0, 0, PAD, [{ right: 0, bottom: 0, width: 10, height: 10 }]).zoom)).toBe(
      true,
    );
    const empty = { right: 28, bottom: 28, width: 0, height: 0 };
    expect(fitClearOf(L, BBOX, W, H, PAD, [empty])).toEqual(fitCity(BBOX, W, H, PAD));
  });
});
