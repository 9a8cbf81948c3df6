import { readFileSync } from 'node:fs';

/**
 * Measuring helpers for the hub benchmark. Not part of the hub.
 *
 * Publish times travel inside the fixes themselves, so a screen in another process can tell how old each position
 * it receives is without any side channel: the latitude's microdegrees hold the publish time modulo 10⁶ ms
 * (about 16 minutes), which survives the frame's quantisation to microdegrees exactly. The wall clock is shared by
 * every process on the machine.
 */
export const LAT_BASE_E6 = 24_000_000;
const WRAP_MS = 1_000_000;

/** The latitude that carries `publishedAt`. */
export function latCarrying(publishedAt: number): number {
  return (LAT_BASE_E6 + (publishedAt % WRAP_MS)) / 1e6;
}

/** How long ago (ms) the fix whose latitude is `latE6` was published, seen at `now`. */
export function ageOf(latE6: number, now: number): number {
  const sent = latE6 - LAT_BASE_E6;
  return ((((now % WRAP_MS) - sent) % WRAP_MS) + WRAP_MS) % WRAP_MS;
}

/** A latency histogram with 1 ms bins up to one minute (the last bin takes everything above). */
export class Histogram {
  readonly bins = new Uint32Array(60_001);
  count = 0;

  add(ms: number): void {
    const b = Math.min(this.bins.length - 1, Math.max(0, Math.round(ms)));
    this.bins[b]!++;
    this.count++;
  }

  merge(bins: ArrayLike<number>): void {
    for (let i = 0; i < bins.length; i++) {
      this.bins[i]! += bins[i]!;
      this.count += bins[i]!;
    }
  }

  /** The value at quantile q (0–1), in ms; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return i;
    }
    return this.bins.length - 1;
  }

  reset(): void {
    this.bins.fill(0);
    this.count = 0;
  }
}

const CLK_TCK = 100; // USER_HZ: 100 on every Linux architecture Node runs on

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after it are space-separated: utime is 14th, stime 15th.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
}

/** Resident memory of a process in MB, from /proc/<pid>/status. */
export function rssMbOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}
