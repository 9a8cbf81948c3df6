import { describe, expect, it } from 'vitest';
import { InputMessage } from '@egret/protocol';
import { locateDistrict } from '@egret/config';
import { Rng } from '../rng.ts';
import { CaseMaker, caseIdSerial, type MadeCase } from './case-maker.ts';
import { config, EIGHT_HOURS, geometry, MIDNIGHT, normalDay, places } from '../../test/city.ts';

function maker(lastSerials?: Map<string, number>) {
  return new CaseMaker({
    cases: normalDay.cases,
    categories: config.categories,
    districts: config.city.districts,
    shapes: geometry.shapes,
    places: places.districts,
    lattice: geometry.lattice,
    offsetMs: EIGHT_HOURS,
    ...(lastSerials ? { lastSerials } : {}),
  });
}

describe(CaseMaker.name, () => {
  const rng = new Rng(9);
  const m = maker();
  const day: MadeCase[] = Array.from({ length: 3190 }, (_, i) =>
    m.make(MIDNIGHT + Math.floor((i * 86_400_000) / 3190), rng),
  );

  it('makes reports the protocol accepts, with category codes from the dictionary', () => {
    for (const c of day) {
      InputMessage.parse(c.report);
      expect(config.categories.get(c.report.category.standard, c.report.category.code)).toBeDefined();
    }
  });

  it('puts every case inside its own district, with an address naming the district', () => {
    for (const c of day) {
      expect(locateDistrict(geometry.shapes, [c.report.lon, c.report.lat])).toBe(c.district);
      const name = config.city.districts.find((d) => d.code === c.district)!.name.zh;
      expect(c.report.address.startsWith(name)).toBe(true);
    }
    expect(day.filter((c) => c.report.address.endsWith('附近')).length / day.length).toBeGreaterThan(0.95);
  });

  it('spreads cases over districts by population', () => {
    const share = (code: string) => day.filter((c) => c.district === code).length / day.length;
    expect(share('350203')).toBeGreaterThan(share('350205')); // 思明 1.07 M vs 海沧 0.58 M
    expect(share('350203')).toBeGreaterThan(0.15);
  });

  it('is dominated by e-bike parking and street vending, with a small share of legacy codes', () => {
    const count = (codes: string[]) => day.filter((c) => codes.includes(c.report.category.code)).length / day.length;
    expect(count(['09010', '09011'])).toBeGreaterThan(0.3);
    expect(count(['09001', '09006', '09005', '0501', '0502'])).toBeGreaterThan(0.18);
    const legacy = day.filter((c) => c.report.category.standard === 'GB/T 30428').length / day.length;
    expect(legacy).toBeGreaterThan(0.01);
    expect(legacy).toBeLessThan(0.08);
  });

  it('mixes sources, and video AI reports only what its models see', () => {
    const bySource = new Map<string, number>();
    for (const c of day) bySource.set(c.report.source, (bySource.get(c.report.source) ?? 0) + 1);
    for (const s of ['patrol', 'hotline', 'video_ai', 'officer', 'case_system'])
      expect(bySource.get(s) ?? 0).toBeGreaterThan(50);
    const aiCodes = new Set(normalDay.cases.sources.find((s) => s.source === 'video_ai')!.only);
    for (const c of day.filter((c) => c.report.source === 'video_ai'))
      expect(aiCodes.has(c.report.category.code)).toBe(true);
    const noise = day.filter((c) => c.report.category.code === '06028' || c.report.category.code === '08001');
    expect(noise.filter((c) => c.report.source === 'hotline').length).toBeGreaterThan(noise.length / 2);
  });

  it('is mostly of normal urgency', () => {
    expect(day.filter((c) => c.report.urgency === 'normal').length / day.length).toBeGreaterThan(0.85);
  });

  it('numbers cases per source and local day in the source’s own format', () => {
    const hotline = day.filter((c) => c.report.source === 'hotline').map((c) => c.report.caseId);
    expect(hotline[0]).toBe('12345-20261122-000001');
    expect(hotline[1]).toBe('12345-20261122-000002');
    for (const c of day) expect(c.report.caseId).toMatch(/^(SZCG|ZF|12345|AI|IOT|UAV|JB|SSP)-20261122-\d{6}$/);
    expect(new Set(day.map((c) => c.report.caseId)).size).toBe(day.length);
  });

  it('continues the numbering after the last serial a previous run used', () => {
    const next = maker(new Map([['12345-20261122', 137]]));
    const rng2 = new Rng(1);
    let id: string | undefined;
    for (let i = 0; i < 200 && !id; i++) {
      const c = next.make(MIDNIGHT + 3_600_000, rng2);
      if (c.report.source === 'hotline') id = c.report.caseId;
    }
    expect(id).toBe('12345-20261122-000138');
    expect(caseIdSerial('12345-20261122-000138')).toEqual(['12345-20261122', 138]);
    expect(caseIdSerial('T-1')).toBeUndefined();
  });
});
