import { z } from 'zod';
import { CaseSource, CategoryStandard, PlanLevel, PointKind, Urgency } from '@egret/protocol';
import { CONFIG_DIR, ConfigError, readScenarioJson, type CategoryDictionary, type EgretConfig } from '@egret/config';

/**
 * The schema of a campaign scenario file (`kind: "campaign"`, e.g. `config/scenarios/civilised-city.json`,
 * issue #17): the city scenario it runs over, the plan of the command manual its commander activates at the start
 * (through the hub's `plan:activate`, as a commander would), the campaign's own reports (文明创建: 占道经营, 乱摆卖,
 * 暴露垃圾, 乱张贴 …; 环保督察: 工地扬尘, 夜间施工噪声, 渣土车未覆盖, 餐饮油烟 …) gathered around the campaign's
 * point sets, the inspectors' 督察交办件 (source `superior`, urgent), and the dust and noise monitors at construction
 * sites. The plans and the points are city policy (`config/plans`, `config/cities/<city>/points`); this file holds
 * only the simulator's model of the people and the reports, so a drill can be retuned without touching policy.
 */

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });

export const CampaignCaseCategory = z.object({
  code: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
  standard: CategoryStandard,
  weight: z.number().positive(),
  /** Where it is reported from, by weight. */
  sources: z.partialRecord(CaseSource, z.number().min(0)),
  /** The point set its reports gather around (a market for 占道经营, a site for 扬尘). */
  near: z.string().regex(/^[a-z0-9-]{1,40}$/),
  /** What the reporter writes. */
  phrase: z.string().min(1).max(60),
});
export type CampaignCaseCategory = z.infer<typeof CampaignCaseCategory>;

export const CampaignCasesProfile = z.object({
  /** Mean reports per hour over a day (shaped by `hourly`). */
  perHour: z.number().min(0).max(10_000),
  /** Relative rate by local hour (24 values, normalised to mean 1). */
  hourly: z.array(z.number().min(0)).length(24),
  /** Case ids `<idPrefix>-<yyyyMMddHHmm>-<n>`. */
  idPrefix: z.string().regex(/^[A-Z0-9]{2,8}$/, 'must be 2–8 characters of A–Z 0–9'),
  urgency: z.partialRecord(Urgency, z.number().min(0)),
  /** Reports fall this far from their point at most (metres, uniform in the disc). */
  spreadM: z.number().positive().max(2_000),
  categories: z.array(CampaignCaseCategory).min(1),
});
export type CampaignCasesProfile = z.infer<typeof CampaignCasesProfile>;

/** 督察交办件: problems the inspectors hand down, as cases from a superior source, urgent. */
export const HandedDownProfile = z.object({
  perDay: z.number().min(0).max(1_000),
  idPrefix: z.string().regex(/^[A-Z0-9]{2,8}$/),
  /** e.g. 省生态环境保护督察组交办 */
  from: z.string().min(1).max(40),
  urgency: Urgency,
  /** Local hours the inspectors hand cases down in, [from, to). */
  hours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(1).max(24)]),
  categories: z.array(CampaignCaseCategory).min(1),
});
export type HandedDownProfile = z.infer<typeof HandedDownProfile>;

/** Dust (PM10, µg/m³) and noise (dB(A)) monitors at construction sites, read every `readEveryMinutes`. */
export const SiteSensorsProfile = z.object({
  /** One site in `everyNth` of the construction-sites set carries a monitor pair. */
  everyNth: z.number().int().min(1).max(100),
  readEveryMinutes: z.number().positive().max(60),
  dust: z.object({
    warning: z.number().positive(),
    alarm: z.number().positive(),
    /** Background by day, [min, max] per site. */
    base: z.tuple([z.number().min(0), z.number().min(0)]),
    /** Share of sites working dusty (uncovered earth): they rise over the alarm for hours in the working day. */
    dustyShare: z.number().min(0).max(1),
    dustyPeak: z.tuple([z.number().min(0), z.number().min(0)]),
  }),
  noise: z.object({
    warning: z.number().positive(),
    alarm: z.number().positive(),
    base: z.tuple([z.number().min(0), z.number().min(0)]),
    /** Share of sites working at night (夜间施工), loud after 22:00. */
    nightWorkShare: z.number().min(0).max(1),
    nightPeak: z.tuple([z.number().min(0), z.number().min(0)]),
  }),
  /** Local working hours of a site, [from, to). */
  workHours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(1).max(24)]),
});
export type SiteSensorsProfile = z.infer<typeof SiteSensorsProfile>;

export const CampaignScenarioFile = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.literal('campaign'),
  description: Names,
  city: z.object({ base: z.string().min(1) }),
  sources: z.array(z.string()).optional(),
  /** The plan the commander activates when the world starts, at `level`, with `reason`. */
  plan: z.object({ id: z.string().min(1), level: PlanLevel, reason: z.string().min(1).max(500) }),
  cases: CampaignCasesProfile,
  handedDown: HandedDownProfile.optional(),
  siteSensors: SiteSensorsProfile.optional(),
  /** The share of checks that find a problem, by point kind, where the campaign differs from the default. */
  problemShare: z.partialRecord(PointKind, z.number().min(0).max(1)).optional(),
});
export type CampaignScenarioFile = z.infer<typeof CampaignScenarioFile>;

/**
 * Reads and validates a campaign scenario against the city's plans, point sets and categories. Throws `ConfigError`
 * naming the file, the field and what was expected.
 */
export function loadCampaignScenario(options: {
  name: string;
  config: Pick<EgretConfig, 'plans' | 'pointSets'>;
  dir?: string;
  categories?: CategoryDictionary;
}): CampaignScenarioFile {
  const { raw, shown } = readScenarioJson(options.name, options.dir ?? CONFIG_DIR);
  const result = CampaignScenarioFile.safeParse(raw);
  if (!result.success)
    throw new ConfigError(
      result.error.issues.map((i) => `${shown}: ${i.path.join('.') || '(top level)'} ${i.message}`).join('\n'),
    );
  const file = result.data;
  const problems: string[] = [];
  const plan = options.config.plans.find((p) => p.id === file.plan.id);
  if (!plan) problems.push(`${shown}: plan.id ${file.plan.id} is not a plan of config/plans`);
  else if (!plan.levels.some((l) => l.level === file.plan.level))
    problems.push(`${shown}: plan.level ${file.plan.level} is not a level of plan ${plan.id}`);
  const lists: [string, CampaignCaseCategory[]][] = [
    ['cases.categories', file.cases.categories],
    ['handedDown.categories', file.handedDown?.categories ?? []],
  ];
  for (const [path, list] of lists)
    list.forEach((c, k) => {
      if (!options.config.pointSets.has(c.near))
        problems.push(`${shown}: ${path}.${k}.near ${c.near} is not a point set of the city`);
      if (options.categories && !options.categories.ref(c.standard, c.code))
        problems.push(`${shown}: ${path}.${k}.code ${c.standard} ${c.code} is not in config/categories.json`);
    });
  if (file.siteSensors && !options.config.pointSets.has('construction-sites'))
    problems.push(`${shown}: siteSensors needs the city's construction-sites point set`);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return file;
}
