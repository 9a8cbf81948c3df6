/**
 * How a seek's answer reaches the map (`?seek=` of the replay page; the bench compares them in one run):
 * - `hold` (the default): every part is asked at once — what is open, the positions, the tracks and the finished
 *   part (the hub folds the log once for both parts) — and the first picture waits for all of them, up to
 *   `SEEK_HOLD_MS` after the seek and at least `SEEK_GRACE_MS` after what is open came: on a wall PC without a GPU a
 *   draw takes ~0.4 s and holds both cores, so one draw of everything is drawn sooner than a quick draw of what is
 *   open followed by a second one. Whatever is not in by then follows as in `together`;
 * - `together`: the tracks are asked with what is open and ride in its draw when they are in by then,
 *   else in the finished part's; the finished part, asked once what is open is in, changes only the panels and the
 *   heat — the map draws again only if the heat (or the tracks held for it) shows something new;
 * - `wait`: the same, but what is open waits for the tracks (one draw, started later);
 * - `apart` (before, the baseline): the tracks asked once the whole state is in; each part drawn on its own (three
 *   draws a seek).
 */
export type SeekPlan = 'hold' | 'together' | 'wait' | 'apart';

/** The seek plan a page's `?seek=` names (anything else: the default). */
export function seekPlanOf(value: string | null): SeekPlan {
  return value === 'together' || value === 'wait' || value === 'apart' ? value : 'hold';
}

/**
 * `hold`: how long after a seek its first picture waits for the rest of the answer (real ms); it ends as soon as the
 * rest is in. On this project's 2-core machine, quiet, the hub's finished part of a late seek of the 72-hour typhoon
 * comes 0.4–1.1 s after it (p50 0.67 s). Held 800 ms rather than 450, twenty late seeks each in one run: the whole
 * picture drawn 0.26 s sooner at p50 (1.48 against 1.74 s), one software-GL draw a seek instead of two (the GPU
 * process ~0.6 s of CPU a seek instead of ~1.2 s), the first picture 0.15 s later (1.34 against 1.19 s)
 * (docs/performance.md, "Late seeks on a quiet machine"). A slower hub only delays what is open by this much.
 */
export const SEEK_HOLD_MS = 800;

/**
 * `hold`: how long what is open waits for the rest at least, however late it came (real ms). A hub slowed by other
 * work sends the parts late but close together (what is open ~0.5 s after the seek, the rest ~0.1 s after it): a
 * short wait then still makes one draw instead of two.
 */
export const SEEK_GRACE_MS = 150;

/**
 * `hold`: how much longer the first picture waits, once the hold is over, for a finished part whose bytes are in and
 * being parsed (the fetch worker says so: worker-fetch.ts `onBodyIn`) — real ms. Late in the 72-hour typhoon its
 * ~6 MB of JSON take the worker ~0.2–0.35 s to read and parse on this project's 2-core machine, and the hub's last
 * byte often comes just before the hold ends (a trace: in at 0.62 s, parsed at 0.82 s, the hold over at 0.80 s):
 * drawn then, what is open is drawn and then everything again — two software-GL draws of ~0.3 s each.
 */
export const SEEK_READ_WAIT_MS = 500;

/**
 * `?hold=<ms>`: another `SEEK_HOLD_MS` for this page, `?readwait=<ms>` another `SEEK_READ_WAIT_MS` (the benches
 * compare them; `readwait=0` the baseline); undefined when absent or not a count.
 */
export function holdMsOf(value: string | null): number | undefined {
  if (value === null || !/^\d{1,5}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** `hold`: how much longer what is open, in `elapsedMs` after the seek, waits for the rest (≤ 0: not at all). */
export function holdLeft(elapsedMs: number, holdMs = SEEK_HOLD_MS, graceMs = SEEK_GRACE_MS): number {
  return Math.max(holdMs - elapsedMs, graceMs);
}
