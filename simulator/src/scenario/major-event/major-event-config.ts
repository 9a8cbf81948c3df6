import { z } from 'zod';
import { CaseSource, CategoryStandard, UnitType, Urgency } from '@egret/protocol';
import { CONFIG_DIR, ConfigError, readScenarioJson, type CategoryDictionary, type MajorEvent } from '@egret/config';

/**
 * The schema of a major-event scenario file (`kind: "major-event"`, e.g. `config/scenarios/straits-forum.json`):
 * which event of the city's `events.json` it plays, the city scenario it runs over, how the fixed posts are held
 * (units per post, how they stand, how often one wanders off) and the extra 市容保障 cases the guard brings. The
 * event's window, venues, perimeters and posts are city policy and stay in `events.json`; this file holds only the
 * simulator's model of the people and the cases, so a drill can be retuned without touching policy.
 */

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const Share = z.number().min(0).max(1);
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
const range = (lo: number, hi: number) => z.tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)]);

/** Why a post unit leaves its post for a while: how fast it goes and how far beyond the post's radius. */
export const WanderKind = z.object({
  name: z.string().min(1).max(32),
  weight: z.number().positive(),
  speedMps: z.number().positive().max(15),
  /** Metres beyond the post's radius it goes (uniform). */
  beyondM: range(1, 3_000),
});
export type WanderKind = z.infer<typeof WanderKind>;

export const PostsProfile = z.object({
  unitType: UnitType,
  /** Units per post, [min, max], drawn per post from the seed. */
  unitsPerPost: z.tuple([z.number().int().min(1).max(10), z.number().int().min(1).max(10)]),
  /** A unit on its post stands within this of the post (a spot of its own, changed every `paceEveryMinutes`). */
  standRadiusM: z.number().min(0).max(100),
  paceEveryMinutes: z.number().positive().max(120),
  paceSpeedMps: z.number().positive().max(5),
  /** GPS scatter on each fix, at most this many metres. */
  gpsNoiseM: z.number().min(0).max(20),
  wanders: z.object({
    /** Times a day each post's units leave it (the fraction is a chance of one more). */
    perPostPerDay: z.number().min(0).max(48),
    /** Local hours wanders happen in, [from, to). */
    hours: z.tuple([HhMm, HhMm]),
    /** Minutes spent beyond the post's radius, [min, max]. */
    beyondMinutes: range(1, 120),
    /** At least this long between two wanders of one post (its neighbours cover the gap). */
    gapMinutes: z
      .number()
      .min(0)
      .max(24 * 60),
    kinds: z.array(WanderKind).min(1),
  }),
  /** A task that reaches a post unit is declined after this many minutes, [min, max]. */
  answerMinutes: range(0, 60),
  declineReason: z.string().min(1).max(200),
});
export type PostsProfile = z.infer<typeof PostsProfile>;

export const EventCaseCategory = z.object({
  code: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
  standard: CategoryStandard,
  weight: z.number().positive(),
  sources: z.partialRecord(CaseSource, z.number().min(0)),
});
export type EventCaseCategory = z.infer<typeof EventCaseCategory>;

export const EventCasesProfile = z.object({
  /** Mean extra cases per hour over a day of the event (shaped by `hourly`); none outside its window. */
  perHour: z.number().min(0).max(10_000),
  /** Relative rate by local hour (24 values, normalised to mean 1). */
  hourly: z.array(z.number().min(0)).length(24),
  /** Case ids `<idPrefix>-<yyyyMMddHHmm>-<n>`, fixed by the seed. */
  idPrefix: z.string().regex(/^[A-Z0-9]{2,8}$/, 'must be 2–8 characters of A–Z 0–9'),
  descriptionPrefix: z.string().min(1).max(40),
  urgency: z.partialRecord(Urgency, z.number().min(0)),
  location: z.object({
    /** Share of the cases inside a perimeter; the rest fall within `aroundM` outside one. */
    insideShare: Share,
    aroundM: z.number().positive().max(5_000),
    /** Of the cases inside, the share near one of the perimeter's venues (normal spread `venueSpreadM`). */
    nearVenueShare: Share,
    venueSpreadM: z.number().positive().max(5_000),
    /** Perimeter id → weight (perimeters left out get none). */
    perimeterWeights: z.record(z.string(), z.number().min(0)),
  }),
  categories: z.array(EventCaseCategory).min(1),
});
export type EventCasesProfile = z.infer<typeof EventCasesProfile>;

export const MajorEventScenarioFile = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.literal('major-event'),
  description: Names,
  /** Id of the event in `config/cities/<city>/events.json`. */
  event: z.string().min(1),
  city: z.object({ base: z.string().min(1) }),
  sources: z.array(z.string()).optional(),
  posts: PostsProfile,
  cases: EventCasesProfile,
});
export type MajorEventScenarioFile = z.infer<typeof MajorEventScenarioFile>;

/** A major-event scenario with the event it plays (from the city's config, WGS-84, epoch ms). */
export interface MajorEventScenario {
  file: MajorEventScenarioFile;
  event: MajorEvent;
}

/**
 * Reads and validates a major-event scenario and finds its event among the city's (`loadConfig().events`). With a
 * category dictionary it also checks every category code. Throws `ConfigError` naming the file, the field and what
 * was expected.
 */
export function loadMajorEventScenario(options: {
  name: string;
  events: readonly MajorEvent[];
  dir?: string;
  categories?: CategoryDictionary;
}): MajorEventScenario {
  const { raw, shown } = readScenarioJson(options.name, options.dir ?? CONFIG_DIR);
  const result = MajorEventScenarioFile.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${shown}: ${formatPath(i.path)} ${i.message}`).join('\n'));
  }
  const file = result.data;
  if (file.name !== options.name)
    throw new ConfigError(`${shown}: name must be "${options.name}" (the file's name), got "${file.name}"`);
  const event = options.events.find((e) => e.id === file.event);
  if (!event) {
    const known = options.events.map((e) => e.id).join(', ') || 'none';
    throw new ConfigError(
      `${shown}: event names ${file.event}, which is not an event of the city's events.json (known: ${known})`,
    );
  }
  const problems = checkMajorEvent(file, event, options.categories);
  if (problems.length) throw new ConfigError(problems.map((p) => `${shown}: ${p}`).join('\n'));
  return { file, event };
}

/** Cross-field checks the schema cannot express. */
export function checkMajorEvent(
  s: MajorEventScenarioFile,
  event: MajorEvent,
  categories?: CategoryDictionary,
): string[] {
  const problems: string[] = [];
  const ordered: [string, readonly [number, number]][] = [
    ['posts.unitsPerPost', s.posts.unitsPerPost],
    ['posts.wanders.beyondMinutes', s.posts.wanders.beyondMinutes],
    ['posts.answerMinutes', s.posts.answerMinutes],
    ...s.posts.wanders.kinds.map(
      (k, i) => [`posts.wanders.kinds[${i}].beyondM`, k.beyondM] as [string, readonly [number, number]],
    ),
  ];
  for (const [path, [lo, hi]] of ordered) if (hi < lo) problems.push(`${path} must be [min, max] with min ≤ max`);
  const [from, to] = s.posts.wanders.hours;
  if (!(to > from)) problems.push('posts.wanders.hours must be [from, to] with from before to, within one day');
  const c = s.cases;
  if (!c.hourly.some((h) => h > 0)) problems.push('cases.hourly needs at least one hour with a rate > 0');
  if (!Object.values(c.urgency).some((w) => w > 0)) problems.push('cases.urgency needs an urgency with a weight > 0');
  const perimeters = new Set(event.perimeters.map((p) => p.id));
  for (const id of Object.keys(c.location.perimeterWeights)) {
    if (!perimeters.has(id))
      problems.push(`cases.location.perimeterWeights names ${id}, which is not a perimeter of event ${event.id}`);
  }
  if (!Object.entries(c.location.perimeterWeights).some(([id, w]) => w > 0 && perimeters.has(id))) {
    problems.push('cases.location.perimeterWeights needs a perimeter of the event with a weight > 0');
  }
  c.categories.forEach((cat, i) => {
    if (categories && !categories.get(cat.standard, cat.code))
      problems.push(`cases.categories[${i}] ${cat.standard} ${cat.code} is not in config/categories.json`);
    if (!Object.values(cat.sources).some((w) => w > 0))
      problems.push(`cases.categories[${i}] ${cat.code} has no source with a weight > 0`);
  });
  return problems;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
