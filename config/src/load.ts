import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CategoriesFile, CityFile, SettingsFile } from './schema.ts';
import { NO_BASEMAP, parseBasemap, type LoadedBasemap } from './basemap.ts';
import { CategoryDictionary } from './categories.ts';
import { toWgs84 } from './crs.ts';
import type { GeoJsonFeatureCollection } from './geojson.ts';
import { readMajorEvents, type MajorEvent } from './major-events.ts';
import { loadCameras, type VideoConfig } from './cameras.ts';
import { jurisdictionPlanProblems, jurisdictionProblems } from './jurisdiction-check.ts';
import { loadPlans } from './plans.ts';
import type { InspectionPoint, PlanDef } from '@egret/protocol';

/** The config folder of this checkout. */
export const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A config file that is missing, not JSON, or not of its schema: the message names file, field and expectation. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface EgretConfig {
  dir: string;
  city: CityFile;
  /** District boundaries as GeoJSON in WGS-84 (converted at load), served to the display as the offline base map. */
  boundaries: GeoJsonFeatureCollection;
  categories: CategoryDictionary;
  settings: SettingsFile;
  /** Major events the city guards (`cities/<city>/events.json`; empty without one). */
  events: MajorEvent[];
  /** The city's tile base map (`cities/<city>/basemap.json`; none without one). */
  basemap: LoadedBasemap;
  /** The video platform: its origins, the walls' window limit and the configured cameras (`cameras.json`). */
  video: VideoConfig;
  /** The command manual's plans (`plans/*.json`, issue #17); empty without any. */
  plans: PlanDef[];
  /** The city's point sets (`cities/<city>/points/*.json`) by set id, every point's grid filled. */
  pointSets: Map<string, InspectionPoint[]>;
}

function readJson(file: string, dir: string): unknown {
  const shown = relative(resolve(dir, '..'), file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${shown}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${shown}: is not valid JSON (${(err as Error).message})`);
  }
}

/** Reads and validates one config file; throws `ConfigError` naming the file and every bad key path. */
export function parseConfigFile<S extends z.ZodType>(schema: S, file: string, dir: string): z.infer<S> {
  const result = schema.safeParse(readJson(file, dir));
  if (result.success) return result.data;
  const shown = relative(resolve(dir, '..'), file);
  const lines = result.error.issues.map((i) => `${shown}: ${formatPath(i.path)} ${i.message}`);
  throw new ConfigError(lines.join('\n'));
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/**
 * Reads and validates the whole config of one city. Throws `ConfigError` naming every bad key path, so a bad
 * config stops the process at boot with one readable message.
 */
export function loadConfig(options: { dir?: string; city?: string } = {}): EgretConfig {
  const dir = options.dir ?? CONFIG_DIR;
  const cityId = options.city ?? 'xiamen';
  const cityDir = join(dir, 'cities', cityId);
  const city = parseConfigFile(CityFile, join(cityDir, 'city.json'), dir);
  const boundaries = readJson(join(cityDir, city.boundaries.file), dir) as GeoJsonFeatureCollection;
  if (boundaries?.type !== 'FeatureCollection' || !Array.isArray(boundaries.features)) {
    throw new ConfigError(
      `${relative(resolve(dir, '..'), join(cityDir, city.boundaries.file))}: must be a GeoJSON FeatureCollection`,
    );
  }
  // Everything inside Egret is WGS-84: boundary data drawn on GCJ-02 (most Chinese sources) is converted once here.
  const boundariesWgs84 = toWgs84(boundaries, city.boundaries.crs);
  const categoriesFile = parseConfigFile(CategoriesFile, join(dir, 'categories.json'), dir);
  const settings = parseConfigFile(SettingsFile, join(dir, 'settings.json'), dir);
  const majors = readMajorEvents(dir, cityId, new Set(Object.keys(categoriesFile.groups)));
  if (majors.problems.length) throw new ConfigError(majors.problems.join('\n'));
  const categories = new CategoryDictionary(categoriesFile, majors.events);
  const unknown = Object.entries(settings.sensors.categories)
    .filter(([, ref]) => !categories.ref(ref.standard, ref.code))
    .map(
      ([kind, ref]) =>
        `config/settings.json: sensors.categories.${kind} names ${ref.standard} ${ref.code}, which is not in config/categories.json`,
    );
  if (unknown.length) throw new ConfigError(unknown.join('\n'));
  const jurisdiction = settings.jurisdiction
    ? jurisdictionProblems(
        settings.jurisdiction,
        city.districts.map((d) => d.code),
      )
    : [];
  if (jurisdiction.length) throw new ConfigError(jurisdiction.join('\n'));
  const video = loadCameras({ dir, city: cityId, bbox: city.bbox });
  const basemapFile = join(cityDir, 'basemap.json');
  const basemap = existsSync(basemapFile)
    ? parseBasemap(readJson(basemapFile, dir), relative(resolve(dir, '..'), basemapFile), cityDir)
    : { basemap: NO_BASEMAP, problems: [] };
  if (basemap.problems.length) throw new ConfigError(basemap.problems.join('\n'));
  const { plans, pointSets } = loadPlans(dir, cityId, {
    city,
    categories,
    eventIds: new Set(majors.events.map((e) => e.id)),
  });
  const planLevels = settings.jurisdiction ? jurisdictionPlanProblems(settings.jurisdiction, plans) : [];
  if (planLevels.length) throw new ConfigError(planLevels.join('\n'));
  return {
    dir,
    city,
    boundaries: boundariesWgs84,
    categories,
    settings,
    events: majors.events,
    video,
    basemap: basemap.basemap,
    plans,
    pointSets,
  };
}
