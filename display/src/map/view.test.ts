import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import { fitCity, MAX_ZOOM, panBy, viewBounds, zoomAround } from './view.ts';

describe(fitCity.name, () => {
  it('centres the city and zooms so it fills the canvas', () => {
    const v = fitCity([117.85, 24.38, 118.46, 24.92], 2760, 2000, 40);
    expect(v.longitude).toBeCloseTo(118.155, 2);
    expect(v.latitude).toBeGreaterThan(24.6);
    expect(v.latitude).toBeLessThan(24.7);
    expect(v.zoom).toBeGreaterThan(11);
    expect(v.zoom).toBeLessThan(12.5);
  });

  it('zooms out for a smaller canvas', () => {
    const big = fitCity([117.85, 24.38, 118.46, 24.92], 2760, 2000, 40);
    const small = fitCity([117.85, 24.38, 118.46, 24.92], 1380, 1000, 20);
    expect(small.zoom).toBeCloseTo(big.zoom - 1, 1);
  });

  it('survives a canvas not laid out yet', () => {
    expect(Number.isFinite(fitCity([117.85, 24.38, 118.46, 24.92], 0, 0, 40).zoom)).toBe(true);
  });
});

describe('the console camera', () => {
  const XIAMEN = [117.85, 24.38, 118.46, 24.92] as const;
  const W = 1100,
    H = 900;
  const city = fitCity(XIAMEN, W, H, 24);
  const project = (v: typeof city, lonLat: [number, number]) =>
    new WebMercatorViewport({
      width: W,
      height: H,
      longitude: v.longitude,
      latitude: v.latitude,
      zoom: v.zoom,
    }).project(lonLat);

  it('zooms around the pointer: the place under it stays under it', () => {
    const at: [number, number] = [300, 200];
    const place = new WebMercatorViewport({ width: W, height: H, ...city }).unproject(at) as [number, number];
    const zoomed = zoomAround(city, W, H, at, 1.5, city.zoom - 1);
    expect(zoomed.zoom).toBeCloseTo(city.zoom + 1.5, 6);
    const [x, y] = project(zoomed, place);
    expect(x).toBeCloseTo(at[0], 3);
    expect(y).toBeCloseTo(at[1], 3);
  });

  it('keeps the zoom between the city less a level and a street corner', () => {
    expect(zoomAround(city, W, H, [W / 2, H / 2], -5, city.zoom - 1).zoom).toBeCloseTo(city.zoom - 1, 6);
    expect(zoomAround(city, W, H, [W / 2, H / 2], 40, city.zoom - 1).zoom).toBe(MAX_ZOOM);
  });

  it('pans with the drag: the place under the pointer moves with it', () => {
    const place = new WebMercatorViewport({ width: W, height: H, ...city }).unproject([500, 400]) as [number, number];
    const [x, y] = project(panBy(city, W, H, 120, -80), place);
    expect(x).toBeCloseTo(620, 3);
    expect(y).toBeCloseTo(320, 3);
  });

  it('names the extent a camera shows: the city fitted inside it, a zoomed view inside that', () => {
    const all = viewBounds(city, W, H);
    expect(all[0]).toBeLessThanOrEqual(XIAMEN[0]);
    expect(all[2]).toBeGreaterThanOrEqual(XIAMEN[2]);
    expect(all[1]).toBeLessThanOrEqual(XIAMEN[1]);
    expect(all[3]).toBeGreaterThanOrEqual(XIAMEN[3]);
    const near = viewBounds(zoomAround(city, W, H, [W / 2, H / 2], 3, city.zoom - 1), W, H);
    expect(near[0]).toBeGreaterThan(all[0]);
    expect(near[2] - near[0]).toBeCloseTo((all[2] - all[0]) / 8, 3);
  });
});
