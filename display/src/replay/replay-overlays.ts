import type { Case } from '@egret/protocol';
import type { WallOverlaysInput } from '../map/layers/wall-overlays.ts';
import { visibleLayers, type LayerKey } from '../state/modes.ts';

/**
 * Layers only the live wall draws: a pulse marks a case arriving now, and the trail is the one unit a wall follows.
 * Replay draws every unit's recent track instead.
 */
const LIVE_ONLY: readonly LayerKey[] = ['pulse', 'trail'];

const NO_TRAIL = { path: [] as [number, number][], version: 0 };

/**
 * The wall's switchable layers as the walls drew them at a replayed moment: what the consoles had switched on then
 * (`layers.changed`), otherwise that moment's mode's own, without the live-only ones.
 */
export function replayVisible(mode: string, chosen: readonly LayerKey[] | null): Record<LayerKey, boolean> {
  const visible = visibleLayers(mode, chosen ? new Set(chosen) : null);
  for (const k of LIVE_ONLY) visible[k] = false;
  return visible;
}

/** The wall's overlays at a replayed moment: that day's heat and the cases overdue then, under those switches. */
export function replayOverlays(visible: Readonly<Record<LayerKey, boolean>>, today: readonly Case[], overdue: readonly Case[]): WallOverlaysInput {
  return { visible, today, overdue, fresh: [], pulsePhase: 0, trail: NO_TRAIL };
}

/**
 * How much replay time one heat re-count covers: a world minute, or more when playing fast, so that the heat map
 * (which re-aggregates on each) is re-counted at most every few real seconds, as on the live wall.
 */
export function heatBinMs(speed: number, refreshRealMs = 5_000): number {
  return Math.max(60_000, speed * refreshRealMs);
}
