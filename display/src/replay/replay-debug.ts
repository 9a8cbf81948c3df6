import type { Layer } from '@deck.gl/core';
import type { Case } from '@egret/protocol';
import { pointCount, tracksAtLevel } from '../map/track-detail.ts';
import { debugCounters, mapProbe, type MapProbe } from '../debug.ts';
import type { ReplaySession, SeekTiming } from './replay-session.svelte.ts';

/** `window.__egretReplay`: read-only facts about replay mode for end-to-end tests and operators. */
export interface EgretReplayDebug {
  readonly deckCount: number;
  readonly t: number;
  readonly from: number;
  readonly to: number;
  readonly playing: boolean;
  readonly speed: number;
  readonly loading: boolean;
  readonly error: string | null;
  readonly seq: number;
  readonly caseCount: number;
  readonly unitCount: number;
  readonly unitsPositioned: number;
  readonly trailPaths: number;
  /** Points of the tracks handed to the map, at a detail level (map/track-detail.ts; null: every sample). */
  trailPoints(level: number | null): number;
  readonly seeks: number;
  readonly map: MapProbe | null;
  /** Frames the map has drawn since the page loaded. */
  readonly redraws: number;
  /** The last draw's cost, ms (the map's pacer, map/draw-pacer.ts). */
  readonly drawMs: number;
  /** The last seek's moments (asked, answers in, applied; performance.now() ms). */
  readonly lastSeek: SeekTiming | null;
  /** Seeks to world time t, as the scrubber does (the replay bench's handle). */
  seek(t: number): void;
  /** Slot and position of up to `max` units drawn on the map. */
  unitPositions(max: number): { slot: number; lon: number; lat: number }[];
  /** The cases the screen holds (finished ones as their briefs after a split seek), for tests. */
  cases(): Case[];
  /**
   * The map's picture as the screen has it now (each layer's id, rows and visibility), whether or not the map has
   * drawn it yet: equal to `map.drawnLayers()` when the map shows everything the replayed instant holds.
   */
  picture(): { id: string; length: number; visible: boolean }[];
}

let pictureOf: (() => readonly Layer[]) | null = null;

/** The replay screen's map picture (ReplayMap.layers), for the debug hook's `picture()`. */
export function registerReplayPicture(layers: (() => readonly Layer[]) | null): void {
  pictureOf = layers;
}

/** A layer's rows as the map probe counts them (map/map-probe.ts): an array's or a table's length. */
function rowsOf(data: unknown): number {
  if (data && typeof data === 'object' && 'length' in data && typeof data.length === 'number') return data.length;
  if (data && typeof data === 'object' && 'features' in data && Array.isArray(data.features))
    return data.features.length;
  return 0;
}

declare global {
  interface Window {
    __egretReplay?: EgretReplayDebug;
  }
}

export function installReplayDebugHook(session: ReplaySession): void {
  const hook: EgretReplayDebug = Object.freeze({
    get deckCount() {
      return debugCounters.deckCount;
    },
    get t() {
      return session.t;
    },
    get from() {
      return session.from;
    },
    get to() {
      return session.to;
    },
    get playing() {
      return session.playing;
    },
    get speed() {
      return session.speed;
    },
    get loading() {
      return session.loading;
    },
    get error() {
      return session.error;
    },
    get seq() {
      return session.world.seq;
    },
    get caseCount() {
      return session.world.cases.size;
    },
    get unitCount() {
      return session.world.units.size;
    },
    get unitsPositioned() {
      return session.units.positions.positioned;
    },
    get trailPaths() {
      return session.trails.length;
    },
    /** Points of the tracks handed to the map, at a detail level (map/track-detail.ts; null: every sample). */
    trailPoints(level: number | null) {
      return pointCount(tracksAtLevel(session.trails, level));
    },
    get seeks() {
      return session.seeks;
    },
    get map() {
      return mapProbe();
    },
    get redraws() {
      return debugCounters.redraws;
    },
    /** The last draw's cost, ms (the map's pacer, map/draw-pacer.ts). */
    get drawMs() {
      return debugCounters.drawMs;
    },
    get lastSeek() {
      return session.lastSeek;
    },
    seek(t: number) {
      void session.seek(t);
    },
    unitPositions(max: number) {
      const p = session.units.positions;
      const out: { slot: number; lon: number; lat: number }[] = [];
      for (let slot = 0; slot < p.length && out.length < max; slot++)
        if (p.has(slot)) out.push({ slot, lon: p.lon(slot), lat: p.lat(slot) });
      return out;
    },
    cases() {
      return [...session.world.cases.values()];
    },
    picture() {
      return (pictureOf?.() ?? []).map((l) => ({
        id: l.id,
        length: rowsOf(l.props.data),
        visible: l.props.visible !== false,
      }));
    },
  });
  Object.defineProperty(window, '__egretReplay', {
    value: hook,
    writable: false,
    configurable: false,
    enumerable: false,
  });
}
