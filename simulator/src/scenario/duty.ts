import { UnitStatus } from '@egret/protocol';
import type { Shift } from '@egret/config';
import type { Rng } from '../rng.ts';
import { inWindow, parseHhMm } from './local-time.ts';
import type { Roster } from './roster.ts';

/** Unit statuses in a fixed order: `duty.status[i]` indexes this list. */
export const STATUSES = UnitStatus.options;
const AVAILABLE = STATUSES.indexOf('available');
const OFF_DUTY = STATUSES.indexOf('off_duty');
const OFFLINE = STATUSES.indexOf('offline');

export interface OfflineProfile {
  /** Chance per on-duty unit and hour that its device drops out. */
  perUnitPerHour: number;
  /** How long it stays out: log-normal minutes. */
  duration: { median: number; sigma: number };
}

/**
 * Who is on duty and whose device is online: units come on and go off with their shift (each a few minutes off the
 * hour), and an on-duty device now and then drops out for a few minutes. A unit off duty neither moves nor reports;
 * an offline one keeps moving (the officer walks on) but reports nothing until it is back.
 */
export class Duty {
  readonly status: Uint8Array;
  /** When an on-duty device next drops out. */
  readonly dropAt: Float64Array;
  /** When an offline device comes back. */
  readonly backAt: Float64Array;
  private readonly windows: [number, number][];

  constructor(
    private readonly roster: Roster,
    shifts: readonly Shift[],
    private readonly offline: OfflineProfile,
  ) {
    const n = roster.count;
    this.status = new Uint8Array(n);
    this.dropAt = new Float64Array(n);
    this.backAt = new Float64Array(n);
    this.windows = shifts.map((s) => [parseHhMm(s.from), parseHhMm(s.to)]);
  }

  /** Statuses at the start: on shift → available, otherwise off duty. */
  start(now: number, minuteOfDay: number, rng: Rng): void {
    for (let i = 0; i < this.roster.count; i++) {
      const on = this.onShift(i, minuteOfDay);
      this.status[i] = on ? AVAILABLE : OFF_DUTY;
      this.dropAt[i] = on ? this.nextDrop(now, rng) : Infinity;
    }
  }

  /** Advances unit i to `now`; returns its new status when it changed. */
  update(i: number, now: number, minuteOfDay: number, rng: Rng): UnitStatus | undefined {
    const s = this.status[i]!;
    if (!this.onShift(i, minuteOfDay)) {
      return s === OFF_DUTY ? undefined : this.set(i, OFF_DUTY);
    }
    if (s === OFF_DUTY) {
      this.dropAt[i] = this.nextDrop(now, rng);
      return this.set(i, AVAILABLE);
    }
    if (s === OFFLINE) {
      if (now < this.backAt[i]!) return undefined;
      this.dropAt[i] = this.nextDrop(now, rng);
      return this.set(i, AVAILABLE);
    }
    if (now >= this.dropAt[i]!) {
      const { median, sigma } = this.offline.duration;
      this.backAt[i] = now + rng.logNormal(median, sigma) * 60_000;
      return this.set(i, OFFLINE);
    }
    return undefined;
  }

  /** On duty (moving), whether or not its device is online. */
  onDuty(i: number): boolean {
    return this.status[i] !== OFF_DUTY;
  }

  /** Sending fixes: on duty and online. */
  reporting(i: number): boolean {
    const s = this.status[i];
    return s !== OFF_DUTY && s !== OFFLINE;
  }

  statusOf(i: number): UnitStatus {
    return STATUSES[this.status[i]!]!;
  }

  private onShift(i: number, minuteOfDay: number): boolean {
    const [from, to] = this.windows[this.roster.shift[i]!]!;
    const off = this.roster.shiftOffsetMin[i]!;
    return inWindow(minuteOfDay, from + off, to + off);
  }

  private nextDrop(now: number, rng: Rng): number {
    const rate = this.offline.perUnitPerHour;
    return rate > 0 ? now + rng.exponential(rate) * 3_600_000 : Infinity;
  }

  private set(i: number, s: number): UnitStatus {
    this.status[i] = s;
    return STATUSES[s]!;
  }
}
