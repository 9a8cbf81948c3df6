import { describe, expect, it } from 'vitest';
import { FixBatch, haversineM, InputMessage, type CaseReport, type Fix } from '@egret/protocol';
import { inShape, locateDistrict } from '@egret/config';
import { createCityWorld } from './city-world.ts';
import type { Feed } from './feed.ts';
import { caseReported } from '../../test/log.ts';
import { UNIT_TYPES } from './roster.ts';
import type { StepOutput } from './world.ts';
import { config, geometry, HOUR, MIDNIGHT, normalDay, places } from '../../test/city.ts';

const TEN_AM = MIDNIGHT + 10 * HOUR;

function world(seed: number | string, totalUnits: number, start = TEN_AM) {
  return createCityWorld({ scenario: normalDay, config, geometry, places, seed, totalUnits, start });
}

const fixesOf = (out: StepOutput): Fix[] => out.fixBatches.flatMap((b) => FixBatch.parse(JSON.parse(b)).fixes);

describe(createCityWorld.name, () => {
  it('starts by registering every unit, on duty or off by shift, then fixes for those on duty', () => {
    const w = world(1, 240);
    const out = w.start(TEN_AM);
    const registers = out.events.map((e) => InputMessage.parse(e)).filter((e) => e.kind === 'unit.register');
    expect(registers).toHaveLength(240);
    const onDuty = registers.filter((e) => e.status === 'available').map((e) => e.unitId);
    expect(onDuty.length).toBeGreaterThan(100);
    expect(registers.some((e) => e.status === 'off_duty')).toBe(true);
    expect(
      fixesOf(out)
        .map((f) => f.unitId)
        .sort(),
    ).toEqual(onDuty.sort());
  });

  it('keeps units inside their district, moving at their type’s speed', () => {
    const w = world(2, 240);
    const r = w.roster;
    const index = new Map(r.id.map((id, i) => [id, i]));
    const last = new Map<string, Fix>();
    const speeds: number[][] = UNIT_TYPES.map(() => []);
    let checkedInside = 0;
    const outside: Fix[] = [];
    const tooFast: { unit: string; v: number }[] = [];
    w.start(TEN_AM);
    for (let k = 1; k <= 1800; k++) {
      for (const f of fixesOf(w.step(TEN_AM + k * 1000))) {
        const i = index.get(f.unitId)!;
        if (k % 10 === 0) {
          const shape = geometry.shapes.find((s) => s.code === r.district[i])!;
          if (!inShape(shape, [f.lon, f.lat])) outside.push(f);
          checkedInside++;
        }
        const prev = last.get(f.unitId);
        if (prev && f.at - prev.at === 1000) {
          const v = haversineM([prev.lon, prev.lat], [f.lon, f.lat]);
          const type = r.type[i]!;
          const nominal = normalDay.units.types[UNIT_TYPES[type]!].speedMps;
          // 6-decimal coordinates are ±0.06 m each: a slow walker's second can look a few per cent longer.
          if (v > nominal * (1 + normalDay.units.speedJitter) * 1.01 + 0.15) tooFast.push({ unit: f.unitId, v });
          if (v > 0.05) speeds[type]!.push(v);
        }
        last.set(f.unitId, f);
      }
    }
    expect(checkedInside).toBeGreaterThan(10_000);
    expect(outside).toEqual([]);
    expect(tooFast).toEqual([]);
    UNIT_TYPES.forEach((type, t) => {
      const v = speeds[t]!.sort((a, b) => a - b);
      expect({ type, moving: v.length > 100 }).toEqual({ type, moving: true });
      const median = v[Math.floor(v.length / 2)]!;
      const nominal = normalDay.units.types[type].speedMps;
      expect({ type, ratio: Math.abs(median / nominal - 1) < 0.1 }).toEqual({ type, ratio: true });
    });
  });

  it('over a simulated day brings the calibrated number of cases, by day more than by night, each in its district and walked through intake', () => {
    const w = world(3, 24, MIDNIGHT);
    w.start(MIDNIGHT);
    const reports: CaseReport[] = [];
    const seenSteps = new Map<string, string[]>();
    const statuses: string[] = [];
    for (let t = MIDNIGHT + 60_000; t <= MIDNIGHT + 24 * HOUR; t += 60_000) {
      for (const e of w.step(t).events) {
        InputMessage.parse(e);
        if (e.kind === 'case.report') reports.push(e);
        if (e.kind === 'case.transition') {
          expect(seenSteps.has(e.caseId)).toBe(true); // reported before any step
          seenSteps.get(e.caseId)!.push(e.to);
        }
        if (e.kind === 'case.report') seenSteps.set(e.caseId, []);
        if (e.kind === 'unit.status') statuses.push(e.status);
        expect(e.at).toBeLessThanOrEqual(t);
      }
    }
    expect(Math.abs(reports.length - normalDay.cases.perDay)).toBeLessThan(4 * Math.sqrt(normalDay.cases.perDay));
    const hour = (h: number) => reports.filter((c) => Math.floor((c.at - MIDNIGHT) / HOUR) === h).length;
    expect(hour(10)).toBeGreaterThan(6 * hour(3));
    expect(hour(19)).toBeGreaterThan(6 * hour(3));
    for (const c of reports) {
      expect(config.categories.get(c.category.standard, c.category.code)).toBeDefined();
      const district = locateDistrict(geometry.shapes, [c.lon, c.lat]);
      expect(district).toBeDefined();
      expect(c.address.startsWith(config.city.districts.find((d) => d.code === district)!.name.zh)).toBe(true);
    }
    const ended = [...seenSteps.values()].filter((s) => s.length > 0);
    expect(ended.filter((s) => s.at(-1) === 'filed').length / ended.length).toBeGreaterThan(0.9);
    expect(w.counters.reported).toBe(reports.length);
    expect(statuses).toContain('off_duty');
    expect(statuses).toContain('available');
  });

  it('gives the same output for the same seed and a different one for another seed', () => {
    const run = (seed: number) => {
      const w = world(seed, 60);
      const outs = [w.start(TEN_AM)];
      for (let k = 1; k <= 300; k++) outs.push(w.step(TEN_AM + k * 1000));
      return outs;
    };
    const a = run(5),
      b = run(5),
      c = run(6);
    expect(b).toEqual(a);
    expect(c.map((o) => o.fixBatches)).not.toEqual(a.map((o) => o.fixBatches));
  });

  it('sends what its feeds send, in time order, and takes their case reports through intake', () => {
    const feed: Feed = {
      name: 'test',
      start: (now) => [
        {
          kind: 'sensor.register',
          sensorId: 'S1',
          sensorKind: 'noise',
          name: '测试',
          district: '350203',
          lon: 118.1,
          lat: 24.47,
          unit: 'dB(A)',
          warning: 65,
          alarm: 70,
          at: now,
        },
      ],
      step: (from, to) => {
        const minute = Math.floor(to / 60_000) * 60_000;
        if (minute <= from) return { events: [], reports: [] };
        return {
          events: [{ kind: 'sensor.reading', sensorId: 'S1', value: 60, at: minute }],
          reports: [
            {
              kind: 'case.report',
              caseId: `FEED-${minute}`,
              category: { standard: 'GB/T 47678.5-2026', code: '04002' },
              source: 'hotline',
              urgency: 'urgent',
              lon: 118.1,
              lat: 24.47,
              address: '',
              at: minute,
            },
          ],
        };
      },
    };
    const quiet = { ...normalDay, cases: { ...normalDay.cases, perDay: 0 } };
    const w = createCityWorld({
      scenario: quiet,
      config,
      geometry,
      places,
      seed: 1,
      totalUnits: 24,
      start: TEN_AM,
      feeds: [feed],
    });
    expect(w.start(TEN_AM).events.filter((e) => e.kind === 'sensor.register')).toHaveLength(1);
    const events = [];
    for (let t = TEN_AM + 10_000; t <= TEN_AM + 2 * HOUR; t += 10_000) {
      const out = w.step(t).events;
      const ats = out.map((e) => e.at);
      expect(ats).toEqual([...ats].sort((a, b) => a - b));
      events.push(...out);
    }
    expect(events.filter((e) => e.kind === 'sensor.reading')).toHaveLength(120);
    const reports = events.filter((e) => e.kind === 'case.report');
    expect(reports).toHaveLength(120);
    const filed = events.filter(
      (e) => e.kind === 'case.transition' && e.to === 'filed' && e.caseId.startsWith('FEED-'),
    );
    expect(filed.length).toBeGreaterThan(90);
    expect(w.counters.reported).toBe(120);
    expect(w.counters.feeds).toEqual({ 'sensor.register': 1, 'sensor.reading': 120, 'case.report': 120 });
  });

  it('moves units by its speed factor: at 0 nobody gets anywhere', () => {
    const w = createCityWorld({
      scenario: normalDay,
      config,
      geometry,
      places,
      seed: 2,
      totalUnits: 60,
      start: TEN_AM,
      speedFactor: () => 0,
    });
    const first = new Map(fixesOf(w.start(TEN_AM)).map((f) => [f.unitId, [f.lon, f.lat]]));
    let moved = 0;
    for (let k = 1; k <= 600; k++) {
      for (const f of fixesOf(w.step(TEN_AM + k * 1000))) {
        const p = first.get(f.unitId);
        if (p && (p[0] !== f.lon || p[1] !== f.lat)) moved++;
      }
    }
    expect(moved).toBe(0);
  });

  it('accepts and files the cases the hub raised from sensor alarms, seen in its log', () => {
    const quiet = {
      ...normalDay,
      cases: { ...normalDay.cases, perDay: 0 },
      intake: { ...normalDay.intake, rejectShare: { default: 0 } },
    };
    const w = createCityWorld({ scenario: quiet, config, geometry, places, seed: 1, totalUnits: 24, start: TEN_AM });
    w.start(TEN_AM);
    w.observe!([
      caseReported('IOT-NOISE-350211-07-1', 'iot', { role: 'system', id: 'sensor:NOISE-350211-07' }, TEN_AM - 5_000),
    ]);
    const steps = [];
    for (let t = TEN_AM + 10_000; t <= TEN_AM + 2 * HOUR; t += 10_000) steps.push(...w.step(t).events);
    const transitions = steps.filter((e) => e.kind === 'case.transition');
    expect(transitions.map((e) => e.kind === 'case.transition' && [e.caseId, e.to])).toEqual([
      ['IOT-NOISE-350211-07-1', 'accepted'],
      ['IOT-NOISE-350211-07-1', 'filed'],
    ]);
    expect(transitions[0]!.at).toBeGreaterThan(TEN_AM);
  });
});
