import { playbackUrl, type CameraSpec, type PlaybackRange, type VideoWindow } from '@egret/protocol';
import type { StreamSource } from '../video/stream-player.ts';

/**
 * What the screens play of a camera: its live stream, or its recording over a range (视频追溯) when its platform gives
 * a playback template; and the walls' windows joined with the cameras they show. Pure.
 */

/** The stream to play: live, or the recording over `range` (undefined when the camera keeps no playback template). */
export function streamOf(camera: CameraSpec, range?: PlaybackRange): StreamSource | undefined {
  if (!range) return { url: camera.stream.url, format: camera.stream.format };
  const url = playbackUrl(camera, range.start, range.end);
  return url && camera.playback ? { url, format: camera.playback.format, recording: true } : undefined;
}

/** A wall window with its camera and what it plays; windows whose camera left the registry are left out. */
export interface ShownWindow {
  window: VideoWindow;
  camera: CameraSpec;
  source: StreamSource;
}

export function shownWindows(windows: readonly VideoWindow[], cameras: readonly CameraSpec[]): ShownWindow[] {
  const byId = new Map(cameras.map((c) => [c.id, c]));
  const out: ShownWindow[] = [];
  for (const w of windows) {
    const camera = byId.get(w.cameraId);
    const source = camera && streamOf(camera, w.playback);
    if (camera && source) out.push({ window: w, camera, source });
  }
  return out;
}

/** A distance as the list shows it: metres under a kilometre (to 10 m), then kilometres to one decimal. */
export function distanceText(m: number, locale: 'zh' | 'en'): string {
  if (m < 1_000) return locale === 'zh' ? `${Math.round(m / 10) * 10}米` : `${Math.round(m / 10) * 10} m`;
  const km = (m / 1_000).toFixed(1);
  return locale === 'zh' ? `${km}公里` : `${km} km`;
}
