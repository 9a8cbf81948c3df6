import type { KpiFigures, KpiReport } from '@egret/protocol';
import { formatCount } from '../i18n/format.ts';
import type { Locale, MessageKey, MessageParams } from '../i18n/translate.ts';
import { THEME } from '../theme.ts';

/** One figure of the KPI strip: today's value, and yesterday's beside it. */
export interface KpiTile {
  key: string;
  label: string;
  value: string;
  /** Yesterday's value, worded ("昨日 1,204"). */
  previous: string;
  /** CSS colour of the number. */
  tone?: string;
}

/** Shown for a figure the hub has not reported yet, or a rate with nothing to divide by. */
export const NO_VALUE = '—';

/** A ratio as a percentage with one decimal (0.99934 → 99.9%); null → "—". */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return NO_VALUE;
  return `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

interface Figure {
  key: keyof KpiFigures;
  label: MessageKey;
  rate?: boolean;
  tone?: (f: KpiFigures) => string | undefined;
}

/** The eight figures of the strip, in reading order: the case loop's counts, then its two rates, then 超期. */
const FIGURES: readonly Figure[] = [
  { key: 'reported', label: 'kpi.reported' },
  { key: 'filed', label: 'kpi.filed' },
  { key: 'dispatched', label: 'kpi.dispatched' },
  { key: 'inProgress', label: 'kpi.inProgress', tone: () => THEME.warning },
  { key: 'closed', label: 'kpi.closed', tone: () => THEME.live },
  { key: 'closureRate', label: 'kpi.closureRate', rate: true },
  { key: 'onTimeClosureRate', label: 'kpi.onTimeClosureRate', rate: true },
  { key: 'overdueOpen', label: 'kpi.overdue', tone: (f) => (f.overdueOpen > 0 ? THEME.danger : undefined) },
];

/** 跨区派遣率 (属地管理): the console's ninth tile; amber once more than one task in five leaves its district. */
const CROSS_DISTRICT: Figure = {
  key: 'crossDistrictRate',
  label: 'kpi.crossDistrictRate',
  rate: true,
  tone: (f) => ((f.crossDistrictRate ?? 0) > 0.2 ? THEME.warning : undefined),
};

/**
 * The KPI strip from the hub's report: today's cohort beside yesterday's for each figure. Values are the hub's
 * (the same fold as replay), never recounted here; before the first report every figure reads "—".
 */
export function kpiTiles(
  report: KpiReport | null,
  locale: Locale,
  t: (key: MessageKey, params?: MessageParams) => string,
  /** `crossDistrict`: add 跨区派遣率 (the console; the wall keeps its eight). */
  options: { crossDistrict?: boolean } = {},
): KpiTile[] {
  const show = (f: KpiFigures | undefined, fig: Figure): string => {
    if (!f) return NO_VALUE;
    const v = f[fig.key];
    if (fig.rate) return formatRate(v);
    return typeof v === 'number' ? formatCount(v, locale) : NO_VALUE;
  };
  const today = report?.today.city;
  const yesterday = report?.yesterday.city;
  return (options.crossDistrict ? [...FIGURES, CROSS_DISTRICT] : FIGURES).map((fig) => {
    const tone = today && fig.tone ? fig.tone(today) : undefined;
    return {
      key: fig.key,
      label: t(fig.label),
      value: show(today, fig),
      previous: t('kpi.yesterday', { value: show(yesterday, fig) }),
      ...(tone ? { tone } : {}),
    };
  });
}
