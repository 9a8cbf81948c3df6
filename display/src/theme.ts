import type { SensorLevel, SignalLevel, UnitStatus, UnitType, Urgency } from '@egret/protocol';

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
    /**
     * Unit grid lines (单元网格): the district edge's blue, faint enough to read as a texture at city zoom (a 500 m
     * cell is ~9 px there) and as cells once the wall zooms to a case, never over the data.
     */
    gridLine: [120, 210, 255, 56] as Rgba,
    /** The selected case's own cell: white like the selection ring, the brightest line on the base map. */
    gridSelected: [255, 255, 255, 230] as Rgba,
    gridSelectedGlow: [76, 195, 255, 90] as Rgba,
    label: [214, 232, 255, 255] as Rgba,
    labelHalo: [5, 12, 24, 255] as Rgba,
    unitEdge: [240, 248, 255, 255] as Rgba,
    /** A stale unit loses its white ring: grey on grey reads as "not live" from across the room. */
    unitStaleEdge: [60, 66, 78, 255] as Rgba,
    /** A unit on a live field terminal (a phone in the street, issue #16): a cyan ring instead of the white one. */
    unitTerminalEdge: [0, 229, 255, 255] as Rgba,
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
  unitRadius: { enforcement: 8, inspector: 7, sanitation: 7, emergency: 10, vehicle: 10, drone: 7 } satisfies Record<
    UnitType,
    number
  >,
  unitStaleRadius: 6,
  caseRadius: { normal: 9, urgent: 12, critical: 16 } satisfies Record<Urgency, number>,
  caseRing: { normal: 3, urgent: 4, critical: 5 } satisfies Record<Urgency, number>,
  caseFillAlpha: 90,
  labelSize: 46,

  /**
   * Typhoon warning signals (台风预警信号) in their official colours; yellow takes dark text. `none` is drawn grey
   * (a storm is tracked, no signal is in force).
   */
  signal: {
    none: { background: '#334155', text: '#e2e8f0' },
    blue: { background: '#1d4ed8', text: '#ffffff' },
    yellow: { background: '#facc15', text: '#111827' },
    orange: { background: '#f97316', text: '#111827' },
    red: { background: '#dc2626', text: '#ffffff' },
  } satisfies Record<SignalLevel, { background: string; text: string }>,

  storm: {
    /**
     * Track colours by intensity class (GB/T 19201 热带气旋等级), in the order Chinese typhoon maps use: green for a
     * depression up to red for a super typhoon.
     */
    intensity: {
      td: [74, 222, 128, 255],
      ts: [56, 189, 248, 255],
      sts: [250, 204, 21, 255],
      ty: [251, 146, 60, 255],
      sty: [244, 114, 182, 255],
      superty: [239, 68, 68, 255],
    } as Record<'td' | 'ts' | 'sts' | 'ty' | 'sty' | 'superty', Rgba>,
    /** Force-7, 10 and 12 wind circles: edge and a faint fill, so the city stays readable under three of them. */
    radii: {
      r7: { line: [250, 204, 21, 230] as Rgba, fill: [250, 204, 21, 16] as Rgba },
      r10: { line: [249, 115, 22, 245] as Rgba, fill: [249, 115, 22, 24] as Rgba },
      r12: { line: [239, 68, 68, 255] as Rgba, fill: [239, 68, 68, 32] as Rgba },
    },
    cone: { fill: [226, 232, 240, 34] as Rgba, line: [226, 232, 240, 150] as Rgba },
    forecast: [241, 245, 249, 220] as Rgba,
    centre: [255, 255, 255, 255] as Rgba,
    /** Districts inside the force-10 (damaging-wind) circle. */
    damage: { fill: [239, 68, 68, 34] as Rgba, line: [251, 113, 133, 255] as Rgba },
    labelSize: 40,
  },

  /** IoT sensors: violet like the alert rail's 物联 cards while normal, then amber and red. */
  sensorLevel: {
    normal: [167, 139, 250, 255],
    warning: [251, 191, 36, 255],
    alarm: [239, 68, 68, 255],
  } satisfies Record<SensorLevel, Rgba>,
  /**
   * Sensor marker glyph sizes (pixels at the wall's scale; a glyph fills about half its size): water-level gauges
   * lead in a typhoon; the other kinds number in the hundreds and stay small.
   */
  sensorSize: { water_level: 64, other: 40 },
  sensorLabelSize: 34,

  /** The overview (鹰眼): its backdrop (the sea) and the outline of what the main map shows, white to read on any fill. */
  overview: {
    sea: [4, 13, 28, 255] as Rgba,
    frame: [255, 255, 255, 255] as Rgba,
  },

  /**
   * Major events (重大活动保障): perimeters in gold, faintly filled so the cases inside stay readable; venues as pale
   * gold stars; posts ringed green while held, amber while one of their units is away, red when all are, grey
   * unmanned; a unit off its post in red, the loudest mark on the map.
   */
  event: {
    perimeter: { fill: [250, 204, 21, 34] as Rgba, line: [250, 204, 21, 240] as Rgba },
    venue: [254, 240, 138, 255] as Rgba,
    /** The star glyph fills about two thirds of its size: small enough to leave a 2 km perimeter's outline in view. */
    venueSize: 44,
    /** Venue names and off-post labels: as large as the rest of the map's words that fit beside the island's coast. */
    labelSize: 36,
    post: {
      held: [34, 197, 94, 255],
      partly: [245, 158, 11, 255],
      left: [239, 68, 68, 255],
      unmanned: [148, 163, 184, 255],
    } as Record<'held' | 'partly' | 'left' | 'unmanned', Rgba>,
    postFillAlpha: 60,
    /** Pixels: a 200 m post is six pixels across Xiamen's map on the 4K wall; its ring is drawn at least this big. */
    postMinRadius: 13,
    offPost: {
      disc: [239, 68, 68, 80] as Rgba,
      line: [248, 113, 113, 255] as Rgba,
      text: [255, 255, 255, 255] as Rgba,
      /** The plate under a stray's label. */
      plate: [153, 27, 27, 240] as Rgba,
    },
  },
} as const;

/** `[r, g, b]` or `[r, g, b, a]` as a CSS colour. */
export function cssColor([r, g, b, a = 255]: readonly number[]): string {
  return `rgba(${r}, ${g}, ${b}, ${(a! / 255).toFixed(3)})`;
}
