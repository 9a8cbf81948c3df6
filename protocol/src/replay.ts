import type { CaseBrief } from './case-brief.ts';
import type { Case, Task } from './entities.ts';
import type { LogEvent } from './events.ts';
import type { KpiReport } from './kpi.ts';
import type { CampaignDay, PlanExecution } from './plan-report.ts';
import { applyEvent, type WorldSnapshot, type WorldState } from './state.ts';

/**
 * Replay: the whole city on one clock. The wire types of the hub's `/api/replay/*` routes, the one definition of
 * "the state at world time T" shared by the hub's seek and the display's playback, and the binary trails codec.
 *
 * Time model (docs/replay.md). The log is ordered by seq; an event's `at` is the world time its source gave it, so
 * `at` is not monotonic in seq. The reducer keeps `world.at = max(at)` so far. The state at world time T is the log
 * prefix up to the last seq whose running maximum of `at` is ≤ T — exactly what a live mirror held while its
 * `world.at` was ≤ T. Because the running maximum is monotonic in seq, "state at T" is a binary search over seq.
 */

/** Whether applying `e` next keeps the world at or before T (the running maximum of `at` stays ≤ T). */
export function withinReplayTime(world: Pick<WorldState, 'at'>, e: Pick<LogEvent, 'at'>, t: number): boolean {
  return Math.max(world.at, e.at) <= t;
}

/**
 * Applies `events[from…]` (consecutive, in seq order) through the shared reducer while the world stays at or
 * before T; returns the index of the first event not applied. Used by the hub to seek and by the display to play.
 */
export function applyEventsUntil(world: WorldState, events: readonly LogEvent[], t: number, from = 0): number {
  let i = from;
  for (; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq <= world.seq) continue;
    if (!withinReplayTime(world, e, t)) break;
    applyEvent(world, e);
  }
  return i;
}

/** A named stretch of history: a scenario run, from one `clock.changed` with a scenario name to the next clock change. */
export interface ReplayPeriod {
  /** The scenario's name as the clock carried it (e.g. `typhoon-meranti`). */
  scenario: string;
  /** World time (running maximum) at the clock change that started it. */
  from: number;
  /** World time it ended: the next clock change, or the end of history while it still runs. */
  to: number;
  /** Log seq of the `clock.changed` event that started it. */
  fromSeq: number;
  /** Whether it is still running (no later clock change yet). */
  open: boolean;
}

/** `GET /api/replay/range`: what can be replayed. Times are null when there is no history yet. */
export interface ReplayRange {
  first: number | null;
  last: number | null;
  /** Log seq at `last`. */
  lastSeq: number;
  periods: ReplayPeriod[];
  /** Whether part of the range is read from exported files on disk. */
  archived: boolean;
}

/** `GET /api/replay/state?t=`: the world and the KPI table at world time T. */
export interface ReplayState {
  t: number;
  world: WorldSnapshot;
  kpi: KpiReport;
}

/**
 * What of the state at T `GET /api/replay/state?t=&part=` sends: `all` (no `part`: `ReplayState`), `open` (a
 * `ReplayState` with only the cases still in the loop and the tasks not ended: what the map draws first) or
 * `finished` (`ReplayFinished`: the closed and rejected cases, as briefs, and the ended tasks the screen keeps).
 * `open` and `finished` together are `all` as the screen holds it: every entity once, finished cases as briefs.
 */
export type ReplayStatePart = 'all' | 'open' | 'finished';
export const REPLAY_STATE_PARTS: readonly ReplayStatePart[] = ['all', 'open', 'finished'];

/**
 * `GET /api/replay/state?t=&part=finished`, decoded: the finished cases and tasks of the state at T (seq: which
 * state). The cases come as their briefs (`caseBrief`: no steps, photos or description — `/api/replay/case` has
 * them), the tasks whole: with `part=open`, the screen's projection of the whole state (`screenCase` on every case).
 * On the wire they are columns (`ReplayFinishedColumns`, finished-columns.ts: `decodeReplayFinished`).
 */
export interface ReplayFinished {
  t: number;
  world: { seq: number; at: number; cases: CaseBrief[]; tasks: Task[] };
}

/** `GET /api/replay/case?id=&t=`: one case as it stands at T, with its tasks: its milestones to jump to. */
export interface ReplayCase {
  case: Case;
  tasks: Task[];
}

/** `GET /api/replay/events?from=&to=[&afterSeq=]`: the events that take the state at `from` to the state at `to`. */
export interface ReplayEvents {
  from: number;
  to: number;
  /** The seq of the state at `from` (or `afterSeq` when given): events start right after it. */
  afterSeq: number;
  /** The seq of the state at `to`. */
  toSeq: number;
  events: LogEvent[];
  /** More events lie in the window than were sent: ask again with `afterSeq` = the last event's seq. */
  truncated: boolean;
}

/** `GET /api/replay/histogram?from=&to=&bins=`: case reports per bin (by each report's own `at`), for the scrubber. */
export interface ReplayHistogram {
  from: number;
  to: number;
  binMs: number;
  counts: number[];
}

/** A distribution of durations, in ms; null figures when it is empty. */
export interface DurationStats {
  n: number;
  p50: number | null;
  p90: number | null;
}

/** One squad's part of a summary: its cases (by first dispatch) and how long their milestones took. */
export interface SquadSummary {
  squadId: string;
  cases: number;
  closed: number;
  /** 派遣 → 到场 (first dispatch to the first task on scene). */
  dispatchToArrival: DurationStats;
  /** 上报 → 结案. */
  reportToClose: DurationStats;
}

/**
 * `GET /api/replay/summary?from=&to=`: what happened in a window, for the after-action report. The cohort is the
 * cases reported in the window (the events that take the state at `from` to the state at `to`); their milestones
 * are those reached by `to`.
 */
export interface ReplaySummary {
  from: number;
  to: number;
  /** Log events in the window. */
  events: number;
  totals: {
    reported: number;
    dispatched: number;
    arrived: number;
    closed: number;
    /** Open at `to` (not parked) and past their deadline. */
    overdueOpen: number;
    /** Closed after their deadline. */
    closedLate: number;
    /** Sent back by verification (返工) at least once. */
    reworked: number;
    /** Returned by a squad (退回) at least once. */
    returned: number;
  };
  milestones: {
    reportToDispatch: DurationStats;
    dispatchToArrival: DurationStats;
    arrivalToClose: DurationStats;
    reportToClose: DurationStats;
  };
  byCategory: Array<{ code: string; name: string; reported: number; closed: number }>;
  byDistrict: Array<{ district: string; reported: number; closed: number; overdueOpen: number }>;
  bySquad: SquadSummary[];
  /** The overdue cases (at most 200), most overdue first. */
  overdue: Array<{
    caseId: string;
    district: string;
    category: string;
    deadline: number;
    overdueMs: number;
    squadId?: string;
  }>;
  /** Hours (start, world ms) with the most case reports, busiest first (at most 10). */
  busiestHours: Array<{ hourStart: number; reported: number }>;
  /**
   * The command manual's plans in the window (issue #17): what was ordered, when, what was done by when, what was late,
   * by action, district and squad (`PlanReportFold`). Absent from summaries of hubs before plans.
   */
  plans?: PlanExecution[];
  /** The 流动红旗 ranking of each day of the window's assessment-point inspections (`campaignDays`); absent before plans. */
  campaignDays?: CampaignDay[];
}

/**
 * Unit trails over a window (`GET /api/replay/trails`), binary: one path per frame slot, times in ms after an
 * epoch (the window's start) so that they stay exact in 32 bits — and in float32 on the GPU for a day.
 *
 * Layout, little-endian:
 *   0  u8  version (2; 1 is still read)
 *   1  u8  reserved
 *   2  u16 reserved
 *   4  u32 path count P
 *   8  f64 epoch, world ms
 *   16 u32 point count N
 *   20 P × u32 slot
 *      P × u32 first point of the path (paths are consecutive; path i ends where i + 1 starts, the last at N)
 *      N × i32 time after the epoch, ms
 *      N × i32 lon × 1e6
 *      N × i32 lat × 1e6
 * In version 2 each of the three point columns holds, within a path, the difference from the path's previous
 * point (the first point against 0): a unit moves a few hundred metres between samples and the samples are evenly
 * spaced, so the columns are mostly small numbers and repeats, which the answer's brotli packs several times
 * tighter than absolute coordinates (issue #19: the tracks loaded with a late seek were ~1.6 MB). Lossless.
 */
export const TRAILS_VERSION = 2;
const TRAILS_HEADER_BYTES = 20;

export interface Trails {
  epoch: number;
  slots: Uint32Array;
  /** Index of each path's first point; `starts.length === slots.length`. */
  starts: Uint32Array;
  /** ms after `epoch`. */
  times: Int32Array;
  lonE6: Int32Array;
  latE6: Int32Array;
}

export class TrailsFormatError extends Error {}

export function encodeTrails(t: Trails): Uint8Array {
  const p = t.slots.length;
  const n = t.times.length;
  const bytes = new Uint8Array(TRAILS_HEADER_BYTES + p * 8 + n * 12);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, TRAILS_VERSION);
  view.setUint32(4, p, true);
  view.setFloat64(8, t.epoch, true);
  view.setUint32(16, n, true);
  let o = TRAILS_HEADER_BYTES;
  for (const arr of [t.slots, t.starts]) for (let i = 0; i < p; i++, o += 4) view.setUint32(o, arr[i]!, true);
  for (const arr of [t.times, t.lonE6, t.latE6]) {
    let path = 0;
    for (let i = 0; i < n; i++, o += 4) {
      while (path < p && t.starts[path]! <= i) path++; // path - 1 holds point i
      const first = path === 0 || t.starts[path - 1] === i;
      view.setInt32(o, first ? arr[i]! : arr[i]! - arr[i - 1]!, true);
    }
  }
  return bytes;
}

export function decodeTrails(input: ArrayBuffer | ArrayBufferView): Trails {
  const bytes =
    input instanceof ArrayBuffer
      ? new Uint8Array(input)
      : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.byteLength < TRAILS_HEADER_BYTES)
    throw new TrailsFormatError(`trails of ${bytes.byteLength} bytes are shorter than their header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== TRAILS_VERSION && version !== 1)
    throw new TrailsFormatError(`trails version ${version}, expected ${TRAILS_VERSION}`);
  const p = view.getUint32(4, true);
  const n = view.getUint32(16, true);
  if (bytes.byteLength !== TRAILS_HEADER_BYTES + p * 8 + n * 12)
    throw new TrailsFormatError(`trails say ${p} paths and ${n} points but have ${bytes.byteLength} bytes`);
  let o = TRAILS_HEADER_BYTES;
  const u32 = (len: number) => {
    const out = new Uint32Array(len);
    for (let i = 0; i < len; i++, o += 4) out[i] = view.getUint32(o, true);
    return out;
  };
  const slots = u32(p);
  const starts = u32(p);
  for (let i = 0; i < p; i++)
    if (starts[i]! > n || (i > 0 && starts[i]! < starts[i - 1]!))
      throw new TrailsFormatError(`trails path ${i} starts at point ${starts[i]} (of ${n}, after ${starts[i - 1]})`);
  const i32 = (len: number) => {
    const out = new Int32Array(len);
    let path = 0;
    for (let i = 0; i < len; i++, o += 4) {
      const v = view.getInt32(o, true);
      if (version === 1) {
        out[i] = v;
        continue;
      }
      while (path < p && starts[path]! <= i) path++;
      out[i] = path === 0 || starts[path - 1] === i ? v : out[i - 1]! + v;
    }
    return out;
  };
  const times = i32(n);
  const lonE6 = i32(n);
  const latE6 = i32(n);
  return { epoch: view.getFloat64(8, true), slots, starts, times, lonE6, latE6 };
}

/** Replay speeds the display offers (world ms per real ms). */
export const REPLAY_SPEEDS = [1, 10, 60, 600, 3600] as const;
