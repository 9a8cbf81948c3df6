import { describe, expect, it } from 'vitest';
import { haversineM } from '@egret/protocol';
import { loadConfig } from './load.ts';
import { districtShapes, inShape } from './geometry.ts';
import { cellAt, cellSquare, gridCells, gridGeoJson, gridId, gridIdAt, gridSpec, parseGridId } from './grids.ts';

const config = loadConfig();
const shapes = districtShapes(config.boundaries);
const spec = gridSpec(config.city.bbox, 500);
const cells = gridCells(shapes, spec);

/** Shoelace area of a district in m² at its own latitude, to compare the cells' sum against. */
function districtAreaM2(code: string): number {
  const shape = shapes.find((s) => s.code === code)!;
  const lat = (shape.bbox[1] + shape.bbox[3]) / 2;
  let total = 0;
  for (const poly of shape.polygons) {
    poly.forEach((ring, k) => {
      let sum = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
        sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
      total += (k === 0 ? 1 : -1) * Math.abs(sum / 2);
    });
  }
  return total * 111_320 * Math.cos((lat * Math.PI) / 180) * 110_800;
}

describe(gridSpec.name, () => {
  it('makes cells about 500 m on a side at Xiamen’s latitude', () => {
    const [sw, , ne] = cellSquare(spec, 60, 60);
    expect(haversineM(sw!, [ne![0], sw![1]])).toBeGreaterThan(490);
    expect(haversineM(sw!, [ne![0], sw![1]])).toBeLessThan(510);
    expect(haversineM(sw!, [sw![0], ne![1]])).toBeGreaterThan(490);
    expect(haversineM(sw!, [sw![0], ne![1]])).toBeLessThan(510);
  });
});

describe(gridId.name, () => {
  it('writes 15 characters, district code first, and reads back', () => {
    const id = gridId('350203', 41, 7);
    expect(id).toBe('350203041007001');
    expect(id).toHaveLength(15);
    expect(parseGridId(id)).toEqual({ district: '350203', row: 41, col: 7 });
    expect(parseGridId('35020304100700')).toBeUndefined();
  });

  it('refuses a bad district code or a row beyond three digits', () => {
    expect(() => gridId('3502', 1, 1)).toThrow(/6 digits/);
    expect(() => gridId('350203', 1000, 1)).toThrow(/outside/);
  });
});

describe(gridCells.name, () => {
  it('gives every district cells with unique 15-character ids', () => {
    const ids = new Set(cells.map((c) => c.id));
    expect(ids.size).toBe(cells.length);
    for (const d of config.city.districts)
      expect(cells.filter((c) => c.district === d.code).length).toBeGreaterThan(50);
    for (const c of cells) {
      expect(c.id).toMatch(/^\d{15}$/);
      expect(c.id.startsWith(c.district)).toBe(true);
    }
  });

  it('covers each district: the clipped areas add up to the district’s area', () => {
    for (const d of config.city.districts) {
      const sum = cells.filter((c) => c.district === d.code).reduce((s, c) => s + c.areaM2, 0);
      expect(sum / districtAreaM2(d.code)).toBeGreaterThan(0.99);
      expect(sum / districtAreaM2(d.code)).toBeLessThan(1.01);
    }
  });

  it('never gives a cell more area than its square', () => {
    const full = 500 * 500;
    for (const c of cells) expect(c.areaM2).toBeLessThanOrEqual(full * 1.02);
  });

  it('puts every point of a district into one of that district’s cells', () => {
    const byId = new Set(cells.map((c) => c.id));
    let checked = 0;
    for (const shape of shapes) {
      const [x0, y0, x1, y1] = shape.bbox;
      for (let i = 0; i < 40; i++)
        for (let j = 0; j < 40; j++) {
          const p: [number, number] = [x0 + ((x1 - x0) * (i + 0.5)) / 40, y0 + ((y1 - y0) * (j + 0.5)) / 40];
          if (!inShape(shape, p)) continue;
          const rc = cellAt(spec, p)!;
          expect(byId.has(gridId(shape.code, rc.row, rc.col))).toBe(true);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('exports GeoJSON MultiPolygons with closed rings', () => {
    const fc = gridGeoJson(cells.slice(0, 20));
    expect(fc.features).toHaveLength(20);
    for (const f of fc.features)
      for (const poly of f.geometry.coordinates)
        for (const ring of poly) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
        }
  });
});

describe(gridIdAt.name, () => {
  it('names the cell holding a point, in the district given, and nothing outside the lattice', () => {
    const spec = gridSpec([118.0, 24.4, 118.2, 24.6], 500);
    const cell = cellAt(spec, [118.09, 24.46])!;
    expect(gridIdAt(spec, '350203', [118.09, 24.46])).toBe(gridId('350203', cell.row, cell.col));
    expect(gridIdAt(spec, '350203', [117.9, 24.46])).toBeUndefined();
  });
});
