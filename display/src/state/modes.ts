import { MapLayer, type Mode } from '@egret/protocol';
import { visibilityOf } from '../map/layers/wall-overlays.ts';

/**
 * What each posture of the command centre (平战一体: one system for peacetime and wartime) leads with: which map
 * layers are on, which panels come first, which category groups head the breakdown, and how the league tables
 * rank. The mode itself comes from the world (`mode.changed`); switching it changes only what is shown, never
 * reloads anything.
 */

/**
 * Map layers that can be switched on and off (the district base map is always drawn). `storm` is the typhoon's
 * track, forecast cone, wind circles and the districts under its damaging winds; `sensors` the IoT sensors;
 * `perimeters`, `venues` and `posts` a major event's security perimeters, venues, and fixed posts with the units
 * off them (drawn while the event is on, or in major_event mode); `grid` the unit grids (单元网格) as hairlines.
 */
export const LAYER_KEYS = MapLayer.options;
export type LayerKey = MapLayer;

/**
 * The wall's panels, by the `data-panel` name each carries. The alert rail and the title bar are always shown; the
 * plan panel only while a plan is in force, the 流动红旗 ranking (`ranking`) and the construction sites' compliance
 * (`sites`) only while there is a campaign's work to show (`wallPanels`).
 */
export const PANEL_KEYS = [
  'kpi',
  'breakdown',
  'units',
  'districts',
  'squads',
  'tasks',
  'feed',
  'plan',
  'ranking',
  'sites',
] as const;
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
  /**
   * Every water-level gauge carries its reading on the map, not only those at warning or alarm: in a typhoon the
   * commander watches the water rise before it crosses a threshold.
   */
  labelAllGauges: boolean;
}

/**
 * On in every mode. The storm layers draw nothing while no storm is reported, and when one is, the wall should
 * show it whatever its posture: the met bureau's blue signal comes a day or two before landfall, while the centre
 * is still in peacetime, and the picture of the storm is what the commander decides the switch to wartime on.
 * Sensors are everyday equipment (noise at building sites, fumes at restaurants, bike counts, dog tags). The
 * event layers likewise draw nothing unless a major event is on (or the wall is in major_event mode), and while
 * one is its perimeters hold tighter deadlines whatever the wall's posture.
 */
const EVERYDAY: readonly LayerKey[] = [
  'cases',
  'overdue',
  'pulse',
  'units',
  'trail',
  'labels',
  'storm',
  'sensors',
  'perimeters',
  'venues',
  'posts',
];
/** The major event's own layers, which its mode leads with. */
const EVENT_LAYERS: readonly LayerKey[] = ['perimeters', 'posts', 'venues'];
/**
 * The active plan's points (issue #17: the round's points by state, pre-position targets, units on their way). On in
 * every mode: they draw nothing while no plan is in force, and while one is its points are the work it orders.
 */
const PLAN_LAYERS: readonly LayerKey[] = ['plan'];
/*
 * The unit grids (网格化管理: each case in its cell) are off by default in every mode, switched on from the console
 * when the room works by cells: at city zoom 7,700 hairlines are a texture that competes with the cases, and in a
 * typhoon or a guard they blur the storm's and the event's areas. They also cost on software GL (the test machines,
 * a wall PC without a GPU): drawn as one ring per cell they took seconds a frame there; now ~400 merged lattice
 * runs (`grid-lines.ts`), cheaper, but every frame of every wall still pays for them. A case put on the wall
 * outlines its own cell in every mode. The cameras (`cameras`: the video platform's, a few dozen to thousands of ▶)
 * are off by default too: the wall shows the cameras a console put on it as video windows, and the layer when asked.
 */
export const MODE_PROFILES: Readonly<Record<Mode, ModeProfile>> = {
  // The closed loop of everyday cases: what came in today, who is behind (问题晾晒), who is out there.
  peacetime: {
    layers: [...EVERYDAY, ...PLAN_LAYERS],
    panels: ['kpi', 'breakdown', 'units', 'districts', 'squads', 'tasks', 'feed', 'plan', 'ranking', 'sites'],
    leadGroups: [],
    rankBy: 'onTimeRate',
    alertsLead: false,
    labelAllGauges: false,
  },
  // 防台: where it is hitting (heat), what is urgent (alerts), the response in the field; fallen trees, cables,
  // flooding and drains first. League tables rank by what is overdue. The storm and the sensors lead the map: the
  // storm legend, every gauge's water level labelled, the signal and the landfall countdown in the title bar.
  typhoon: {
    layers: ['storm', 'sensors', 'heat', ...PLAN_LAYERS, ...EVERYDAY.filter((k) => k !== 'storm' && k !== 'sensors')],
    panels: ['kpi', 'plan', 'units', 'tasks', 'breakdown', 'feed', 'districts', 'squads', 'ranking', 'sites'],
    leadGroups: ['emergency', 'greenery', 'municipal', 'traffic', 'other'],
    rankBy: 'overdue',
    alertsLead: true,
    labelAllGauges: true,
  },
  // 重大活动保障: the perimeters, the posts and the venues lead the map; the guard's alarms (a unit off its post, an
  // overdue case inside a perimeter) lead the alert rail, which grows; street order around the venues (vending,
  // parking, ads, litter) heads the breakdown.
  major_event: {
    layers: [...EVENT_LAYERS, 'heat', ...PLAN_LAYERS, ...EVERYDAY.filter((k) => !EVENT_LAYERS.includes(k))],
    panels: ['kpi', 'plan', 'breakdown', 'tasks', 'feed', 'units', 'districts', 'squads', 'ranking', 'sites'],
    leadGroups: ['street', 'ads', 'environment', 'sanitation'],
    rankBy: 'onTimeRate',
    alertsLead: true,
    labelAllGauges: false,
  },
  // 文明创建: the assessment points of the day's round lead the map (to check, overdue, passed, a problem found) and
  // the plan panel leads the panels; street order, ads and sanitation head the breakdown (what the assessors mark
  // down); districts are ranked by 按期结案率, as the assessment does.
  civilised_city: {
    layers: [...PLAN_LAYERS, ...EVERYDAY],
    panels: ['kpi', 'plan', 'ranking', 'districts', 'breakdown', 'tasks', 'squads', 'feed', 'units', 'sites'],
    leadGroups: ['street', 'environment', 'ads', 'sanitation'],
    rankBy: 'onTimeRate',
    alertsLead: false,
    labelAllGauges: false,
  },
  // 环保督察: construction sites and restaurants of the round, the dust, noise and fume sensors, and the heat of
  // complaints lead the map; the inspectors' cases run on strict deadlines, so the tables rank by what is overdue.
  environmental: {
    layers: [...PLAN_LAYERS, 'sensors', 'heat', ...EVERYDAY.filter((k) => k !== 'sensors')],
    panels: ['kpi', 'plan', 'sites', 'breakdown', 'tasks', 'districts', 'feed', 'squads', 'units', 'ranking'],
    leadGroups: ['construction', 'environment', 'sanitation'],
    rankBy: 'overdue',
    alertsLead: false,
    labelAllGauges: false,
  },
};

/** Which of the panels that come and go have something to show (issue #17). */
export interface PanelsShown {
  /** A plan is in force. */
  plan: boolean;
  /** Assessment points were inspected today and the wall is in 文明创建 mode: the district ranking has a day to rank. */
  ranking?: boolean;
  /** Construction sites are inspected and the wall is in 环保督察 mode: their compliance has something to say. */
  sites?: boolean;
}

/** The panels a wall deals into its columns: the mode's, without those that have nothing to show now. */
export function wallPanels(profile: ModeProfile, shown: boolean | PanelsShown): PanelKey[] {
  const s = typeof shown === 'boolean' ? { plan: shown } : shown;
  return profile.panels.filter(
    (p) => (p !== 'plan' || s.plan) && (p !== 'ranking' || !!s.ranking) && (p !== 'sites' || !!s.sites),
  );
}

/** The profile of a mode (peacetime for a mode this display does not know yet). */
export function modeProfile(mode: Mode | string): ModeProfile {
  return MODE_PROFILES[mode as Mode] ?? MODE_PROFILES.peacetime;
}

/**
 * Which layers are visible: the switched-on set when someone chose one (the console, or `?layers=` on the URL),
 * otherwise the mode's defaults.
 */
export function visibleLayers(mode: Mode | string, chosen: ReadonlySet<LayerKey> | null): Record<LayerKey, boolean> {
  return visibilityOf(chosen ?? new Set(modeProfile(mode).layers));
}

/** The layers on after flipping `key` in what is visible now, in the order of `LAYER_KEYS` (a console's switch). */
export function withLayerToggled(visible: Readonly<Record<LayerKey, boolean>>, key: LayerKey): LayerKey[] {
  return LAYER_KEYS.filter((k) => (k === key ? !visible[k] : visible[k]));
}

/**
 * The layers named in a URL's `layers` parameter (`?layers=heat,units`), or null when there is none. Unknown names
 * are ignored; `?layers=` (empty) means "no optional layer", which is a choice too.
 */
export function layersFromQuery(search: string): Set<LayerKey> | null {
  const raw = new URLSearchParams(search).get('layers');
  if (raw === null) return null;
  const known = new Set<string>(LAYER_KEYS);
  return new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is LayerKey => known.has(s)),
  );
}

/** Group ids in display order for a mode: its lead groups first (those that exist), then the rest as given. */
export function orderGroups(groupIds: readonly string[], mode: Mode | string): string[] {
  const lead = modeProfile(mode).leadGroups.filter((g) => groupIds.includes(g));
  return [...lead, ...groupIds.filter((g) => !lead.includes(g))];
}
