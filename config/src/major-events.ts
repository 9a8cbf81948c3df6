import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { LonLat, pointInRing, Urgency } from '@egret/protocol';
import { pointToWgs84 } from './crs.ts';

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const IsoTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO time such as 2026-06-14T00:00:00+08:00');
const Id = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 characters of a–z 0–9 -');

/**
 * A major event (重大活动) the bureau guards — the Straits Forum (海峡论坛) — as city policy: its venues, the security
 * perimeters (保障区域) around them, the posts (固定岗) units hold, and the tighter deadlines that 市容保障 cases inside a
 * perimeter get while the event is on. `config/cities/<city>/events.json`; optional (a city without one guards none).
 */
export const MajorEventEntry = z.object({
  id: Id,
  name: Names,
  /** While the guard is on (world time): perimeters and deadlines apply only then. */
  from: IsoTime,
  to: IsoTime,
  venues: z.array(z.object({ id: Id, name: Names, position: LonLat, approximate: z.boolean() })).min(1),
  /** Closed rings (first point = last point not required), in the file's `crs`. */
  perimeters: z.array(z.object({ id: Id, name: Names, ring: z.array(LonLat).min(3), approximate: z.boolean() })).min(1),
  /** Fixed posts: a unit given the post keeps within `radiusM` of it, or the wall raises an alarm. */
  posts: z.array(z.object({ id: Id, name: Names, position: LonLat, radiusM: z.number().positive().max(5_000) })),
  /** Hours from filing to deadline inside a perimeter, for the category groups listed (the 市容 groups). */
  deadlines: z.object({ groups: z.array(z.string().min(1)).min(1), hours: z.record(Urgency, z.number().positive()) }),
});
export type MajorEventEntry = z.infer<typeof MajorEventEntry>;

export const MajorEventsFile = z.object({
  note: z.string().optional(),
  crs: z.enum(['WGS-84', 'CGCS2000', 'GCJ-02']),
  events: z.array(MajorEventEntry),
});

/** A major event as Egret holds it: WGS-84 points and epoch-ms times. */
export interface MajorEvent extends Omit<MajorEventEntry, 'from' | 'to'> {
  from: number;
  to: number;
}

/**
 * Reads `config/cities/<city>/events.json` when there is one (points converted to WGS-84). Returns problems as
 * lines naming file and field, for `loadConfig` to throw as one ConfigError.
 */
export function readMajorEvents(
  dir: string,
  cityId: string,
  knownGroups: ReadonlySet<string>,
): { events: MajorEvent[]; problems: string[] } {
  const file = join(dir, 'cities', cityId, 'events.json');
  if (!existsSync(file)) return { events: [], problems: [] };
  const shown = relative(resolve(dir, '..'), file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { events: [], problems: [`${shown}: is not valid JSON (${(err as Error).message})`] };
  }
  const parsed = MajorEventsFile.safeParse(raw);
  if (!parsed.success) {
    return {
      events: [],
      problems: parsed.error.issues.map((i) => `${shown}: ${i.path.join('.') || '(top level)'} ${i.message}`),
    };
  }
  const { crs } = parsed.data;
  const problems: string[] = [];
  const events = parsed.data.events.map((e, i): MajorEvent => {
    const from = Date.parse(e.from);
    const to = Date.parse(e.to);
    if (to <= from) problems.push(`${shown}: events[${i}].to must be after events[${i}].from`);
    for (const g of e.deadlines.groups)
      if (!knownGroups.has(g))
        problems.push(
          `${shown}: events[${i}].deadlines.groups names ${g}, which is not a category group of config/categories.json`,
        );
    const wgs = (p: [number, number]) => pointToWgs84(p, crs);
    return {
      ...e,
      from,
      to,
      venues: e.venues.map((v) => ({ ...v, position: wgs(v.position) })),
      perimeters: e.perimeters.map((p) => ({ ...p, ring: p.ring.map(wgs) })),
      posts: e.posts.map((p) => ({ ...p, position: wgs(p.position) })),
    };
  });
  return { events, problems };
}

/** The events on at world time t. */
export function activeEvents(events: readonly MajorEvent[], t: number): MajorEvent[] {
  return events.filter((e) => t >= e.from && t < e.to);
}

/** The perimeter (and its event) a point lies in at t, if any. */
export function guardedAt(
  events: readonly MajorEvent[],
  point: LonLat,
  t: number,
): { event: MajorEvent; perimeterId: string } | undefined {
  for (const event of activeEvents(events, t)) {
    const p = event.perimeters.find((x) => pointInRing(x.ring, point));
    if (p) return { event, perimeterId: p.id };
  }
  return undefined;
}
