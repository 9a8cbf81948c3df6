import { describe, expect, it } from 'vitest';
import { cellAssets, urbanity, type TyphoonCell } from './assets.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';

const { incidents: settings } = loadTyphoonScenario();
const square = (id: string, district: string, center: [number, number], areaM2 = 250_000): TyphoonCell => ({
  id,
  district,
  center,
  polygons: [],
  areaM2,
});

describe(cellAssets.name, () => {
  it('gives the same cell the same assets for the same seed, and other assets for another seed', () => {
    const cell = square('350203041052001', '350203', [118.09, 24.46]);
    expect(cellAssets(cell, 7, settings)).toEqual(cellAssets(cell, 7, settings));
    expect(cellAssets(cell, 8, settings).trees).not.toBe(cellAssets(cell, 7, settings).trees);
  });

  it('makes the island denser in street trees, shops and bikes than rural Tong’an', () => {
    const flat = { ...settings, assetNoiseSigma: 0 };
    const island = cellAssets(square('a', '350203', [118.09, 24.46]), 1, flat);
    const tongan = cellAssets(square('b', '350212', [118.15, 24.8]), 1, flat);
    for (const a of ['trees', 'shops', 'bikes'] as const) expect(island[a]).toBeGreaterThan(2 * tongan[a]);
    expect(tongan.poles).toBeGreaterThanOrEqual(island.poles); // overhead lines off the island
  });

  it('scales with the cell’s area and its nearness to named roads and towns, for urban classes only', () => {
    const flat = { ...settings, assetNoiseSigma: 0 };
    const full = cellAssets(square('c', '350206', [118.12, 24.51]), 1, flat);
    const half = cellAssets(square('c', '350206', [118.12, 24.51], 125_000), 1, flat);
    expect(half.trees).toBeCloseTo(full.trees / 2, 9);
    const far = cellAssets(square('c', '350206', [118.12, 24.51]), 1, flat, [[118.3, 24.7]]);
    expect(far.trees).toBeCloseTo(full.trees * settings.urban.floor, 2);
    expect(far.slopes).toBe(full.slopes);
  });

  it('averages about one over many cells when the profile is one (the variation has mean 1)', () => {
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += cellAssets(square(`x${i}`, '999999', [118, 24.5]), 3, settings).signs;
    expect(sum / 4000).toBeGreaterThan(0.95);
    expect(sum / 4000).toBeLessThan(1.05);
  });
});

describe(urbanity.name, () => {
  it('is 1 on a named place and falls to the floor far from all', () => {
    expect(urbanity([118.1, 24.5], [[118.1, 24.5]], settings.urban)).toBeCloseTo(1, 9);
    expect(urbanity([118.1, 24.5], [[119, 25]], settings.urban)).toBeCloseTo(settings.urban.floor, 6);
    expect(urbanity([118.1, 24.5], [], settings.urban)).toBe(1);
  });
});
