import { beforeAll, describe, expect, it } from 'vitest';
import { districtShapes, gridCells, gridSpec, loadConfig, loadPlaces } from '@egret/config';
import { CaseReport, Id } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import { inCell } from './cell-index.ts';
import { createTyphoonIncidentModel, type TyphoonIncidentModel } from './incident-model.ts';
import {
  cityIncidentRate,
  generateTyphoonCases,
  roadSlowdown,
  toCaseReport,
  typhoonIncidentRate,
  type TyphoonCase,
} from './incidents.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const HOUR = 3_600_000;
const config = loadConfig();
const scenario = typhoonScenario(loadTyphoonScenario({ categories: config.categories }));
const LANDFALL = scenario.track.landfall.at;
const { start, end } = scenario.window;
const expectedTotal = scenario.incidents.categories.reduce((s, c) => s + c.expected, 0);
const island: [number, number] = [118.09, 24.48];

let model: TyphoonIncidentModel;
let cases: TyphoonCase[];

beforeAll(() => {
  // 1 km cells keep the test quick; the simulator's own grid (500 m) works the same.
  const cells = gridCells(districtShapes(config.boundaries), gridSpec(config.city.bbox, 1000));
  model = createTyphoonIncidentModel({
    scenario,
    cells,
    seed: 2016,
    places: loadPlaces().districts,
    districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
  });
  cases = generateTyphoonCases(model, new Rng(2016), start, end);
});

/** Index of the largest count, and the counts, in bins of `binH` hours from landfall. */
function histogram(list: readonly TyphoonCase[], at: (c: TyphoonCase) => number, binH: number) {
  const bins = new Map<number, number>();
  for (const c of list) {
    const b = Math.floor((at(c) - LANDFALL) / (binH * HOUR));
    bins.set(b, (bins.get(b) ?? 0) + 1);
  }
  const peak = [...bins.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  return { peakFromH: peak[0] * binH, bins };
}

describe(generateTyphoonCases.name, () => {
  it('reports tens of thousands of cases over the 72 h, close to the scenario’s expected total', () => {
    expect(expectedTotal).toBeGreaterThan(20_000);
    expect(cases.length).toBeGreaterThan(expectedTotal * 0.97);
    expect(cases.length).toBeLessThan(expectedTotal * 1.03);
  });

  it('peaks within ±3 h of landfall', () => {
    const { peakFromH } = histogram(cases, (c) => c.reportedAt, 1);
    expect(peakFromH).toBeGreaterThanOrEqual(-3);
    expect(peakFromH).toBeLessThan(3);
  });

  it('has its recovery tail — green waste and toppled shared bikes — peak 6–24 h after landfall', () => {
    for (const code of ['06018', '09011']) {
      const { peakFromH } = histogram(
        cases.filter((c) => c.category.code === code),
        (c) => c.physicalAt,
        3,
      );
      expect(peakFromH, code).toBeGreaterThanOrEqual(6);
      expect(peakFromH, code).toBeLessThan(24);
    }
    const recovery = cases.filter((c) => c.phase === 'recovery');
    expect(recovery.every((c) => c.physicalAt > LANDFALL)).toBe(true);
  });

  it('brings preparation tasks before landfall, more by day than by night', () => {
    const prep = cases.filter((c) => c.phase === 'preparation');
    expect(prep.length).toBeGreaterThan(1000);
    expect(prep.every((c) => c.physicalAt < LANDFALL)).toBe(true);
    const localHour = (t: number) => new Date(t + 8 * HOUR).getUTCHours();
    const night = prep.filter((c) => localHour(c.physicalAt) < 7).length / 7;
    const day = prep.filter((c) => localHour(c.physicalAt) >= 8 && localHour(c.physicalAt) < 20).length / 12;
    expect(day).toBeGreaterThan(2 * night);
  });

  it('makes fallen trees the bulk of the landfall, within the hours of strong wind', () => {
    const landfall = cases.filter((c) => c.phase === 'landfall');
    const trees = landfall.filter((c) => c.category.code === '04002' || c.category.code === '04003');
    expect(trees.length / landfall.length).toBeGreaterThan(0.5);
    const inStorm = landfall.filter((c) => Math.abs(c.physicalAt - LANDFALL) <= 8 * HOUR);
    expect(inStorm.length / landfall.length).toBeGreaterThan(0.95);
  });

  it('hits the dense island harder per square kilometre than rural Tong’an', () => {
    const area = (d: string) => model.cells.filter((c) => c.district === d).reduce((s, c) => s + c.areaM2, 0) / 1e6;
    const trees = (d: string) => cases.filter((c) => c.district === d && c.category.code === '04002').length / area(d);
    expect(trees('350203')).toBeGreaterThan(3 * trees('350212'));
  });

  it('reports each event minutes after it happened, phoned-in cases slower than sensors', () => {
    const cap = scenario.incidents.lagCapMinutes * 60_000;
    const late = cases.filter(
      (c) => c.reportedAt < c.physicalAt || c.reportedAt - c.physicalAt > cap || c.at !== c.reportedAt,
    );
    expect(late).toEqual([]);
    const meanLagMin = (source: string) => {
      const list = cases.filter((c) => c.source === source);
      return list.reduce((s, c) => s + c.reportedAt - c.physicalAt, 0) / list.length / 60_000;
    };
    expect(meanLagMin('hotline')).toBeGreaterThan(10);
    expect(meanLagMin('hotline')).toBeLessThan(40);
    expect(meanLagMin('iot')).toBeLessThan(5);
  });

  it('gives the same cases for the same seed and other cases for another seed', () => {
    const a = generateTyphoonCases(model, new Rng(2016), LANDFALL - HOUR, LANDFALL + HOUR);
    const b = generateTyphoonCases(model, new Rng(2016), LANDFALL - HOUR, LANDFALL + HOUR);
    const c = generateTyphoonCases(model, new Rng(2017), LANDFALL - HOUR, LANDFALL + HOUR);
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c.map((x) => x.id)).not.toEqual(a.map((x) => x.id));
    expect(a).toEqual(cases.filter((x) => x.reportedAt >= LANDFALL - HOUR && x.reportedAt < LANDFALL + HOUR));
  });

  it('gives the same cases minute by minute as all at once, whatever the stream’s position', () => {
    const rng = new Rng(2016);
    rng.float(); // a caller that already drew from its stream changes nothing
    const stepped: TyphoonCase[] = [];
    for (let t = LANDFALL - 30 * 60_000; t < LANDFALL + 30 * 60_000; t += 60_000)
      stepped.push(...generateTyphoonCases(model, rng, t, t + 60_000));
    expect(stepped).toEqual(
      cases.filter((x) => x.reportedAt >= LANDFALL - 30 * 60_000 && x.reportedAt < LANDFALL + 30 * 60_000),
    );
  });

  it('places each case inside its grid cell, with a unique id, an address and a category the city knows', () => {
    const cells = new Map(model.cells.map((c) => [c.id, c]));
    const misplaced = cases.filter((c) => {
      const cell = cells.get(c.grid);
      const atCentre = cell && c.position[0] === Math.round(cell.center[0] * 1e6) / 1e6; // a sliver's fallback
      return !cell || cell.district !== c.district || !(inCell(cell, c.position) || atCentre);
    });
    expect(misplaced).toEqual([]);
    expect(cases.filter((c) => !Id.safeParse(c.id).success)).toEqual([]);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.filter((c) => !config.categories.get(c.category.standard, c.category.code))).toEqual([]);
    expect(cases[0]!.address).toMatch(/区 .+ 附近$/);
  });

  it('turns each case into a case.report the hub accepts', () => {
    for (let i = 0; i < cases.length; i += 25) {
      const report = toCaseReport(cases[i]!);
      expect(CaseReport.parse(report)).toEqual(report);
    }
  });

  it('gives nothing outside the scenario window', () => {
    expect(generateTyphoonCases(model, new Rng(1), start - 10 * HOUR, start)).toEqual([]);
    expect(generateTyphoonCases(model, new Rng(1), end + 4 * HOUR, end + 10 * HOUR)).toEqual([]);
  });
});

describe(typhoonIncidentRate.name, () => {
  it('adds up over the cells to the city-wide rate', () => {
    const t = model.start + 162 * model.stepMs; // a step at 03:00 CST, next to landfall
    const sum = model.cells.reduce((s, c) => s + typhoonIncidentRate(model, t, c.id).perHour, 0);
    const city = cityIncidentRate(model, t);
    expect(sum).toBeCloseTo(city.preparation + city.landfall + city.recovery, 6);
  });

  it('has no landfall damage in a cell before the wind and grows with it', () => {
    const cell = model.cells.find((c) => c.district === '350203')!;
    const landfallRate = (t: number) =>
      typhoonIncidentRate(model, t, cell.id).byCategory.filter((x) => x.phase === 'landfall' && x.code === '04002')[0]!
        .perHour;
    expect(landfallRate(LANDFALL - 12 * HOUR)).toBe(0);
    expect(landfallRate(LANDFALL - 2 * HOUR)).toBeGreaterThan(0);
    expect(landfallRate(LANDFALL)).toBeGreaterThan(landfallRate(LANDFALL - 2 * HOUR));
    expect(typhoonIncidentRate(model, LANDFALL, 'no-such-cell').perHour).toBe(0);
  });
});

describe(roadSlowdown.name, () => {
  it('leaves the roads clear before the storm, blocks the island at landfall, and clears over the next day', () => {
    expect(roadSlowdown(model, start, island)).toBe(1);
    const atLandfall = roadSlowdown(model, LANDFALL, island);
    expect(atLandfall).toBeLessThan(0.5);
    expect(atLandfall).toBeGreaterThanOrEqual(scenario.incidents.roadSlowdown.minFactor);
    const later = [6, 12, 24, 40].map((h) => roadSlowdown(model, LANDFALL + h * HOUR, island));
    expect([...later].sort((a, b) => a - b)).toEqual(later);
    expect(later[2]!).toBeGreaterThan(0.7);
    expect(roadSlowdown(model, end + 72 * HOUR, island)).toBeGreaterThan(later[3]!);
  });

  it('slows traffic off the grid by the wind alone', () => {
    const sea: [number, number] = [118.35, 24.45];
    expect(roadSlowdown(model, LANDFALL - 30 * HOUR, sea)).toBe(1);
    expect(roadSlowdown(model, LANDFALL, sea)).toBeLessThan(1);
  });
});
