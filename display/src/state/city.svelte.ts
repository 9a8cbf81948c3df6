import type { Case, GridMap, HubConfig, MajorEventInfo, Sensor } from '@egret/protocol';
import { I18n } from '../i18n/i18n.svelte.ts';
import type { Locale } from '../i18n/translate.ts';
import { boundsOf, type Boundaries } from '../map/boundaries.ts';
import type { Bbox } from '../map/view.ts';
import { THEME, type Rgba } from '../theme.ts';
import { CategoryIndex } from './categories.ts';
import { readingText } from './sensors.ts';

/**
 * The city as the hub's config describes it, in the screen's language: the same for the wall, the console and
 * replay. Nothing here follows the world; the grids arrive once, after boot.
 */
export class City {
  readonly i18n: I18n;
  readonly categories: CategoryIndex;
  readonly boundaries: Boundaries;
  readonly timeZone: string;
  /** What the map shows: the districts' outlines, or the city's nominal bbox without them. */
  readonly extent: Bbox;
  /** The major events the city guards (重大活动保障), from the hub's config; none without an events file. */
  readonly events: readonly MajorEventInfo[];
  /** The city's unit grids (`GET /api/map/grids`), fetched after boot; null until they arrive. */
  gridMap = $state.raw<GridMap | null>(null);

  constructor(
    readonly config: HubConfig,
    locale: Locale,
  ) {
    this.i18n = new I18n(locale);
    this.categories = new CategoryIndex(config.categories);
    this.boundaries = config.boundaries.geojson;
    this.timeZone = config.display.timezone || config.city.timezone;
    this.extent = boundsOf(this.boundaries) ?? config.city.bbox;
    this.events = config.events ?? [];
  }

  caseColor = (c: Case): Rgba => this.categories.color(c.category, THEME.caseUnknown);

  /** A district's name in the screen's language, or undefined for a code the config does not hold. */
  districtLabel = (code: string): string | undefined => {
    const d = this.config.city.districts.find((x) => x.code === code);
    return d && this.i18n.name(d.name);
  };

  districtName = (code: string): string => this.districtLabel(code) ?? this.i18n.t('district.unknown');

  /** A reading in words, as the map's labels and the alert rail show it. */
  readingOf = (s: Sensor): string => readingText(s, this.i18n);
}
