/**
 * When the map cannot draw at all, the screen says so instead of showing a blank or frozen map (never silently
 * stale): a browser without WebGL 2 (an old driver blacklisted, `chrome://gpu`), or a WebGL context lost for good — a
 * graphics driver reset (Windows' TDR) on a wall that runs for weeks: deck.gl does not restore it, and the map would
 * stay frozen on its last frame while the panels go on. A live screen reloads then (it resumes from its last event).
 */
export type MapFailure = 'no-webgl' | 'context-lost';

/** How long a live screen whose map lost its WebGL context says so before it reloads (ms). */
export const RELOAD_AFTER_CONTEXT_LOSS_MS = 10_000;

/**
 * What an error deck.gl reports (its `onError`) means for the map: null for a layer's error (a tile that failed: the
 * map goes on drawing). `deviceReady`: deck.gl had its WebGL device.
 */
export function mapFailureOf(error: Error, fromLayer: boolean, deviceReady: boolean): MapFailure | null {
  if (fromLayer) return null;
  if (/context is lost/i.test(error.message)) return 'context-lost';
  return deviceReady ? null : 'no-webgl';
}
