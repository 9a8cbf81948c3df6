import { z } from 'zod';
import { CategoryStandard, JurisdictionRule, LonLat, SensorKind, Urgency } from '@egret/protocol';

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const Rgb = z.tuple([
  z.number().int().min(0).max(255),
  z.number().int().min(0).max(255),
  z.number().int().min(0).max(255),
]);

export const District = z.object({
  code: z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code'),
  name: Names,
  population: z.number().int().positive(),
  /** How many squads (中队) the simulator gives this district. */
  squads: z.number().int().min(1).max(50),
});
export type District = z.infer<typeof District>;

export const CityFile = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: Names,
  bureau: Names,
  timezone: z.string().min(1),
  center: LonLat,
  zoom: z.number().min(1).max(20),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  boundaries: z.object({
    file: z.string().min(1),
    crs: z.enum(['WGS-84', 'CGCS2000', 'GCJ-02']),
    note: z.string().optional(),
  }),
  districts: z.array(District).min(1),
});
export type CityFile = z.infer<typeof CityFile>;

/** Hours from filing to deadline by urgency: city policy. */
const DeadlineHours = z.record(Urgency, z.number().positive());

export const CategoryEntry = z.object({
  code: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
  standard: CategoryStandard,
  kind: z.enum(['matter', 'event']),
  name: Names,
  component: Names.optional(),
  group: z.string().min(1),
  mapsTo: z.string().optional(),
  note: z.string().optional(),
});
export type CategoryEntry = z.infer<typeof CategoryEntry>;

export const CategoriesFile = z.object({
  groups: z.record(z.string(), z.object({ zh: z.string(), en: z.string(), color: Rgb })),
  categories: z.array(CategoryEntry).min(1),
  deadlines: z.object({
    note: z.string().optional(),
    default: DeadlineHours,
    byGroup: z.record(z.string(), DeadlineHours),
    byCategory: z.record(z.string(), DeadlineHours),
  }),
});
export type CategoriesFile = z.infer<typeof CategoriesFile>;

export const SettingsFile = z.object({
  hub: z.object({
    port: z.number().int().min(0).max(65535),
    tickMs: z.number().int().min(50).max(60_000),
    logMaxLen: z.number().int().min(1000),
    snapshotEvery: z.number().int().min(100),
    framesMaxLen: z.number().int().min(10),
    deadletterMaxLen: z.number().int().min(100),
    ingestBatch: z.number().int().min(1).max(10_000),
    staleAfterMs: z.number().int().min(1000),
  }),
  simulator: z.object({
    scenario: z.string().min(1),
    seed: z.number().int(),
    unitsPerSquad: z.number().int().min(1).max(10_000),
    rate: z.number().positive().max(3600),
    fixIntervalMs: z.number().int().min(100),
  }),
  display: z.object({
    defaultLocale: z.enum(['zh', 'en']),
    timezone: z.string().min(1),
  }),
  /** Replay history (docs/replay.md). Optional in the file: these defaults apply when it is left out. */
  replay: z
    .object({
      /** A world snapshot at least every this many log events … */
      snapshotEveryEvents: z.number().int().min(100),
      /** … and at least every this many world minutes (when anything happened). */
      snapshotEveryMinutes: z
        .number()
        .positive()
        .max(24 * 60),
      /** Step of the position deltas inside each one-minute history segment, world ms. */
      positionStepMs: z.number().int().min(1_000).max(60_000),
      /** History older than this (world days before the newest event) is deleted, from Redis and from the archive. */
      retentionDays: z.number().positive(),
      /** History older than this is exported to compressed files and dropped from Redis; 0 keeps it all in Redis. */
      exportAfterDays: z.number().min(0),
      /** Where exported history goes (`<archiveDir>/<ns>/…`), relative to the working directory unless absolute. */
      archiveDir: z.string().min(1),
    })
    .default({
      snapshotEveryEvents: 2_000,
      snapshotEveryMinutes: 30,
      positionStepMs: 10_000,
      retentionDays: 30,
      exportAfterDays: 0,
      archiveDir: 'data/history',
    }),
  /**
   * IoT sensing: how readings reach the log, and when alarms become cases (物联感知 → 立案). Optional in the file:
   * these defaults apply when it is left out.
   */
  sensors: z
    .object({
      /** A reading at the same level is logged at most once per sensor in this many world minutes. */
      logEveryMinutes: z
        .number()
        .positive()
        .max(24 * 60),
      /** An alarm that lasts this long becomes a case … */
      persistMinutes: z
        .number()
        .min(0)
        .max(24 * 60),
      /** … and so do this many alarms begun within `repeatWindowMinutes`. */
      repeatCount: z.number().int().min(2).max(64),
      repeatWindowMinutes: z
        .number()
        .positive()
        .max(7 * 24 * 60),
      urgency: Urgency,
      /** The category a sensor kind's case is filed under. */
      categories: z.record(
        SensorKind,
        z.object({ standard: CategoryStandard, code: z.string().regex(/^[0-9A-Za-z]{2,12}$/) }),
      ),
    })
    .default({
      logEveryMinutes: 10,
      persistMinutes: 10,
      repeatCount: 3,
      repeatWindowMinutes: 60,
      urgency: 'urgent',
      categories: {
        water_level: { standard: 'local', code: 'L0001' },
        noise: { standard: 'GB/T 47678.5-2026', code: '08001' },
        fume: { standard: 'GB/T 47678.5-2026', code: '06027' },
        dust: { standard: 'GB/T 47678.5-2026', code: '08004' },
        bike_count: { standard: 'GB/T 47678.5-2026', code: '09011' },
        dog_tag: { standard: 'local', code: 'L0003' },
      },
    }),
  /** 属地管理: when a case may be dispatched beyond its grid and district (protocol/jurisdiction.ts). Absent: no rule. */
  jurisdiction: JurisdictionRule.optional(),
  /** Photos as evidence (issue #16; docs/operations.md: photos). Optional in the file: these defaults apply. */
  photos: z
    .object({
      /** The store's folder (`<dir>/ab/<sha256>.<ext>`), relative to the working directory unless absolute. */
      dir: z.string().min(1),
      /** Largest upload, bytes; and most pixels (width × height, read from the header before decoding). */
      maxBytes: z
        .number()
        .int()
        .min(64 * 1024)
        .max(64 * 1024 * 1024),
      maxPixels: z.number().int().min(1_000_000).max(200_000_000),
      /** Photos uploaded longer ago than this that no open case references are deleted by the hourly sweep. */
      retentionDays: z.number().positive(),
    })
    .default({ dir: 'data/photos', maxBytes: 12 * 1024 * 1024, maxPixels: 40_000_000, retentionDays: 365 }),
});
export type SettingsFile = z.infer<typeof SettingsFile>;
export type SensorPolicy = SettingsFile['sensors'];
