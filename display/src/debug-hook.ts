import { debugCounters, mapProbe, type MapProbe } from './debug.ts';
import type { FirstDrawEnd } from './map/draw-hold.ts';
import type { ScreenState } from './state/screen.svelte.ts';

/** `window.__egret`: read-only facts for end-to-end tests and for an operator at the console. */
export interface EgretDebug {
  readonly deckCount: number;
  readonly redraws: number;
  /** What the map's last draw cost (ms): a wall without a GPU pauses in proportion before its next one. */
  readonly drawMs: number;
  /** The fraction of its device pixels the map draws at: below 1 while draws are slow (map/resolution.ts). */
  readonly resolution: number;
  /** Draws that showed names laid out for another view than the one drawn (stays 0; map/layout-before-draw.ts). */
  readonly staleLayouts: number;
  /**
   * What ended the map's first-draw hold: 'state' (the first state), 'timeout', 'timeout-after-state' (a fault),
   * 'not-held' (no hold: the state was in first); null: still held, or no map.
   */
  readonly firstDrawHold: FirstDrawEnd | null;
  /** When that hold ended (performance.now() ms, the page's clock: Resource Timing's too); null: still held. */
  readonly firstDrawHeldUntil: number | null;
  /** Dots the units layer drew last when it gathers units into screen cells (map/unit-cells.ts); null: one per unit. */
  readonly unitDots: number | null;
  /** Points the heat spread last when it gathers cases into cells (map/heat-bins.ts); null: one per case. */
  readonly heatPoints: number | null;
  /** Pictures of the heat worked out since the page loaded (not per frame: per new cells, view or rested zoom). */
  readonly heatPictures: number;
  readonly seq: number;
  readonly caseCount: number;
  readonly unitCount: number;
  /** Storms the wall draws (reported within the last day) and sensors it knows. */
  readonly stormCount: number;
  readonly sensorCount: number;
  /** The major event shown (on now, or in major_event mode the next or last), and the units off its posts. */
  readonly eventId: string | null;
  readonly offPostUnits: readonly string[];
  /** Slots with a fix: units drawn on the map. */
  readonly unitsPositioned: number;
  /** On-duty units drawn grey (silent, or no fresh fix), and those drawn in their status colour. */
  readonly unitsStale: number;
  readonly unitsFresh: number;
  readonly framesReceived: number;
  /** Where the frames come from ('worker': its own socket, net/positions-link.ts; 'main': the page's socket). */
  readonly positionsVia: 'main' | 'worker';
  /** Frames received on the main socket, and through the worker (together: `framesReceived`). */
  readonly framesOnMain: number;
  /** Why the frames went back to the main socket from the worker (null: they did not). */
  readonly positionsFallback: string | null;
  /** How many times a new worker took the frames back after a fallback. */
  readonly positionsResumed: number;
  readonly framesViaWorker: number;
  /** Frames refused (undecodable), and fixes skipped for a slot out of range. */
  readonly badFrames: number;
  readonly refusedSlots: number;
  /** Pictures of the units painted: per map draw on software GL, not per frame (state/units.svelte.ts `shown`). */
  readonly unitPictures: number;
  /** Snapshots taken since the page loaded: 1 unless the screen had to start over. */
  readonly snapshots: number;
  readonly link: string;
  readonly locale: string;
  readonly map: MapProbe | null;
  /** Slot and position of up to `max` units drawn on the map. */
  unitPositions(max: number): { slot: number; lon: number; lat: number }[];
}

declare global {
  interface Window {
    __egret?: EgretDebug;
  }
}

export function installDebugHook(screen: ScreenState): void {
  const hook: EgretDebug = Object.freeze({
    get deckCount() {
      return debugCounters.deckCount;
    },
    get redraws() {
      return debugCounters.redraws;
    },
    get drawMs() {
      return debugCounters.drawMs;
    },
    get resolution() {
      return debugCounters.resolution;
    },
    get staleLayouts() {
      return debugCounters.staleLayouts;
    },
    get firstDrawHold() {
      return debugCounters.firstDrawHold;
    },
    get firstDrawHeldUntil() {
      return debugCounters.firstDrawHeldUntil;
    },
    get unitDots() {
      return debugCounters.unitDots;
    },
    get heatPoints() {
      return debugCounters.heatPoints;
    },
    get heatPictures() {
      return debugCounters.heatPictures;
    },
    get seq() {
      return screen.world.seq;
    },
    get caseCount() {
      return screen.world.world.cases.size;
    },
    get unitCount() {
      return screen.world.world.units.size;
    },
    get stormCount() {
      return screen.picture.storms.length;
    },
    get sensorCount() {
      return screen.picture.sensors.length;
    },
    get eventId() {
      return screen.picture.guardEvent?.id ?? null;
    },
    get offPostUnits() {
      return screen.posts.offPost.map((u) => u.unitId);
    },
    get unitsStale() {
      return screen.live.unitsPicture.summary.stale;
    },
    get unitsFresh() {
      const s = screen.live.unitsPicture.summary;
      return s.available + s.busy;
    },
    get unitsPositioned() {
      return screen.units.positions.positioned;
    },
    get framesReceived() {
      return screen.units.framesReceived;
    },
    get positionsVia() {
      return screen.link.positionsVia;
    },
    get positionsFallback() {
      return screen.link.positionsFallback;
    },
    get positionsResumed() {
      return screen.link.positionsResumed;
    },
    get framesOnMain() {
      return screen.link.framesOnMain;
    },
    get framesViaWorker() {
      return screen.link.framesViaWorker;
    },
    get badFrames() {
      return screen.units.badFrames;
    },
    get refusedSlots() {
      return screen.units.positions.refused;
    },
    get unitPictures() {
      return screen.units.paints;
    },
    get link() {
      return screen.linkStatus.kind;
    },
    get locale() {
      return screen.city.i18n.locale;
    },
    get snapshots() {
      return screen.world.snapshots;
    },
    get map() {
      return mapProbe();
    },
    unitPositions(max: number) {
      const p = screen.units.positions;
      const out: { slot: number; lon: number; lat: number }[] = [];
      for (let slot = 0; slot < p.length && out.length < max; slot++) {
        if (p.has(slot)) out.push({ slot, lon: p.lon(slot), lat: p.lat(slot) });
      }
      return out;
    },
  });
  Object.defineProperty(window, '__egret', { value: hook, writable: false, configurable: false, enumerable: false });
}
