import { visibleLayers, type LayerKey } from '../state/modes.ts';

/**
 * Layers only the live wall draws: a pulse marks a case arriving now, and the trail is the one unit a wall follows.
 * Replay draws every unit's recent track instead.
 */
const LIVE_ONLY: readonly LayerKey[] = ['pulse', 'trail'];

/**
 * The wall's switchable layers as the walls drew them at a replayed moment: what the consoles had switched on then
 * (`layers.changed`), otherwise that moment's mode's own, without the live-only ones.
 */
export function replayVisible(mode: string, chosen: readonly LayerKey[] | null): Record<LayerKey, boolean> {
  const visible = visibleLayers(mode, chosen ? new Set(chosen) : null);
  for (const k of LIVE_ONLY) visible[k] = false;
  return visible;
}

/**
 * How much replay time one heat re-count covers: a world minute, or more when playing fast, so that the heat map
 * (which re-aggregates on each) is re-counted at most every few real seconds, as on the live wall.
 */
export function heatBinMs(speed: number, refreshRealMs = 5_000): number {
  return Math.max(60_000, speed * refreshRealMs);
}
