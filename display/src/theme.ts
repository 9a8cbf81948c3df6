import type { UnitStatus, UnitType, Urgency } from '@egret/protocol';

/** RGBA, 0–255: deck.gl's colour format. */
export type Rgba = [number, number, number, number];

/**
 * The wall's look: a dark room, a dark map, bright data. Sizes are for the 3840×2160 wall read from 5 m;
 * the console (1920×1080) scales them by `scale`.
 */
export const THEME = {
  font: '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif',
  numericFont: '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace',
  page: '#050a14',
  panel: '#0b1628',
  panelEdge: '#1d3557',
  sea: '#07162b',
  text: '#e6f0ff',
  textDim: '#8fa6c4',
  accent: '#4cc3ff',
  live: '#22c55e',
  warning: '#f59e0b',
  danger: '#ef4444',

  map: {
    /** District fills alternate between these so neighbours stay apart without a legend. */
    districtFills: [
      [22, 44, 78, 255],
      [17, 36, 64, 255],
      [28, 52, 88, 255],
    ] as Rgba[],
    districtGlow: [76, 195, 255, 70] as Rgba,
    districtEdge: [120, 210, 255, 255] as Rgba,
    label: [214, 232, 255, 255] as Rgba,
    labelHalo: [5, 12, 24, 255] as Rgba,
    unitEdge: [240, 248, 255, 255] as Rgba,
    /** A stale unit loses its white ring: grey on grey reads as "not live" from across the room. */
    unitStaleEdge: [60, 66, 78, 255] as Rgba,
  },

  unitStatus: {
    available: [52, 211, 153, 255],
    dispatched: [250, 204, 21, 255],
    en_route: [251, 146, 60, 255],
    on_scene: [244, 114, 182, 255],
    off_duty: [71, 105, 150, 255],
    offline: [150, 156, 166, 255],
  } satisfies Record<UnitStatus, Rgba>,
  /** A unit whose position is too old, or that the hub knows nothing about: grey, and smaller. */
  unitStale: [150, 156, 166, 255] as Rgba,
  /** Case colour when its category has no group in the dictionary. */
  caseUnknown: [170, 180, 200, 255] as Rgba,

  /** Dot radii in pixels at the wall's scale. */
  unitRadius: { enforcement: 8, inspector: 7, sanitation: 7, emergency: 10, vehicle: 10, drone: 7 } satisfies Record<UnitType, number>,
  unitStaleRadius: 6,
  caseRadius: { normal: 9, urgent: 12, critical: 16 } satisfies Record<Urgency, number>,
  caseRing: { normal: 3, urgent: 4, critical: 5 } satisfies Record<Urgency, number>,
  caseFillAlpha: 90,
  labelSize: 46,
} as const;

/** `[r, g, b]` or `[r, g, b, a]` as a CSS colour. */
export function cssColor([r, g, b, a = 255]: readonly number[]): string {
  return `rgba(${r}, ${g}, ${b}, ${(a! / 255).toFixed(3)})`;
}
