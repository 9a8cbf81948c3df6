import type { Case, GridMap, HubConfig } from '@egret/protocol';
import { I18n } from '../i18n/i18n.svelte.ts';
import type { Locale } from '../i18n/translate.ts';
import { boundsOf, type Boundaries } from '../map/boundaries.ts';
import type { Bbox } from '../map/view.ts';
import { CategoryIndex } from '../state/categories.ts';
import { THEME, type Rgba } from '../theme.ts';

/** What replay needs of the city's config: the same dictionary, map and language as the live screens. */
export class ReplayContext {
  readonly i18n: I18n;
  readonly categories: CategoryIndex;
  readonly boundaries: Boundaries;
  readonly extent: Bbox;
  readonly timeZone: string;
  /** The city's unit grids (`GET /api/map/grids`), fetched after boot; null until they arrive. */
  gridMap = $state.raw<GridMap | null>(null);

  constructor(readonly config: HubConfig, locale: Locale) {
    this.i18n = new I18n(locale);
    this.categories = new CategoryIndex(config.categories);
    this.boundaries = config.boundaries.geojson;
    this.extent = boundsOf(this.boundaries) ?? config.city.bbox;
    this.timeZone = config.display.timezone || config.city.timezone;
  }

  caseColor = (c: Case): Rgba => this.categories.color(c.category, THEME.caseUnknown);

  districtName = (code: string): string => {
    const d = this.config.city.districts.find((x) => x.code === code);
    return d ? this.i18n.name(d.name) : this.i18n.t('district.unknown');
  };
}
