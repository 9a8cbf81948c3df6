import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { CaseSource, CategoryStandard, UnitType, Urgency } from '@egret/protocol';
import type { CategoryDictionary } from './categories.ts';
import { CONFIG_DIR, ConfigError } from './load.ts';
import { checkSensors, DEFAULT_SENSORS, SensorsProfile } from './sensors-schema.ts';

/**
 * Scenarios the simulator can play, one JSON file each in `config/scenarios/<name>.json`. `kind` says which engine
 * plays it: `city` (a day of an ordinary city: shifts, patrols, cases on a time-of-day profile, IoT sensors), `load`
 * (a flat stress load over the same city), `typhoon` (a storm over a city scenario). The first two are this
 * package's union; a `typhoon` file carries a storm model the simulator owns, so its schema and loader live there
 * (`loadTyphoonScenario`) and `loadScenario` points to it. `scenarioKind` tells them apart without validating.
 */

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const HhMm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM');
const Share = z.number().min(0).max(1);
const LogNormalMinutes = z.object({ median: z.number().positive(), sigma: z.number().min(0).max(3) });

export const UnitTypeProfile = z.object({
  /** Relative share of this type in every squad. */
  share: z.number().min(0),
  /** Travel speed in metres per second (each unit varies it by ±speedJitter). */
  speedMps: z.number().positive().max(100),
  /** Label used in unit names, e.g. 执法 (zh). */
  label: z.string().min(1).max(12),
  /** How far from its home a unit's patrol beat reaches. */
  beatRadiusM: z.number().positive(),
  /** Pause at each waypoint of the beat, uniform in [min, max] minutes. */
  dwellMinutes: z.tuple([z.number().min(0), z.number().min(0)]),
});
export type UnitTypeProfile = z.infer<typeof UnitTypeProfile>;

export const Shift = z.object({
  name: z.string().min(1),
  /** Local time (city timezone); `to` before `from` wraps past midnight. */
  from: HhMm,
  to: HhMm,
  share: z.number().min(0),
});
export type Shift = z.infer<typeof Shift>;

export const CategoryWeight = z.object({
  code: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
  standard: CategoryStandard,
  weight: z.number().positive(),
});
export type CategoryWeight = z.infer<typeof CategoryWeight>;

export const SourceProfile = z.object({
  source: CaseSource,
  weight: z.number().min(0),
  /** Prefix of this source's case numbers, e.g. 12345 → `12345-20261122-000123`. */
  idPrefix: z.string().regex(/^[A-Z0-9]{2,8}$/, 'must be 2–8 capitals or digits'),
  /** When set, this source reports only these category codes (video AI sees only what its models know). */
  only: z.array(z.string()).optional(),
  /** Per-category multipliers of this source's weight (noise is mostly phoned in). */
  boost: z.record(z.string(), z.number().min(0)).optional(),
  /** How a report from this source is worded, e.g. 市民来电反映 (zh). */
  phrase: z.string().min(1).max(20),
});
export type SourceProfile = z.infer<typeof SourceProfile>;

const UrgencyMix = z.record(Urgency, z.number().min(0));

/** A span of minutes, [min, max]: a delay or a duration drawn uniformly inside it. */
const MinutesRange = z.tuple([z.number().min(0), z.number().min(0)]);

/**
 * How field squads answer their tasks (the field side of the case loop): how soon they answer, how often they
 * decline or never answer, how long they get ready, and how long the work on scene takes by category group.
 */
export const FieldResponse = z.object({
  /** From dispatch to the unit's answer (accept or decline), uniform minutes per unit type. */
  answerMinutes: z.record(UnitType, MinutesRange),
  /** From acceptance to leaving for the scene (en route). */
  leaveMinutes: MinutesRange,
  /**
   * Speed on the way to a case and back, metres per second, by unit type: faster than on the beat (an inspector who
   * patrols on foot rides an e-bike to a task, a sanitation crew its tricycle).
   */
  travelSpeedMps: z.record(UnitType, z.number().positive().max(100)),
  /** Share of tasks declined (退单), with one of `declineReasons`. */
  declineShare: Share,
  declineReasons: z.array(z.string().min(1).max(200)).min(1),
  /** Share of tasks never answered: the dispatch desk marks them timed out after `timeoutMinutes`. */
  silentShare: Share,
  timeoutMinutes: z
    .number()
    .positive()
    .max(24 * 60),
  /** Work on scene, uniform minutes by category group (config/categories.json groups), `default` for the rest. */
  workMinutes: z.object({ default: MinutesRange, byGroup: z.record(z.string(), MinutesRange) }),
  /**
   * Farthest a unit leaves the roads (the simulator's travel graph) on foot to reach a case — a pier, a beach; a case
   * farther from every road the unit can take (an island without a road link) is out of reach, and it declines.
   */
  maxOffLatticeM: z.number().positive(),
});
export type FieldResponse = z.infer<typeof FieldResponse>;

/** 核查: an inspector verifies every handled case on site and closes it, or sends it back (返工) with a reason. */
export const VerificationProfile = z.object({
  /** From handled (处理反馈) to the inspector starting the check (verifying). */
  startDelay: LogNormalMinutes,
  /** From the start of the check to its outcome (closed, or back to filed). */
  checkDelay: LogNormalMinutes,
  /** Share of checks that fail (返工). */
  failShare: Share,
  failReasons: z.array(z.string().min(1).max(200)).min(1),
});
export type VerificationProfile = z.infer<typeof VerificationProfile>;

/** Defaults for scenario files that predate the field side (the values normal-day.json spells out). */
export const DEFAULT_FIELD_RESPONSE: FieldResponse = {
  answerMinutes: {
    enforcement: [1, 3],
    inspector: [1, 4],
    sanitation: [2, 5],
    emergency: [1, 2],
    vehicle: [1, 3],
    drone: [1, 2],
  },
  leaveMinutes: [0.2, 1.5],
  travelSpeedMps: { enforcement: 5, inspector: 4, sanitation: 4, emergency: 9, vehicle: 9.5, drone: 12 },
  declineShare: 0.03,
  declineReasons: ['非本辖区', '人手不足', '职责不清，应由其他部门处置', '已在处置其他紧急任务'],
  silentShare: 0.02,
  timeoutMinutes: 15,
  workMinutes: {
    default: [15, 45],
    byGroup: {
      street: [10, 30],
      ads: [10, 40],
      sanitation: [20, 60],
      environment: [20, 60],
      construction: [30, 90],
      municipal: [30, 90],
      traffic: [20, 60],
      greenery: [30, 120],
      emergency: [30, 120],
    },
  },
  maxOffLatticeM: 500,
};
export const DEFAULT_VERIFICATION: VerificationProfile = {
  startDelay: { median: 12, sigma: 0.6 },
  checkDelay: { median: 8, sigma: 0.5 },
  failShare: 0.06,
  failReasons: ['复核未通过：现场问题仍然存在', '复核未通过：整改不到位', '复核未通过：问题反弹'],
};
/** Filed cases no one has dispatched within this time are dispatched by the simulator's auto-dispatcher. */
export const DEFAULT_AUTO_DISPATCH_AFTER_MS = 3 * 60_000;

export const CityScenarioFile = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.literal('city'),
  description: Names,
  units: z.object({
    types: z.record(UnitType, UnitTypeProfile),
    speedJitter: Share,
    shifts: z.array(Shift).min(1),
    /** Units change shift within ± this many minutes of the hour, not all in the same second. */
    shiftJitterMinutes: z.number().min(0).max(120),
    offline: z.object({
      /** Chance per on-duty unit and hour that its device drops out. */
      perUnitPerHour: z.number().min(0).max(10),
      duration: LogNormalMinutes,
    }),
  }),
  cases: z.object({
    /** Mean cases per day (Xiamen 2023: 1,165,000 a year ≈ 3,190 a day). */
    perDay: z.number().min(0),
    /** Relative rate for each local hour 0–23 (normalised to a mean of 1). */
    hourly: z.array(z.number().min(0)).length(24),
    categories: z.array(CategoryWeight).min(1),
    sources: z.array(SourceProfile).min(1),
    urgency: z.object({ default: UrgencyMix, byGroup: z.record(z.string(), UrgencyMix) }),
    location: z.object({
      /** Share of cases near a named road or place of the district (the rest anywhere in it). */
      nearPlaceShare: Share,
      /** Spread around the place, metres (standard deviation). */
      spreadM: z.number().positive(),
    }),
  }),
  intake: z.object({
    /** Delay from report to acceptance (受理). */
    acceptDelay: LogNormalMinutes,
    /** Delay from acceptance to filing (立案). */
    fileDelay: LogNormalMinutes,
    rejectShare: z.object({ default: Share, bySource: z.partialRecord(CaseSource, Share).optional() }),
    /** Of the rejected, the share turned away at acceptance (the rest after acceptance, 不予立案 at filing). */
    rejectAtAcceptShare: Share,
    rejectReasons: z.array(z.string().min(1).max(200)).min(1),
    /** Intake clerks (受理员) and shift leads (值班长) on duty: their ids appear on the transitions. */
    clerks: z.number().int().min(1).max(99),
    leads: z.number().int().min(1).max(99),
  }),
  /** How field squads answer and work their tasks. */
  field: FieldResponse.default(DEFAULT_FIELD_RESPONSE),
  /** 核查 of handled cases. */
  verification: VerificationProfile.default(DEFAULT_VERIFICATION),
  /** Filed cases left undispatched this long (world ms) are dispatched automatically (0: at once). */
  autoDispatchAfterMs: z.number().int().min(0).default(DEFAULT_AUTO_DISPATCH_AFTER_MS),
  /** IoT sensors (noise, fumes, shared bikes, dog tags) and how they read. */
  sensors: SensorsProfile.default(DEFAULT_SENSORS),
});
export type CityScenarioFile = z.infer<typeof CityScenarioFile>;

export const LoadScenarioFile = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.literal('load'),
  description: Names,
  /** The city scenario whose unit types, case mix and intake the load reuses. */
  base: z.string().regex(/^[a-z0-9-]+$/),
  /** Units, all on duty and reporting every fix interval (env LOAD_UNITS overrides). */
  units: z.number().int().min(1).max(500_000),
  /** Cases per minute at a flat rate (env LOAD_CASES_PER_MIN overrides). */
  casesPerMinute: z.number().min(0).max(100_000),
});
export type LoadScenarioFile = z.infer<typeof LoadScenarioFile>;

export const ScenarioFile = z.discriminatedUnion('kind', [CityScenarioFile, LoadScenarioFile]);
export type ScenarioFile = z.infer<typeof ScenarioFile>;

/** Names of the scenario files present in `config/scenarios/`. */
export function listScenarios(dir: string = CONFIG_DIR): string[] {
  try {
    return readdirSync(join(dir, 'scenarios'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/** Kinds of scenario file `loadScenario` reads; the simulator reads the others itself. */
export const SCENARIO_KINDS = ['city', 'load'] as const;

/**
 * Kinds whose files carry the simulator's own model (a storm, a major event's posts and cases), with the loader that
 * validates them: `loadScenario` points there rather than failing on fields it does not know.
 */
export const SIMULATOR_SCENARIO_KINDS: Readonly<Record<string, string>> = {
  typhoon: 'loadTyphoonScenario',
  'major-event': 'loadMajorEventScenario',
  campaign: 'loadCampaignScenario',
};

/**
 * Reads `config/scenarios/<name>.json` as JSON, unvalidated, with the path to show in messages. Throws `ConfigError`
 * listing the known scenarios when there is no such file.
 */
export function readScenarioJson(name: string, dir: string = CONFIG_DIR): { raw: unknown; shown: string } {
  if (!/^[a-z0-9-]+$/.test(name))
    throw new ConfigError(`scenario name "${name}" must be lower-case letters, digits and dashes`);
  const file = join(dir, 'scenarios', `${name}.json`);
  const shown = relative(resolve(dir, '..'), file);
  try {
    return { raw: JSON.parse(readFileSync(file, 'utf8')), shown };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`${shown}: no such scenario (known: ${listScenarios(dir).join(', ') || 'none'})`);
    }
    throw new ConfigError(
      `${shown}: ${code ? `cannot be read (${code})` : `is not valid JSON (${(err as Error).message})`}`,
    );
  }
}

/** The `kind` a scenario file declares (`city`, `load`, `typhoon` …), read before choosing the loader that validates it. */
export function scenarioKind(name: string, options: { dir?: string } = {}): string {
  const { raw, shown } = readScenarioJson(name, options.dir);
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || kind === '')
    throw new ConfigError(`${shown}: kind must name the engine that plays it (${knownKinds()})`);
  return kind;
}

/**
 * Reads and validates `config/scenarios/<name>.json`. With a category dictionary it also checks every category
 * code against it. Throws `ConfigError` naming the file, the field and what was expected.
 */
export function loadScenario(
  name: string,
  options: { dir?: string; categories?: CategoryDictionary } = {},
): ScenarioFile {
  const dir = options.dir ?? CONFIG_DIR;
  const { raw, shown } = readScenarioJson(name, dir);
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  if (typeof kind === 'string' && !(SCENARIO_KINDS as readonly string[]).includes(kind)) {
    const loader = SIMULATOR_SCENARIO_KINDS[kind];
    throw new ConfigError(
      loader
        ? `${shown}: is a ${kind} scenario: the simulator reads it (${loader}), not loadScenario`
        : `${shown}: kind must be one of ${knownKinds()}, got "${kind}"`,
    );
  }
  const result = ScenarioFile.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${shown}: ${formatPath(i.path)} ${i.message}`).join('\n'));
  }
  const scenario = result.data;
  if (scenario.name !== name)
    throw new ConfigError(`${shown}: name must be "${name}" (the file's name), got "${scenario.name}"`);
  if (scenario.kind === 'city') checkCity(scenario, shown, options.categories);
  return scenario;
}

/** `city, load, typhoon or major-event`. */
function knownKinds(): string {
  const all = [...SCENARIO_KINDS, ...Object.keys(SIMULATOR_SCENARIO_KINDS)];
  return `${all.slice(0, -1).join(', ')} or ${all.at(-1)}`;
}

function checkCity(s: CityScenarioFile, shown: string, categories: CategoryDictionary | undefined): void {
  const problems: string[] = [];
  s.cases.categories.forEach((c, i) => {
    if (categories && !categories.get(c.standard, c.code)) {
      problems.push(`cases.categories[${i}] ${c.standard} ${c.code} is not in config/categories.json`);
    }
  });
  if (!Object.values(s.units.types).some((t) => t.share > 0))
    problems.push('units.types needs at least one type with a share > 0');
  Object.entries(s.units.types).forEach(([type, t]) => {
    if (t.dwellMinutes[1] < t.dwellMinutes[0])
      problems.push(`units.types.${type}.dwellMinutes must be [min, max] with min ≤ max`);
  });
  if (!s.units.shifts.some((sh) => sh.share > 0))
    problems.push('units.shifts needs at least one shift with a share > 0');
  if (!s.cases.hourly.some((h) => h > 0)) problems.push('cases.hourly needs at least one hour with a rate > 0');
  const ranges: [string, readonly [number, number]][] = [
    ['field.leaveMinutes', s.field.leaveMinutes],
    ['field.workMinutes.default', s.field.workMinutes.default],
    ...Object.entries(s.field.answerMinutes).map(
      ([t, r]) => [`field.answerMinutes.${t}`, r] as [string, readonly [number, number]],
    ),
    ...Object.entries(s.field.workMinutes.byGroup).map(
      ([g, r]) => [`field.workMinutes.byGroup.${g}`, r] as [string, readonly [number, number]],
    ),
  ];
  for (const [path, [lo, hi]] of ranges) if (hi < lo) problems.push(`${path} must be [min, max] with min ≤ max`);
  if (s.field.declineShare + s.field.silentShare > 1)
    problems.push('field.declineShare + field.silentShare must be at most 1');
  if (categories) {
    for (const g of Object.keys(s.field.workMinutes.byGroup)) {
      if (!(g in categories.file.groups))
        problems.push(`field.workMinutes.byGroup.${g} is not a category group of config/categories.json`);
    }
  }
  const codes = new Set(s.cases.categories.map((c) => c.code));
  s.cases.sources.forEach((src, i) => {
    for (const code of src.only ?? [])
      if (!codes.has(code)) problems.push(`cases.sources[${i}].only names ${code}, which is not in cases.categories`);
  });
  s.cases.categories.forEach((c, i) => {
    const reachable = s.cases.sources.some(
      (src) => src.weight > 0 && (!src.only || src.only.includes(c.code)) && (src.boost?.[c.code] ?? 1) > 0,
    );
    if (!reachable) problems.push(`cases.categories[${i}] ${c.code} has no source that can report it`);
  });
  problems.push(...checkSensors(s.sensors));
  if (problems.length) throw new ConfigError(problems.map((p) => `${shown}: ${p}`).join('\n'));
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
