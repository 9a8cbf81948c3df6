import { z } from 'zod';
import { Actor, Id } from './entities.ts';
import { EpochMs, haversineM, LonLat } from './geo.ts';

/**
 * Cameras and video (视频监控): the city's video platform — usually a GB/T 28181 gateway that re-publishes the
 * cameras' streams over HTTP — gives each camera a live stream URL, and often a recording (回放) URL that takes a time
 * range. Egret keeps a registry of them (the city's `cameras.json`, kept current by the platform's `camera.register` /
 * `camera.remove` inputs), draws them on the map, plays them on the console and puts them on the walls (`wall:video`).
 * Egret never proxies video: the browser fetches the stream from the platform, and only from origins the city
 * configured (the CSP lists them; the registry refuses a camera on any other).
 */

/** Fixed (枪机), pan-tilt-zoom (球机), body-worn (执法记录仪), drone (无人机). */
export const CameraKind = z.enum(['fixed', 'ptz', 'body_worn', 'drone']);
export type CameraKind = z.infer<typeof CameraKind>;

/**
 * How a stream is carried: HLS (`.m3u8`, played through Media Source Extensions by hls.js, or natively by Safari) or
 * HTTP-FLV (played by mpegts.js) — both what GB/T 28181 gateways commonly offer — or WebRTC through WHEP (the
 * browser POSTs an SDP offer to the URL and gets the answer: sub-second latency, where the platform offers it, as
 * ZLMediaKit, SRS and MediaMTX do). Recordings are HLS or FLV only.
 */
export const StreamFormat = z.enum(['hls', 'flv', 'whep']);
export type StreamFormat = z.infer<typeof StreamFormat>;
/** The formats a recording (回放) comes in: a WHEP session is live only. */
export const RecordingFormat = StreamFormat.exclude(['whep']);

/** An absolute http(s) URL. */
const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http:// or https:// URL' }).max(2_000);

export const CameraStream = z.object({ url: HttpUrl, format: StreamFormat });
export type CameraStream = z.infer<typeof CameraStream>;

/** How the times are written into a playback URL: ISO 8601 UTC (`2026-07-01T08:00:00.000Z`), epoch s or epoch ms. */
export const PlaybackTimeFormat = z.enum(['iso', 'epoch_s', 'epoch_ms']);
export type PlaybackTimeFormat = z.infer<typeof PlaybackTimeFormat>;

/** The placeholders of a playback template. */
const START = '{start}';
const END = '{end}';

/**
 * A recording's URL with the time range left open: `{start}` (required) and `{end}` (optional) are replaced by the
 * range's ends in `time` format, URL-encoded — e.g. `https://video.example/playback/C1.m3u8?start={start}&end={end}`.
 */
export const CameraPlayback = z
  .object({
    template: z
      .string()
      .max(2_000)
      .refine((t) => t.includes(START), `must contain ${START}`)
      // The origin is checked with the placeholders filled in; a placeholder inside the host or port would let the
      // real times fetch from elsewhere. Placeholders belong in the path or the query.
      .refine((t) => /^https?:\/\/[^/?#{}]+[/?#]/i.test(t), 'must keep {start}/{end} out of the scheme, host and port')
      .refine((t) => HttpUrl.safeParse(fillTemplate(t, '0', '0')).success, 'must be an http(s) URL template'),
    format: RecordingFormat,
    time: PlaybackTimeFormat.default('iso'),
  })
  .strict();
export type CameraPlayback = z.infer<typeof CameraPlayback>;

/** A camera as configured or registered, before the registry versions it. */
export const CameraSpec = z
  .object({
    id: Id,
    name: z.string().min(1).max(64),
    kind: CameraKind,
    /** WGS-84. A body-worn camera or a drone: where it was when registered. */
    position: LonLat,
    stream: CameraStream,
    playback: CameraPlayback.optional(),
    /** The position is an estimate (a config drawn from public maps, not the platform's survey). */
    approximate: z.boolean().optional(),
  })
  .strict();
export type CameraSpec = z.infer<typeof CameraSpec>;

/** A camera in the registry. `removed`: the platform took it out (a tombstone that hides a configured camera too). */
export const Camera = CameraSpec.extend({
  removed: z.boolean().optional(),
  version: z.number().int().nonnegative(),
});
export type Camera = z.infer<typeof Camera>;

/** Replaces the placeholders of a playback template (values already formatted). */
function fillTemplate(template: string, start: string, end: string): string {
  return template.split(START).join(start).split(END).join(end);
}

function formatTime(ms: number, f: PlaybackTimeFormat): string {
  if (f === 'epoch_ms') return String(Math.round(ms));
  if (f === 'epoch_s') return String(Math.floor(ms / 1000));
  return new Date(ms).toISOString();
}

/** The recording between `start` and `end` (epoch ms), or undefined when the camera keeps no playback template. */
export function playbackUrl(camera: Pick<CameraSpec, 'playback'>, start: number, end: number): string | undefined {
  const p = camera.playback;
  if (!p) return undefined;
  const enc = (ms: number) => encodeURIComponent(formatTime(ms, p.time));
  return fillTemplate(p.template, enc(start), enc(end));
}

/** 视频追溯: how much recording before and after a case's report time is opened. */
export const TRACE_BEFORE_MS = 5 * 60_000;
export const TRACE_AFTER_MS = 5 * 60_000;

/** The recording range around a moment (a case's report time). */
export function traceRange(at: number): { start: number; end: number } {
  return { start: at - TRACE_BEFORE_MS, end: at + TRACE_AFTER_MS };
}

/**
 * The origin of a video URL as the browser will fetch it (scheme, lower-cased host, port without the default), or
 * undefined when it is not an http(s) URL or carries credentials (`http://allowed@elsewhere/` fetches elsewhere).
 */
export function videoOrigin(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username !== '' || u.password !== '') return undefined;
  return u.origin;
}

/**
 * Why a camera's URLs may not be played, or undefined when every URL it has (live stream, playback template) is on one
 * of the configured video origins (`origins`: as `videoOrigin` normalizes them). The message names the field.
 */
export function cameraOriginRefusal(
  camera: Pick<CameraSpec, 'stream' | 'playback'>,
  origins: ReadonlySet<string>,
): string | undefined {
  const urls: Array<[string, string]> = [['stream.url', camera.stream.url]];
  if (camera.playback) urls.push(['playback.template', fillTemplate(camera.playback.template, '0', '0')]);
  for (const [field, url] of urls) {
    const origin = videoOrigin(url);
    if (origin === undefined) return `${field}: not an http(s) URL without credentials`;
    if (!origins.has(origin))
      return `${field}: origin ${origin} is not a configured video origin (${[...origins].join(', ') || 'none configured'})`;
  }
  return undefined;
}

/**
 * The cameras in force: the configured ones, replaced by what the platform registered under the same id and hidden by
 * what it removed, plus the ones only the platform knows. Sorted by id, so the same inputs give the same list.
 */
export function cameraRegistry(
  configured: readonly CameraSpec[],
  registered: ReadonlyMap<string, Camera>,
): CameraSpec[] {
  const byId = new Map<string, CameraSpec>();
  for (const c of configured) byId.set(c.id, c);
  for (const c of registered.values()) {
    if (c.removed) byId.delete(c.id);
    else byId.set(c.id, c);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A camera with its distance from a place. */
export interface NearCamera {
  camera: CameraSpec;
  distanceM: number;
}

/** The `n` cameras nearest a place (within `maxM` metres), nearest first; ties by id. */
export function nearestCameras(
  cameras: readonly CameraSpec[],
  at: LonLat,
  n: number,
  maxM = Number.POSITIVE_INFINITY,
): NearCamera[] {
  return cameras
    .map((camera) => ({ camera, distanceM: haversineM(at, camera.position) }))
    .filter((c) => c.distanceM <= maxM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.camera.id < b.camera.id ? -1 : 1))
    .slice(0, Math.max(0, n));
}

/** A recording range (epoch ms, world time). */
export const PlaybackRange = z
  .object({ start: EpochMs, end: EpochMs })
  .refine((r) => r.start < r.end, 'start must be before end');
export type PlaybackRange = z.infer<typeof PlaybackRange>;

/** A video window on the walls: a camera's live view, or its recording over `playback`. */
export const VideoWindow = z.object({
  cameraId: Id,
  playback: PlaybackRange.optional(),
  /** Who put it there, and when (world time). */
  by: Actor,
  at: EpochMs,
});
export type VideoWindow = z.infer<typeof VideoWindow>;

/** Most windows a wall may be configured to keep. */
export const MAX_WALL_VIDEO_WINDOWS = 9;

/**
 * The walls' video windows after a `video.changed` event, oldest first: opening a camera already shown moves it to
 * the newest place; past `max` windows the oldest close. Pure: a new array.
 */
export function nextVideoWindows(
  windows: readonly VideoWindow[],
  change: { action: 'opened'; window: VideoWindow; max: number } | { action: 'closed'; cameraId: string },
): VideoWindow[] {
  if (change.action === 'closed') return windows.filter((w) => w.cameraId !== change.cameraId);
  const kept = windows.filter((w) => w.cameraId !== change.window.cameraId);
  kept.push(change.window);
  return kept.slice(Math.max(0, kept.length - Math.max(1, change.max)));
}
