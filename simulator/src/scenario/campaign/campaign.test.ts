import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputMessage, type CaseReport } from '@egret/protocol';
import { inShape } from '@egret/config';
import { Rng } from '../../rng.ts';
import { config, geometry, HOUR, MIDNIGHT } from '../../../test/city.ts';
import { campaignCaseModel, createCampaignCaseFeed, generateCampaignCases } from './campaign-cases.ts';
import { loadCampaignScenario } from './campaign-config.ts';
import { createSiteSensorFeed, dustAt, noiseAt, siteMonitors } from './site-sensors.ts';
import { tempDir } from '../../../../test/temp-dir.ts';

const OFFSET = 8 * HOUR;
const shapes = new Map(geometry.shapes.map((s) => [s.code, s]));
const modelOf = (name: string) => {
  const file = loadCampaignScenario({ name, config, categories: config.categories });
  return {
    file,
    model: campaignCaseModel({
      cases: file.cases,
      handedDown: file.handedDown,
      categories: config.categories,
      pointSets: config.pointSets,
      offsetMs: OFFSET,
      districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
      inDistrict: (d, lon, lat) => inShape(shapes.get(d)!, [lon, lat]),
    }),
  };
};

describe(loadCampaignScenario.name, () => {
  it('reads both campaigns with a plan and a level of the manual', () => {
    expect(loadCampaignScenario({ name: 'civilised-city', config }).plan).toMatchObject({
      id: 'civilised-city',
      level: 'III',
    });
    expect(loadCampaignScenario({ name: 'environmental-inspection', config }).plan.id).toBe('environmental-inspection');
  });

  it('names the file and the field when the plan, a point set or a category is not the city’s', () => {
    const dir = tempDir('egret-campaign-');
    cpSync(join(config.dir, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
    const file = join(dir, 'scenarios', 'civilised-city.json');
    const s = JSON.parse(readFileSync(file, 'utf8'));
    s.plan.id = 'no-such-plan';
    s.cases.categories[0].near = 'no-such-set';
    s.cases.categories[1].code = '99999';
    writeFileSync(file, JSON.stringify(s));
    const load = () => loadCampaignScenario({ name: 'civilised-city', config, dir, categories: config.categories });
    expect(load).toThrow(/civilised-city\.json: plan\.id no-such-plan is not a plan of config\/plans/);
    expect(load).toThrow(/cases\.categories\.0\.near no-such-set is not a point set/);
    expect(load).toThrow(/cases\.categories\.1\.code GB\/T 47678\.5-2026 99999 is not in config\/categories\.json/);
    s.plan = { id: 'civilised-city', level: 'I', reason: 'x' };
    writeFileSync(file, JSON.stringify(s));
    expect(load).toThrow(/plan\.level I is not a level of plan civilised-city/);
  });
});

describe(generateCampaignCases.name, () => {
  const { model, file } = modelOf('environmental-inspection');
  const day = generateCampaignCases(model, new Rng('env'), MIDNIGHT, MIDNIGHT + 24 * HOUR);

  it('reports about the campaign’s daily volume, each a valid report on land in the district of its point', () => {
    const own = day.filter((c) => c.caseId.startsWith('HBDC-'));
    expect(own.length).toBeGreaterThan(file.cases.perHour * 24 * 0.75);
    expect(own.length).toBeLessThan(file.cases.perHour * 24 * 1.25);
    for (const c of day) {
      expect(InputMessage.parse(c)).toEqual(c);
      expect([...shapes.values()].some((s) => inShape(s, [c.lon, c.lat]))).toBe(true);
    }
    expect(new Set(day.map((c) => c.caseId)).size).toBe(day.length);
  });

  it('has the inspectors hand down urgent cases from a superior source within their hours', () => {
    const handed = day.filter((c) => c.source === 'superior');
    expect(handed.length).toBeGreaterThan(2);
    expect(handed.length).toBeLessThan(25);
    for (const c of handed) {
      expect(c.caseId).toMatch(/^DCJB-/);
      expect(c.urgency).toBe('urgent');
      expect(c.description).toContain('督察交办件');
      const hour = new Date(c.at + OFFSET).getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(21);
    }
  });

  it('gathers construction reports at the sites and fume reports at the restaurants', () => {
    const near = (c: CaseReport, set: string) =>
      config.pointSets
        .get(set)!
        .some((p) => Math.hypot((p.position[0] - c.lon) * 101_000, (p.position[1] - c.lat) * 110_800) < 250);
    for (const c of day.filter((x) => x.category.code.startsWith('08')))
      expect(near(c, 'construction-sites')).toBe(true);
    for (const c of day.filter((x) => x.category.code === '06027')) expect(near(c, 'restaurants')).toBe(true);
  });

  it('gives the same cases however time is sliced', () => {
    const feed = createCampaignCaseFeed(model, new Rng('env'));
    feed.start(MIDNIGHT - 1);
    const sliced: CaseReport[] = [];
    for (let t = MIDNIGHT - 1; t < MIDNIGHT + 24 * HOUR - 1; t += 7 * 60_000 + 13)
      sliced.push(...feed.step(t, Math.min(t + 7 * 60_000 + 13, MIDNIGHT + 24 * HOUR - 1)).reports);
    expect(sliced.map((c) => c.caseId)).toEqual(day.map((c) => c.caseId));
  });
});

describe(createSiteSensorFeed.name, () => {
  const { file } = modelOf('environmental-inspection');
  const profile = file.siteSensors!;
  const monitors = siteMonitors(config.pointSets.get('construction-sites')!, profile);

  it('registers a dust and a noise monitor at one construction site in ten, with the profile’s thresholds', () => {
    const feed = createSiteSensorFeed({ monitors, profile, seed: '1', offsetMs: OFFSET });
    const reg = feed.start(MIDNIGHT).map((e) => InputMessage.parse(e));
    expect(monitors.length).toBe(62);
    expect(reg.filter((e) => e.kind === 'sensor.register' && e.sensorKind === 'dust')).toHaveLength(62);
    expect(reg.filter((e) => e.kind === 'sensor.register' && e.sensorKind === 'noise')).toHaveLength(62);
    const out = feed.step(MIDNIGHT, MIDNIGHT + HOUR);
    expect(out.events).toHaveLength(12 * 62 * 2);
  });

  it('puts a few dusty sites over the dust alarm at midday and none at night; night-time work over the noise alarm only at night', () => {
    const at = (h: number) => MIDNIGHT + h * HOUR;
    const dustAlarms = (t: number) =>
      monitors.filter((m) => dustAt('1', m.site.id, profile, OFFSET, t) >= profile.dust.alarm).length;
    expect(dustAlarms(at(13))).toBeGreaterThanOrEqual(3);
    expect(dustAlarms(at(13))).toBeLessThan(20);
    expect(dustAlarms(at(3))).toBe(0);
    const noiseAlarms = (t: number) =>
      monitors.filter((m) => noiseAt('1', m.site.id, profile, OFFSET, t) >= profile.noise.alarm).length;
    expect(noiseAlarms(at(23))).toBeGreaterThanOrEqual(1);
    expect(noiseAlarms(at(4))).toBe(0);
    expect(noiseAt('1', monitors[0]!.site.id, profile, OFFSET, at(23))).toBe(
      noiseAt('1', monitors[0]!.site.id, profile, OFFSET, at(23)),
    );
  });
});
