import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionsAt,
  InspectionPoint,
  manualName,
  PlanDef,
  PointKind,
  type PlanAction,
  type PointKind as PointKindT,
} from '@egret/protocol';
import { districtShapes, inShape } from './geometry.ts';
import { gridCells, gridIdAt, gridSpec } from './grids.ts';
import { CONFIG_DIR, loadConfig } from './load.ts';

/**
 * The command manual's real data (issue #17): Xiamen's point sets and the four plans, checked against the city's
 * own outlines, grids, squads, categories and events — what a loader cannot know is right (a point in the sea, a
 * plan missing a level, a typhoon plan whose levels are not the signal's colours).
 */
// The loader (config/src/plans.ts) validates every file against the protocol's schemas and cross-checks them.
const config = loadConfig();
const shapes = new Map(districtShapes(config.boundaries).map((s) => [s.code, s]));
const spec = gridSpec(config.city.bbox);
const cellIds = new Set(gridCells([...shapes.values()], spec).map((c) => c.id));
const pointDir = join(CONFIG_DIR, 'cities', 'xiamen', 'points');
const planDir = join(CONFIG_DIR, 'plans');
const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

interface SetFile {
  set: string;
  kind: PointKindT;
  note: string;
  points: InspectionPoint[];
}
const sets = new Map<string, SetFile>(
  readdirSync(pointDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const name = f.replace(/\.json$/, '');
      const raw = json(join(pointDir, f)) as SetFile;
      return [name, { ...raw, points: config.pointSets.get(name) ?? [] }];
    }),
);
const plans = new Map<string, PlanDef>(
  readdirSync(planDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const name = f.replace(/\.json$/, '');
      return [name, config.plans.find((p) => p.id === name) ?? PlanDef.parse(json(join(planDir, f)))];
    }),
);
const allPoints = new Map([...sets.values()].flatMap((s) => s.points.map((p) => [p.id, p] as const)));
const squads = new Set(
  config.city.districts.flatMap((d) =>
    Array.from({ length: d.squads }, (_, k) => `SQ-${d.code}-${String(k + 1).padStart(2, '0')}`),
  ),
);
const codes = new Set(config.categories.entries.filter((c) => c.standard !== 'GB/T 30428').map((c) => c.code));

describe('config/cities/xiamen/points', () => {
  it('holds every set the plans walk, each of one kind, named after its file, with a note on where positions come from', () => {
    expect([...sets.keys()].sort()).toEqual([
      'assessment-points',
      'billboards',
      'construction-sites',
      'event-posts',
      'ponding-points',
      'restaurants',
      'street-trees',
      'typhoon-posts',
    ]);
    for (const [name, s] of sets) {
      expect(s.set).toBe(name);
      expect(s.points.length, name).toBeGreaterThan(0);
      expect(s.points.every((p) => InspectionPoint.safeParse(p).success)).toBe(true);
      expect(PointKind.safeParse(s.kind).success).toBe(true);
      expect(s.note.length).toBeGreaterThan(40);
      expect(s.points.every((p) => p.kind === s.kind)).toBe(true);
    }
  });

  it('has the sizes of the city: ~150 assessment points, 600+ construction sites, ~300 billboards and tree sections, ~40 ponding points, ~200 restaurants', () => {
    const size = (s: string) => sets.get(s)!.points.length;
    expect(size('assessment-points')).toBeGreaterThanOrEqual(140);
    expect(size('assessment-points')).toBeLessThanOrEqual(170);
    expect(size('construction-sites')).toBeGreaterThanOrEqual(600);
    expect(size('billboards')).toBeGreaterThanOrEqual(280);
    expect(size('street-trees')).toBeGreaterThanOrEqual(280);
    expect(size('ponding-points')).toBeGreaterThanOrEqual(35);
    expect(size('ponding-points')).toBeLessThanOrEqual(50);
    expect(size('restaurants')).toBeGreaterThanOrEqual(180);
    expect(size('typhoon-posts')).toBeGreaterThanOrEqual(12);
    expect(size('event-posts')).toBeGreaterThanOrEqual(6);
  });

  it('gives every point an id of its own across all sets', () => {
    const ids = [...sets.values()].flatMap((s) => s.points.map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(allPoints.size).toBe(ids.length);
  });

  it('puts every point on land inside its own district, in the unit grid it names, and marks it approximate', () => {
    const off: string[] = [];
    for (const p of allPoints.values()) {
      const shape = shapes.get(p.district);
      if (!shape || !inShape(shape, p.position)) off.push(`${p.id} outside ${p.district}`);
      if (p.grid !== gridIdAt(spec, p.district, p.position)) off.push(`${p.id} grid ${p.grid}`);
      if (!p.grid || !cellIds.has(p.grid)) off.push(`${p.id} grid ${p.grid} is no cell of the district`);
      if (!p.approximate) off.push(`${p.id} claims a survey`);
    }
    expect(off).toEqual([]);
  });

  it('covers all six districts in the sets walked city-wide, and names the places the assessment is known for', () => {
    for (const s of ['assessment-points', 'construction-sites', 'billboards', 'street-trees', 'ponding-points']) {
      expect(new Set(sets.get(s)!.points.map((p) => p.district))).toEqual(
        new Set(config.city.districts.map((d) => d.code)),
      );
    }
    const names = sets.get('assessment-points')!.points.map((p) => p.name);
    for (const known of ['八市', '中山路', '厦门站', '沙坡尾', '集美学村'])
      expect(names.some((n) => n.includes(known))).toBe(true);
    expect(sets.get('assessment-points')!.points.every((p) => p.site !== undefined)).toBe(true);
  });

  it('keeps the major event’s posts where events.json puts the Straits Forum’s posts (within 100 m)', () => {
    const forum = config.events.find((e) => e.id === 'straits-forum')!;
    for (const post of forum.posts) {
      const p = allPoints.get(`EP-${post.id}`)!;
      expect(p, post.id).toBeDefined();
      const dx = (p.position[0] - post.position[0]) * 111_320 * Math.cos((p.position[1] * Math.PI) / 180);
      const dy = (p.position[1] - post.position[1]) * 110_800;
      expect(Math.hypot(dx, dy)).toBeLessThan(100);
    }
  });
});

describe('config/plans', () => {
  it('holds the four campaigns’ plans, each named after its file, in its campaign’s mode, all loaded by loadConfig', () => {
    expect(config.plans.map((p) => p.id).sort()).toEqual([...plans.keys()].sort());
    expect([...plans.keys()].sort()).toEqual(['civilised-city', 'environmental-inspection', 'major-event', 'typhoon']);
    for (const [name, p] of plans) {
      expect(p.id).toBe(name);
      expect(p.mode).toBe(p.campaign);
      expect(new Set(p.levels.map((l) => l.level)).size).toBe(p.levels.length);
    }
    expect(new Set([...plans.values()].map((p) => p.campaign))).toEqual(
      new Set(['civilised_city', 'environmental', 'typhoon', 'major_event']),
    );
  });

  it('names every plan, level and action in English too, for the English console (no name left Chinese there)', () => {
    const cjk = /[\u3000-\u9fff\uff00-\uffef]/;
    for (const plan of plans.values())
      for (const named of [plan, ...plan.levels, ...plan.levels.flatMap((l) => l.actions)]) {
        expect(named.nameEn, `${plan.id}: ${named.name}`).toBeTruthy();
        expect(manualName(named, 'en'), named.name).not.toMatch(cjk);
        expect(manualName(named, 'zh')).toBe(named.name);
      }
  });

  it('refers only to point sets, points, squads, categories and events that exist', () => {
    const bad: string[] = [];
    for (const plan of plans.values())
      for (const level of plan.levels) {
        const at = `${plan.id} ${level.level}`;
        for (const t of level.triggers)
          if (t.kind === 'event_window' && !config.events.some((e) => e.id === t.eventId))
            bad.push(`${at} event ${t.eventId}`);
        for (const a of level.actions) {
          if (a.kind === 'round') {
            if (!sets.has(a.pointSet)) bad.push(`${at} ${a.id} set ${a.pointSet}`);
            if (!codes.has(a.problem.categoryCode)) bad.push(`${at} ${a.id} category ${a.problem.categoryCode}`);
          }
          if (a.kind === 'preposition')
            for (const t of a.targets) {
              if (allPoints.get(t.pointId)?.kind !== 'post') bad.push(`${at} ${a.id} post ${t.pointId}`);
              if (t.squadId !== undefined && !squads.has(t.squadId)) bad.push(`${at} ${a.id} squad ${t.squadId}`);
            }
          if (a.kind === 'deadlines')
            for (const c of a.categories) if (!codes.has(c.code)) bad.push(`${at} ${a.id} category ${c.code}`);
        }
      }
    expect(bad).toEqual([]);
  });

  it('gives an action id one kind across levels, and a higher level tighter or equal deadlines and more staff', () => {
    for (const plan of plans.values()) {
      const kinds = new Map<string, string>();
      for (const l of plan.levels)
        for (const a of l.actions) {
          expect(kinds.get(a.id) ?? a.kind, `${plan.id} ${a.id}`).toBe(a.kind);
          kinds.set(a.id, a.kind);
        }
      const byRank = [...plan.levels].map((l) => actionsAt(plan, l.level));
      const staffing = (as: PlanAction[]) => as.find((a) => a.kind === 'staffing');
      for (let i = 1; i < byRank.length; i++) {
        const lo = staffing(byRank[i - 1]!),
          hi = staffing(byRank[i]!);
        if (lo?.kind === 'staffing' && hi?.kind === 'staffing')
          expect(hi.onDutyShare, plan.id).toBeGreaterThanOrEqual(lo.onDutyShare);
      }
    }
  });

  it('runs the civilised-city assessment as daily rounds over the assessment points, with 督办 of 市容 categories from Ⅲ', () => {
    const plan = plans.get('civilised-city')!;
    const round = actionsAt(plan, 'IV').find((a) => a.kind === 'round');
    expect(round?.kind === 'round' && round.pointSet).toBe('assessment-points');
    expect(round?.kind === 'round' && round.repeatMinutes).toBe(1440);
    const dl = actionsAt(plan, 'III').find((a) => a.kind === 'deadlines');
    expect(dl?.kind === 'deadlines' && dl.superviseOverdue).toBe(true);
    expect(dl?.kind === 'deadlines' && dl.categories.map((c) => c.code)).toContain('09006');
  });

  it('has the environmental inspection walk construction sites and restaurants, raised by dust sensors in alarm', () => {
    const plan = plans.get('environmental-inspection')!;
    const sets = actionsAt(plan, 'III').flatMap((a) => (a.kind === 'round' ? [a.pointSet] : []));
    expect(sets.sort()).toEqual(['construction-sites', 'restaurants']);
    expect(plan.levels.flatMap((l) => l.triggers).some((t) => t.kind === 'sensor' && t.sensorKind === 'dust')).toBe(
      true,
    );
    const codesAtII = actionsAt(plan, 'II').flatMap((a) => (a.kind === 'deadlines' ? a.categories : []));
    expect(codesAtII.map((c) => c.code)).toEqual(expect.arrayContaining(['08004', '08001', '06027', '08011']));
  });

  it('raises the typhoon plan one level per signal colour, with billboard and tree rounds at orange and the ponding watch at red', () => {
    const plan = plans.get('typhoon')!;
    const signal = (lv: string) =>
      plan.levels.find((l) => l.level === lv)!.triggers.find((t) => t.kind === 'typhoon_signal');
    expect(['IV', 'III', 'II', 'I'].map((l) => signal(l)?.kind === 'typhoon_signal' && signal(l)!.atLeast)).toEqual([
      'blue',
      'yellow',
      'orange',
      'red',
    ]);
    const roundsAt = (lv: 'II' | 'I') => actionsAt(plan, lv).flatMap((a) => (a.kind === 'round' ? [a.pointSet] : []));
    expect(roundsAt('II').sort()).toEqual(['billboards', 'street-trees']);
    expect(roundsAt('I').sort()).toEqual(['billboards', 'ponding-points', 'street-trees']);
    const staffI = actionsAt(plan, 'I').find((a) => a.kind === 'staffing');
    expect(staffI?.kind === 'staffing' && [staffI.onDutyShare, staffI.leaveCancelled]).toEqual([1, true]);
    // The landfall coast (翔安) is pre-positioned first, at yellow.
    const coast = actionsAt(plan, 'III').find((a) => a.kind === 'preposition');
    expect(
      coast?.kind === 'preposition' && coast.targets.filter((t) => t.pointId.startsWith('TP-350213')).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('staffs the Straits Forum’s posts when its window opens', () => {
    const plan = plans.get('major-event')!;
    const posts = actionsAt(plan, 'II').find((a) => a.kind === 'preposition');
    expect(posts?.kind === 'preposition' && posts.targets.map((t) => t.pointId)).toEqual(
      expect.arrayContaining(config.events[0]!.posts.map((p) => `EP-${p.id}`)),
    );
    expect(plan.levels.every((l) => l.triggers.every((t) => t.kind === 'event_window'))).toBe(true);
  });
});
