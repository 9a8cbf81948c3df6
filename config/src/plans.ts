import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { InspectionPoint, PlanDef, PointKind, type Campaign, type Mode } from '@egret/protocol';
import type { CategoryDictionary } from './categories.ts';
import { gridIdAt, gridSpec } from './grids.ts';
import { ConfigError, parseConfigFile } from './load.ts';
import type { CityFile, District } from './schema.ts';

/**
 * The command manual (指挥手册, issue #17) as config: `config/plans/<planId>.json` holds one plan (protocol's `PlanDef`),
 * `config/cities/<city>/points/<set>.json` one point set. Both are read and cross-checked at start; a bad file stops
 * the hub with lines naming file, field and expectation. See docs/operations.md, "Plans".
 */

/** A point set file: the points an inspection round walks. `set` is the file's name without `.json`. */
export const PointSetFile = z.object({
  set: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 characters of a–z 0–9 - (the file name)'),
  kind: PointKind,
  /** Where the positions come from (public maps, a survey …). */
  note: z.string().min(1),
  points: z.array(InspectionPoint).min(1).max(20_000),
});
export type PointSetFile = z.infer<typeof PointSetFile>;

/** The wall's mode a campaign's plans may put it in. */
export const CAMPAIGN_MODE: Readonly<Record<Campaign, Mode>> = {
  civilised_city: 'civilised_city',
  typhoon: 'typhoon',
  environmental: 'environmental',
  major_event: 'major_event',
};

/** The squads the city has: `SQ-<district>-<nn>`, `squads` of them per district (city.json; the simulator's roster). */
export function citySquads(city: { districts: readonly Pick<District, 'code' | 'squads'>[] }): Map<string, string[]> {
  return new Map(
    city.districts.map((d) => [
      d.code,
      Array.from({ length: d.squads }, (_, k) => `SQ-${d.code}-${String(k + 1).padStart(2, '0')}`),
    ]),
  );
}

export interface LoadedPlans {
  plans: PlanDef[];
  /** Point sets by set id, every point's grid filled. */
  pointSets: Map<string, InspectionPoint[]>;
}

export interface PlanContext {
  city: Pick<CityFile, 'districts' | 'bbox'>;
  categories: CategoryDictionary;
  /** Ids of the major events the city guards (an `event_window` trigger names one). */
  eventIds: ReadonlySet<string>;
}

/** Reads every plan and point set of a city, or throws one ConfigError naming every problem. */
export function loadPlans(dir: string, cityId: string, ctx: PlanContext): LoadedPlans {
  const shown = (file: string) => relative(resolve(dir, '..'), file);
  const pointDir = join(dir, 'cities', cityId, 'points');
  const planDir = join(dir, 'plans');
  const problems: string[] = [];
  const read = <S extends z.ZodType>(schema: S, file: string): z.infer<S> | undefined => {
    try {
      return parseConfigFile(schema, file, dir);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
      return undefined;
    }
  };
  const jsonFiles = (d: string) =>
    existsSync(d)
      ? readdirSync(d)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : [];

  const sets: { file: string; data: PointSetFile }[] = [];
  for (const f of jsonFiles(pointDir)) {
    const data = read(PointSetFile, join(pointDir, f));
    if (data) sets.push({ file: join(pointDir, f), data });
  }
  const plans: { file: string; data: PlanDef }[] = [];
  for (const f of jsonFiles(planDir)) {
    const data = read(PlanDef, join(planDir, f));
    if (data) plans.push({ file: join(planDir, f), data });
  }
  problems.push(...checkPlans(sets, plans, ctx, shown));
  if (problems.length) throw new ConfigError(problems.join('\n'));

  const spec = gridSpec(ctx.city.bbox);
  const pointSets = new Map(
    sets.map(({ data }) => [
      data.set,
      data.points.map((p) => {
        const grid = p.grid ?? gridIdAt(spec, p.district, p.position);
        return grid === undefined ? p : { ...p, grid };
      }),
    ]),
  );
  return { plans: plans.map((p) => p.data), pointSets };
}

/** The cross-checks between files, as lines naming file and field. Pure. */
export function checkPlans(
  sets: readonly { file: string; data: PointSetFile }[],
  plans: readonly { file: string; data: PlanDef }[],
  ctx: PlanContext,
  shown: (file: string) => string = (f) => f,
): string[] {
  const problems: string[] = [];
  const districts = new Set(ctx.city.districts.map((d) => d.code));
  const squads = new Set([...citySquads(ctx.city).values()].flat());
  const codes = ctx.categories.entries.filter((c) => c.standard !== 'GB/T 30428').map((c) => c.code);
  const setIds = new Set<string>();
  const pointIds = new Map<string, string>();
  for (const { file, data } of sets) {
    const name = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
    if (data.set !== name) problems.push(`${shown(file)}: set must be the file's name (${name}), got ${data.set}`);
    if (setIds.has(data.set)) problems.push(`${shown(file)}: set ${data.set} is defined twice`);
    setIds.add(data.set);
    data.points.forEach((p, i) => {
      const at = `${shown(file)}: points[${i}]`;
      if (p.kind !== data.kind) problems.push(`${at}.kind must be the set's kind (${data.kind}), got ${p.kind}`);
      if (!districts.has(p.district)) problems.push(`${at}.district ${p.district} is not a district of city.json`);
      const [lon, lat] = p.position;
      const [x0, y0, x1, y1] = ctx.city.bbox;
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1)
        problems.push(`${at}.position [${lon}, ${lat}] is outside the city's bbox`);
      const other = pointIds.get(p.id);
      if (other !== undefined) problems.push(`${at}.id ${p.id} is also a point of ${other}`);
      pointIds.set(p.id, data.set);
    });
  }
  const planIds = new Set<string>();
  for (const { file, data } of plans) {
    const f = shown(file);
    const name = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
    if (data.id !== name) problems.push(`${f}: id must be the file's name (${name}), got ${data.id}`);
    if (planIds.has(data.id)) problems.push(`${f}: plan ${data.id} is defined twice`);
    planIds.add(data.id);
    if (CAMPAIGN_MODE[data.campaign] !== data.mode)
      problems.push(
        `${f}: mode must be ${CAMPAIGN_MODE[data.campaign]} for campaign ${data.campaign}, got ${data.mode}`,
      );
    const levels = new Set<string>();
    const actionKinds = new Map<string, string>();
    data.levels.forEach((lv, li) => {
      const at = `${f}: levels[${li}]`;
      if (levels.has(lv.level)) problems.push(`${at}.level ${lv.level} is defined twice`);
      levels.add(lv.level);
      lv.triggers.forEach((t, ti) => {
        if (t.kind === 'event_window' && !ctx.eventIds.has(t.eventId))
          problems.push(`${at}.triggers[${ti}].eventId ${t.eventId} is not an event of events.json`);
      });
      lv.actions.forEach((a, ai) => {
        const aat = `${at}.actions[${ai}]`;
        const kind = actionKinds.get(a.id);
        if (kind !== undefined && kind !== a.kind)
          problems.push(`${aat}.id ${a.id} is a ${kind} action at another level: one id, one kind`);
        actionKinds.set(a.id, a.kind);
        if (a.kind === 'round') {
          if (!setIds.has(a.pointSet))
            problems.push(`${aat}.pointSet ${a.pointSet} has no file cities/<city>/points/${a.pointSet}.json`);
          if (!codes.includes(a.problem.categoryCode))
            problems.push(`${aat}.problem.categoryCode ${a.problem.categoryCode} is not in config/categories.json`);
        } else if (a.kind === 'preposition') {
          a.targets.forEach((t, ti) => {
            if (!pointIds.has(t.pointId))
              problems.push(`${aat}.targets[${ti}].pointId ${t.pointId} is not a point of any point set`);
            if (t.squadId !== undefined && !squads.has(t.squadId))
              problems.push(
                `${aat}.targets[${ti}].squadId ${t.squadId} is not a squad of city.json (SQ-<district>-<nn>)`,
              );
          });
        } else if (a.kind === 'deadlines') {
          a.categories.forEach((c, ci) => {
            if (!codes.some((code) => code.startsWith(c.code)))
              problems.push(
                `${aat}.categories[${ci}].code ${c.code} is neither a code of config/categories.json nor a prefix of one`,
              );
          });
        }
      });
    });
  }
  return problems;
}
