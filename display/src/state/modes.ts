import type { Mode } from '@egret/protocol';

/**
 * What each posture of the command centre (平战一体: one system for peacetime and wartime) leads with: which map
 * layers are on, which panels come first, which category groups head the breakdown, and how the league tables
 * rank. The mode itself comes from the world (`mode.changed`); switching it changes only what is shown, never
 * reloads anything.
 */

/** Map layers that can be switched on and off (the district base map is always drawn). */
export const LAYER_KEYS = ['heat', 'cases', 'overdue', 'pulse', 'units', 'trail', 'labels'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

/** The wall's panels, by the `data-panel` name each carries. The alert rail and the title bar are always shown. */
export const PANEL_KEYS = ['kpi', 'breakdown', 'units', 'districts', 'squads', 'tasks', 'feed'] as const;
export type PanelKey = (typeof PANEL_KEYS)[number];

/** League-table orderings (问题晾晒): best first by 按期结案率, by 结案数, or by fewest 超期未处置. */
export type RankKey = 'onTimeRate' | 'closed' | 'overdue';

export interface ModeProfile {
  /** Layers on unless the layer switches say otherwise. */
  layers: readonly LayerKey[];
  /** Every panel, most important first: the layout deals them into columns in this order. */
  panels: readonly PanelKey[];
  /** Category groups (config ids) that head the breakdown, in this order; the rest follow by count. */
  leadGroups: readonly string[];
  rankBy: RankKey;
  /** The alert rail grows and takes the eye first (wartime). */
  alertsLead: boolean;
}

const EVERYDAY: readonly LayerKey[] = ['cases', 'overdue', 'pulse', 'units', 'trail', 'labels'];

export const MODE_PROFILES: Readonly<Record<Mode, ModeProfile>> = {
  // The closed loop of everyday cases: what came in today, who is behind (问题晾晒), who is out there.
  peacetime: {
    layers: EVERYDAY,
    panels: ['kpi', 'breakdown', 'units', 'districts', 'squads', 'tasks', 'feed'],
    leadGroups: [],
    rankBy: 'onTimeRate',
    alertsLead: false,
  },
  // 防台: where it is hitting (heat), what is urgent (alerts), the response in the field; fallen trees, cables,
  // flooding and drains first. League tables rank by what is overdue.
  typhoon: {
    layers: ['heat', ...EVERYDAY],
    panels: ['kpi', 'units', 'tasks', 'breakdown', 'feed', 'districts', 'squads'],
    leadGroups: ['emergency', 'greenery', 'municipal', 'traffic', 'other'],
    rankBy: 'overdue',
    alertsLead: true,
  },
  // 重大活动保障: street order around the venues (vending, parking, ads, litter). The venue perimeter comes later.
  major_event: {
    layers: ['heat', ...EVERYDAY],
    panels: ['kpi', 'breakdown', 'tasks', 'feed', 'units', 'districts', 'squads'],
    leadGroups: ['street', 'ads', 'environment', 'sanitation'],
    rankBy: 'onTimeRate',
    alertsLead: false,
  },
};

/** The profile of a mode (peacetime for a mode this display does not know yet). */
export function modeProfile(mode: Mode | string): ModeProfile {
  return MODE_PROFILES[mode as Mode] ?? MODE_PROFILES.peacetime;
}

/**
 * Which layers are visible: the switched-on set when someone chose one (the console, or `?layers=` on the URL),
 * otherwise the mode's defaults.
 */
export function visibleLayers(mode: Mode | string, chosen: ReadonlySet<LayerKey> | null): Record<LayerKey, boolean> {
  const on = chosen ?? new Set(modeProfile(mode).layers);
  return Object.fromEntries(LAYER_KEYS.map((k) => [k, on.has(k)])) as Record<LayerKey, boolean>;
}

/**
 * The layers named in a URL's `layers` parameter (`?layers=heat,units`), or null when there is none. Unknown names
 * are ignored; `?layers=` (empty) means "no optional layer", which is a choice too.
 */
export function layersFromQuery(search: string): Set<LayerKey> | null {
  const raw = new URLSearchParams(search).get('layers');
  if (raw === null) return null;
  const known = new Set<string>(LAYER_KEYS);
  return new Set(raw.split(',').map((s) => s.trim()).filter((s): s is LayerKey => known.has(s)));
}

/** Group ids in display order for a mode: its lead groups first (those that exist), then the rest as given. */
export function orderGroups(groupIds: readonly string[], mode: Mode | string): string[] {
  const lead = modeProfile(mode).leadGroups.filter((g) => groupIds.includes(g));
  return [...lead, ...groupIds.filter((g) => !lead.includes(g))];
}
