import type { LonLat, SignalLevel } from '@egret/protocol';
import { signalAt } from './signals.ts';
import type { Track } from './track.ts';

const SLOT_MS = 10 * 60_000;
const MAX_ENTRIES = 1_024;

/**
 * The warning signal in force at a place, looked up on the 10-minute clock the bureau's storm updates keep: the
 * signal at t is the one issued at the start of t's slot. Memoised per slot, because `signalAt` scans the next 24
 * hours of wind and the storm feed, the base case rate and every sensor ask for it again and again.
 */
export function signalTimeline(track: Track, point: LonLat, holdHours: number): (t: number) => SignalLevel {
  const memo = new Map<number, SignalLevel>();
  return (t) => {
    const slot = Math.floor(t / SLOT_MS) * SLOT_MS;
    let level = memo.get(slot);
    if (level === undefined) {
      if (memo.size >= MAX_ENTRIES) memo.clear();
      level = signalAt(track, slot, point, { holdHours });
      memo.set(slot, level);
    }
    return level;
  };
}
