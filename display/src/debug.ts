import type { FirstDrawEnd } from './map/draw-hold.ts';

/** Counters the debug hook reports that live outside any store. */
export const debugCounters = {
  /** Deck instances created since the page loaded (with `?map=off`, stand-ins: map/no-canvas.ts): must stay 1 for the life of a wall. */
  deckCount: 0,
  /** Frames the Deck has drawn: a quiet city (no fixes, no changes) should not be redrawn at all. */
  redraws: 0,
  /** What the map's last draw cost (ms, until the page was free again): what paces the next one (map/draw-pacer.ts). */
  drawMs: 0,
  /** The fraction of its device pixels the map draws at (map/resolution.ts): below 1 while draws are slow. */
  resolution: 1,
  /**
   * Draws that showed names laid out for another view than the one drawn (the decluttered names layers record the
   * view they were laid out for, `laidOutFor`; map/layout-before-draw.ts): a name in the wrong place for a frame.
   * Stays 0. The other layers that follow the view (zoom detail, unit cells) record none.
   */
  staleLayouts: 0,
  /**
   * What ended the map's first-draw hold (map/draw-hold.ts): 'state' — the screen's first state arrived;
   * 'timeout' — none within `FIRST_DRAW_HOLD_MS`; 'timeout-after-state' — the state had arrived but the hold still
   * waited its time out (the release on the state is broken: a wall that draws seconds late); 'not-held' — the map
   * began with the state already in (no hold). null: still held, or no map.
   */
  firstDrawHold: null as FirstDrawEnd | null,
  /** When that hold ended (performance.now() ms); null: still held, or no map. */
  firstDrawHeldUntil: null as number | null,
  /** Dots the units layer drew last, when it gathers units into screen cells (map/unit-cells.ts); else null. */
  unitDots: null as number | null,
  /** Points the heat spread last, when it gathers cases into cells (map/heat-bins.ts); else null. */
  heatPoints: null as number | null,
  /** Pictures of the heat worked out since the page loaded (map/heat-image.ts): one per new cells, view or rested zoom. */
  heatPictures: 0,
};

/** What the map tells of one of its layers (`MapProbe.layers`). */
export interface MapLayerFacts {
  id: string;
  length: number;
  visible: boolean;
  loaded: boolean;
}

/** What the map lets tests ask of the one Deck. */
export interface MapProbe {
  /**
   * Each layer's id, row count, whether it is drawn (switched-off layers stay in the stack, hidden), and whether it
   * has loaded all it shows (deck.gl's `isLoaded`: a base map's tiles of the view fetched and decoded; false with
   * `?map=off`).
   */
  layers(): MapLayerFacts[];
  /**
   * The same of the last frame drawn, `loaded` as it was when drawn. A map on software GL takes new layers only every few seconds
   * (map/draw-pacer.ts), so the layers handed over may not be on the screen yet; with `?map=off` nothing is drawn.
   */
  drawnLayers(): MapLayerFacts[];
  /**
   * The topmost pickable object at a point of the map canvas (CSS pixels of the canvas), of the given layers or of
   * any, and its id if it has one.
   */
  pick(x: number, y: number, layerIds?: string[]): { layer: string; index: number; id: string | null } | null;
  /** Canvas pixel of a longitude/latitude in the current view. */
  project(lon: number, lat: number): [number, number];
  /** The Deck's views (the map, and the overview while shown): where each is in the canvas and what it frames. */
  views(): {
    id: string;
    x: number;
    y: number;
    width: number;
    height: number;
    bounds: [number, number, number, number];
  }[];
  /** What each view framed in the last frame drawn (`views` tells what they frame now: the camera is not paced). */
  drawnViews(): { id: string; bounds: [number, number, number, number] }[];
  /** The map canvas's box in page pixels. */
  canvasBox(): { x: number; y: number; width: number; height: number };
}

let probe: MapProbe | null = null;

export function registerMapProbe(p: MapProbe | null): void {
  probe = p;
}

export function mapProbe(): MapProbe | null {
  return probe;
}
