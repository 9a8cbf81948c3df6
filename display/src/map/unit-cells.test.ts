import { mercatorX, mercatorY } from './mercator.ts';
import { describe, expect, it } from 'vitest';
import {
  growthPx,
  mercatorYFast,
  unitCells,
  unitsForcedFull,
  unitsGatheredExactly,
  type UnitRows,
} from './unit-cells.ts';

const GREEN = [46, 204, 113, 255];
const RED = [231, 76, 60, 255];
const GREY = [120, 120, 120, 255];
const WHITE = [255, 255, 255, 255];

/** Rows from [lon, lat, colour, radius] per slot; radius 0: a slot without a fix. */
function rows(units: [number, number, number[], number][]): UnitRows {
  const n = units.length;
  const out: UnitRows = {
    length: n,
    positions: new Float32Array(n * 2),
    colors: new Uint8Array(n * 4),
    lineColors: new Uint8Array(n * 4),
    radii: new Float32Array(n),
  };
  units.forEach(([lon, lat, color, r], slot) => {
    out.positions[slot * 2] = lon;
    out.positions[slot * 2 + 1] = lat;
    out.colors.set(color, slot * 4);
    out.lineColors.set(color === GREY ? GREY : WHITE, slot * 4);
    out.radii[slot] = r;
  });
  return out;
}

/** Zoom 12 (the wall's city view): a screen pixel is ~35 m at Xiamen's latitude. */
const CITY = { worldScale: 2 ** 12, cellPx: 12, maxDots: 10_000 };
/** Degrees of longitude per screen pixel at zoom 12. */
const PX = 360 / (512 * 2 ** 12);

/** A grid cell's corner at zoom 12 with 12 px cells: units placed inside it share the cell. */
const LON0 = ((Math.floor((mercatorX(118.1) * CITY.worldScale) / 12) * 12 + 1) / CITY.worldScale / 512) * 360 - 180;
const LAT0 = 24.5;

describe(unitCells.name, () => {
  it('draws units in the same few pixels as one dot at their mean position, larger by the count', () => {
    const picture = rows([
      [LON0, LAT0, GREEN, 8],
      [LON0 + 2 * PX, LAT0, GREEN, 8],
      [LON0 + 4 * PX, LAT0, GREEN, 8],
      [LON0 + 6 * PX, LAT0, GREEN, 8],
    ]);
    const cells = unitCells(picture, CITY);
    expect(cells.length).toBe(1);
    expect(cells.counts[0]).toBe(4);
    expect(cells.units).toBe(4);
    expect(cells.positions[0]).toBeCloseTo(LON0 + 3 * PX, 6);
    expect(cells.positions[1]).toBeCloseTo(LAT0, 5);
    expect(cells.radii[0]).toBe(8 + 2);
    expect([...cells.colors.subarray(0, 4)]).toEqual(GREEN);
  });

  it('keeps units a cell apart as dots of their own, in their own colours and sizes', () => {
    const picture = rows([
      [LON0, LAT0, GREEN, 8],
      [LON0 + 30 * PX, LAT0, RED, 10],
      [LON0, LAT0 + 30 * PX, GREY, 6],
    ]);
    const cells = unitCells(picture, CITY);
    // No two share a cell: the rows themselves are drawn, slot for slot.
    expect(cells.length).toBe(3);
    expect(cells.positions).toBe(picture.positions);
    expect([...cells.slots]).toEqual([0, 1, 2]);
    expect([...cells.radii]).toEqual([8, 10, 6]);
  });

  it('wears the colour most of the cell’s on-duty units share, not that of a stale one drawn smaller', () => {
    const picture = rows([
      [LON0, LAT0, GREY, 6],
      [LON0 + PX, LAT0, GREY, 6],
      [LON0 + 2 * PX, LAT0, GREY, 6],
      [LON0 + 3 * PX, LAT0, RED, 8],
      [LON0 + 4 * PX, LAT0, GREEN, 8],
      [LON0 + 5 * PX, LAT0, RED, 8],
      [LON0 + 6 * PX, LAT0, RED, 8],
    ]);
    const cells = unitCells(picture, CITY);
    expect(cells.length).toBe(1);
    expect(cells.counts[0]).toBe(7);
    expect([...cells.colors.subarray(0, 4)]).toEqual(RED);
    expect([...cells.lineColors.subarray(0, 4)]).toEqual(WHITE);
    expect(picture.colors.subarray(cells.slots[0]! * 4, cells.slots[0]! * 4 + 4)).toEqual(new Uint8Array(RED));
  });

  it('leaves out slots without a fix and counts every unit with one in some dot', () => {
    const units: [number, number, number[], number][] = [];
    for (let i = 0; i < 5_000; i++) {
      units.push([
        118.0 + ((i * 7919) % 1000) * 0.0002,
        24.45 + ((i * 104729) % 1000) * 0.0001,
        GREEN,
        i % 10 === 0 ? 0 : 8,
      ]);
    }
    const cells = unitCells(rows(units), CITY);
    expect(cells.units).toBe(4_500);
    expect([...cells.counts].reduce((a, b) => a + b, 0)).toBe(4_500);
    expect(cells.length).toBeLessThan(4_500);
  });

  it('grows the cells until the dots are no more than it may draw', () => {
    const units: [number, number, number[], number][] = [];
    for (let i = 0; i < 20_000; i++)
      units.push([118.0 + (i % 200) * 0.001, 24.45 + Math.floor(i / 200) * 0.001, GREEN, 8]);
    const free = unitCells(rows(units), CITY);
    const capped = unitCells(rows(units), { ...CITY, maxDots: 2_000 });
    expect(free.cellPx).toBe(12);
    expect(capped.length).toBeLessThanOrEqual(2_000);
    expect(capped.cellPx).toBeGreaterThan(12);
    expect([...capped.counts].reduce((a, b) => a + b, 0)).toBe(20_000);
  });

  it('draws every unit as itself when zoomed in far enough that none share a cell', () => {
    const picture = rows([
      [LON0, LAT0, GREEN, 8],
      [LON0 + 6 * PX, LAT0, RED, 8],
    ]);
    const close = unitCells(picture, { ...CITY, worldScale: 2 ** 16 });
    expect(close.length).toBe(2);
    expect([...close.slots]).toEqual([0, 1]);
    // Past the cells' key span (a cell under a metre) it gives up gathering rather than collide keys.
    expect(unitCells(picture, { ...CITY, worldScale: 2 ** 24, cellPx: 1 }).length).toBe(2);
  });

  it('leaves out units off the view and gathers only those on it', () => {
    const picture = rows([
      [LON0, LAT0, GREEN, 8],
      [LON0 + 2 * PX, LAT0, RED, 8],
      [LON0 + 400 * PX, LAT0, GREEN, 8],
    ]);
    const x = mercatorX(LON0) * CITY.worldScale;
    const y = mercatorY(LAT0) * CITY.worldScale;
    const cells = unitCells(picture, { ...CITY, view: [x - 50, y - 50, x + 50, y + 50] });
    expect(cells.units).toBe(2);
    expect(cells.length).toBe(1);
    expect(cells.counts[0]).toBe(2);
    // Zoomed in too far for cells: still only the units on the view, each its own dot.
    const deep = unitCells(picture, {
      worldScale: 2 ** 24,
      cellPx: 1,
      maxDots: 10,
      view: [x * 4096 - 1e5, y * 4096 - 1e5, x * 4096 + 1e5, y * 4096 + 1e5],
    });
    expect(deep.length).toBe(2);
    expect([...deep.slots]).toEqual([0, 1]);
  });

  it('anchors the cells to the world: the same units give the same dots wherever the view is', () => {
    const picture = rows([
      [LON0, LAT0, GREEN, 8],
      [LON0 + 2 * PX, LAT0, RED, 8],
      [LON0 + 40 * PX, LAT0, GREEN, 8],
    ]);
    const a = unitCells(picture, CITY);
    const b = unitCells(picture, CITY);
    expect([...a.positions]).toEqual([...b.positions]);
    expect(a.length).toBe(2);
  });
});

describe('unitCells with kept working arrays', () => {
  /** `n` units scattered over the city by a fixed sequence (no Math.random: the same every run). */
  function scattered(n: number, seed: number): UnitRows {
    let x = seed;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const units: [number, number, number[], number][] = [];
    for (let i = 0; i < n; i++)
      units.push([117.95 + next() * 0.3, 24.42 + next() * 0.2, [GREEN, RED, GREY][i % 3]!, [8, 10, 6][i % 3]!]);
    return rows(units);
  }
  const flat = (c: ReturnType<typeof unitCells>) => [
    c.length,
    c.units,
    c.cellPx,
    [...c.positions],
    [...c.colors],
    [...c.lineColors],
    [...c.radii],
    [...c.counts],
    [...c.slots],
  ];
  const VIEWED = { worldScale: 2 ** 11.2, cellPx: 6, maxDots: 6_000 };

  it('gathers as the exact projection with fresh arrays does', () => {
    for (const seed of [1, 2, 3]) {
      const picture = scattered(20_000, seed);
      expect(flat(unitCells(picture, VIEWED))).toEqual(flat(unitCells(picture, { ...VIEWED, exact: true })));
    }
  });

  it('answers the same whatever it gathered before: a smaller picture after a larger, a grown grid after a small one', () => {
    const big = scattered(30_000, 7);
    const small = scattered(3_000, 8);
    const fresh = flat(unitCells(small, { ...VIEWED, exact: true }));
    unitCells(big, { ...VIEWED, maxDots: 500 });
    expect(flat(unitCells(small, VIEWED))).toEqual(fresh);
    // A picture kept by the layer is not overwritten by the next gathering.
    const kept = unitCells(small, VIEWED);
    const before = flat(kept);
    unitCells(big, VIEWED);
    expect(flat(kept)).toEqual(before);
  });
});

describe(growthPx.name, () => {
  it('adds nothing for one unit and at most four pixels for a crowd', () => {
    expect(growthPx(1)).toBe(0);
    expect(growthPx(2)).toBe(1);
    expect(growthPx(16)).toBe(4);
    expect(growthPx(10_000)).toBe(4);
  });
});

describe('mercator', () => {
  it('puts the equator and the meridian in the middle of the 512-unit world', () => {
    expect(mercatorX(0)).toBe(256);
    expect(mercatorY(0)).toBeCloseTo(256, 9);
    expect(mercatorY(24.5)).toBeLessThan(256);
  });
});

describe(mercatorYFast.name, () => {
  it('is off by under a quarter pixel at zoom 20 near the equator, and by less than half a Float32 step of the latitude beyond', () => {
    let nearWorstPx = 0;
    let farWorst = 0;
    for (let lat = -89.9999; lat <= 89.9999; lat += 0.00137) {
      const f = Math.fround(lat);
      const off = Math.abs(mercatorYFast(f) - mercatorY(f));
      if (Math.abs(f) < 30) nearWorstPx = Math.max(nearWorstPx, off * 2 ** 20);
      else {
        // What one Float32 step of this latitude (as the positions hold it) moves the point, in world units.
        const step = Math.abs(mercatorY(f) - mercatorY(f + Math.sign(f) * Math.abs(f) * 2 ** -23));
        farWorst = Math.max(farWorst, off / step);
      }
    }
    expect(nearWorstPx).toBeLessThan(0.25);
    expect(farWorst).toBeLessThan(0.5);
  });

  it('is exact at the table’s rows and edges, and outside it', () => {
    for (const lat of [-85, -45, 0, 24.5, 85, 85.5, -85.5, 89.9, -89.9])
      expect(mercatorYFast(lat)).toBeCloseTo(mercatorY(lat), 9);
    expect(mercatorYFast(Number.NaN)).toBeNaN();
  });
});

describe(unitsGatheredExactly.name, () => {
  it('reads ?units=exact in any case, and nothing else', () => {
    expect(unitsGatheredExactly('?units=exact')).toBe(true);
    expect(unitsGatheredExactly('?units=EXACT')).toBe(true);
    expect(unitsGatheredExactly('?units=full')).toBe(false);
    expect(unitsGatheredExactly('?exact=units')).toBe(false);
    expect(unitsGatheredExactly('')).toBe(false);
  });
});

describe(unitsForcedFull.name, () => {
  it('reads ?units=full in any case, and nothing else', () => {
    expect(unitsForcedFull('?units=full')).toBe(true);
    expect(unitsForcedFull('?units=FULL')).toBe(true);
    expect(unitsForcedFull('?units=%20Full')).toBe(true);
    expect(unitsForcedFull('?units=cells')).toBe(false);
    expect(unitsForcedFull('?resolution=full')).toBe(false);
    expect(unitsForcedFull('')).toBe(false);
  });
});
