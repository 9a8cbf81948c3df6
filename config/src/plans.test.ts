import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionsAt, manualName, type PlanDef } from '@egret/protocol';
import { CONFIG_DIR, ConfigError, loadConfig } from './load.ts';
import { citySquads } from './plans.ts';

const root = mkdtempSync(join(tmpdir(), 'egret-plans-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A scratch copy of the config (without any plans or point sets of the checkout) with the files given. */
function scratch(files: Record<string, unknown>): string {
  const dir = join(root, `c${n++}`, 'config');
  cpSync(CONFIG_DIR, dir, {
    recursive: true,
    filter: (src) => !/[\\/](plans|points|src|node_modules)$/.test(src),
  });
  // The checkout's settings widen jurisdiction for its own plans (jurisdiction.plans), which a scratch config
  // without them would rightly refuse: keep the rule, without that widening.
  const settingsFile = join(dir, 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { jurisdiction?: { plans?: unknown } };
  if (settings.jurisdiction) delete settings.jurisdiction.plans;
  writeFileSync(settingsFile, JSON.stringify(settings));
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(data));
  }
  return dir;
}

const sites = {
  set: 'test-sites',
  kind: 'construction_site',
  note: 'test fixture',
  points: [
    {
      id: 'CS-1',
      kind: 'construction_site',
      name: '工地一',
      position: [118.1, 24.48],
      district: '350206',
      approximate: true,
    },
    {
      id: 'CS-2',
      kind: 'construction_site',
      name: '工地二',
      position: [118.09, 24.46],
      district: '350203',
      grid: '350203000000001',
      approximate: true,
    },
  ],
};

const plan = (over: Partial<PlanDef> = {}): PlanDef => ({
  id: 'test-env',
  name: '环保督察预案',
  campaign: 'environmental',
  mode: 'environmental',
  version: '2026-test',
  levels: [
    {
      level: 'IV',
      name: 'Ⅳ级',
      triggers: [{ kind: 'sensor', sensorKind: 'dust', level: 'alarm', count: 3 }],
      actions: [
        {
          kind: 'round',
          id: 'site-round',
          name: '工地巡查',
          pointSet: 'test-sites',
          dueMinutes: 240,
          repeatMinutes: 1440,
          problem: { categoryCode: '08004', urgency: 'urgent', deadlineHours: 24 },
        },
      ],
    },
    {
      level: 'III',
      name: 'Ⅲ级',
      triggers: [],
      actions: [
        {
          kind: 'preposition',
          id: 'pre',
          name: '前置',
          targets: [{ pointId: 'CS-1', units: 2, squadId: 'SQ-350206-01' }],
          dueMinutes: 60,
        },
        {
          kind: 'deadlines',
          id: 'tight',
          name: '时限',
          categories: [{ code: '08', hours: 12 }],
          superviseOverdue: true,
        },
      ],
    },
  ],
  ...over,
});

describe('loadConfig: plans and point sets (issue #17)', () => {
  it('loads a plan and its point set, filling a point’s grid from the city’s grids when the file gives none', () => {
    const cfg = loadConfig({
      dir: scratch({ 'plans/test-env.json': plan(), 'cities/xiamen/points/test-sites.json': sites }),
    });
    expect(cfg.plans.map((p) => p.id)).toEqual(['test-env']);
    const points = cfg.pointSets.get('test-sites')!;
    expect(points[0]!.grid).toMatch(/^350206\d{6}001$/);
    expect(points[1]!.grid).toBe('350203000000001');
    expect(actionsAt(cfg.plans[0]!, 'III').map((a) => a.id)).toEqual(['site-round', 'pre', 'tight']);
  });

  it('loads none when there are no plan files', () => {
    const cfg = loadConfig({ dir: scratch({}) });
    expect(cfg.plans).toEqual([]);
    expect(cfg.pointSets.size).toBe(0);
  });

  it('names file, field and expectation for each cross-check that fails', () => {
    const bad = plan({ mode: 'typhoon' });
    const round = bad.levels[0]!.actions[0]! as Extract<PlanDef['levels'][0]['actions'][0], { kind: 'round' }>;
    round.pointSet = 'nowhere';
    round.problem.categoryCode = '99999';
    const pre = bad.levels[1]!.actions[0]! as Extract<PlanDef['levels'][0]['actions'][0], { kind: 'preposition' }>;
    pre.targets = [{ pointId: 'NOPE', units: 1, squadId: 'SQ-350206-09' }];
    bad.levels[1]!.triggers = [{ kind: 'event_window', eventId: 'no-such-event', beforeMinutes: 60 }];
    const badSites = {
      ...sites,
      points: [
        { ...sites.points[0], district: '999999' },
        { ...sites.points[1], id: 'CS-1', position: [120.5, 24.4] },
      ],
    };
    const load = () =>
      loadConfig({ dir: scratch({ 'plans/other-name.json': bad, 'cities/xiamen/points/test-sites.json': badSites }) });
    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    for (const line of [
      "config/plans/other-name.json: id must be the file's name (other-name), got test-env",
      'config/plans/other-name.json: mode must be environmental for campaign environmental, got typhoon',
      'levels[0].actions[0].pointSet nowhere has no file',
      'levels[0].actions[0].problem.categoryCode 99999 is not in config/categories.json',
      'levels[1].actions[0].targets[0].pointId NOPE is not a point of any point set',
      'levels[1].actions[0].targets[0].squadId SQ-350206-09 is not a squad of city.json',
      'levels[1].triggers[0].eventId no-such-event is not an event of events.json',
      'config/cities/xiamen/points/test-sites.json: points[0].district 999999 is not a district of city.json',
      'points[1].id CS-1 is also a point of test-sites',
      "points[1].position [120.5, 24.4] is outside the city's bbox",
    ])
      expect(message).toContain(line);
  });

  it('refuses a plan of the wrong shape with the schema’s path, and a deadline prefix that matches no category', () => {
    const shape = () =>
      loadConfig({
        dir: scratch({ 'plans/test-env.json': { ...plan(), levels: [{ level: 'V', name: 'x' }] } }),
      });
    expect(shape).toThrow(/config\/plans\/test-env\.json: levels\[0\]\.level/);
    const p = plan();
    (p.levels[1]!.actions[1] as { categories: { code: string; hours: number }[] }).categories = [
      { code: '77', hours: 2 },
    ];
    expect(() =>
      loadConfig({ dir: scratch({ 'plans/test-env.json': p, 'cities/xiamen/points/test-sites.json': sites }) }),
    ).toThrow(/levels\[1\]\.actions\[1\]\.categories\[0\]\.code 77 is neither a code/);
  });

  it('loads a plan without English names (an English screen shows the manual’s), and refuses a blank or too long one', () => {
    const files = (p: PlanDef) => ({ 'plans/test-env.json': p, 'cities/xiamen/points/test-sites.json': sites });
    const loaded = loadConfig({ dir: scratch(files(plan())) }).plans[0]!;
    expect(manualName(loaded, 'en')).toBe('环保督察预案');
    expect(manualName(loaded.levels[0]!.actions[0]!, 'en')).toBe('工地巡查');
    expect(() => loadConfig({ dir: scratch(files(plan({ nameEn: 'x'.repeat(121) }))) })).toThrow(
      /config\/plans\/test-env\.json: nameEn .*120/,
    );
    // Blank: an English screen would show a plan (or level) with no name at all.
    const blank = plan();
    blank.levels[0]!.nameEn = '   ';
    expect(() => loadConfig({ dir: scratch(files(blank)) })).toThrow(
      /config\/plans\/test-env\.json: levels\[0\]\.nameEn/,
    );
  });

  it('knows the city’s squads as the simulator’s roster names them', () => {
    const squads = citySquads(loadConfig({ dir: scratch({}) }).city);
    expect(squads.get('350203')).toEqual(['SQ-350203-01', 'SQ-350203-02', 'SQ-350203-03', 'SQ-350203-04']);
  });
});
