import type { PositionFrame } from '@egret/protocol';
import { MINUTE_MS, minuteOf, type PositionSample, type PositionSegment } from './position-segment.ts';
import { SlotTable } from './slot-table.ts';

interface Open {
  minute: number;
  key: PositionSample;
  steps: PositionSample[];
  /** Index of the step the recorder is in (floor((at − minute start) / stepMs)). */
  step: number;
  /** World time of the last frame seen in this step: the step's sample time. */
  stepAt: number;
  moved: Set<number>;
}

/**
 * Turns the live position frames into one-minute history segments. Pure: frames in, finished segments out.
 *
 * It keeps every unit's latest position. A segment opens with a keyframe of all of them (as of the minute's start,
 * or as of the first frame when recording begins mid-minute); within it, the units that moved during each
 * `stepMs` step are recorded once, where they stood at the step's last frame. A frame of the next minute closes
 * the segment. Time going backwards (a clock set to the past) closes it too and opens a fresh one.
 */
export class PositionRecorder {
  readonly latest = new SlotTable();
  private open: Open | undefined;
  /** World time of the last frame taken. */
  lastAt: number | undefined;

  constructor(readonly stepMs: number) {}

  /** Known positions before the first frame (the hub's latest fix per unit): they go into the first keyframe. */
  seed(sample: Pick<PositionSample, 'slots' | 'lonE6' | 'latE6'>): void {
    for (let i = 0; i < sample.slots.length; i++) {
      const slot = sample.slots[i]!;
      if (this.latest.set(slot, sample.lonE6[i]!, sample.latE6[i]!)) this.open?.moved.add(slot);
    }
  }

  /** Takes one frame; returns the segment it closed, if any. */
  push(frame: Pick<PositionFrame, 'at' | 'slots' | 'lonE6' | 'latE6'>): PositionSegment | undefined {
    const at = frame.at;
    const minute = minuteOf(at);
    let closed: PositionSegment | undefined;
    if (this.open && (minute !== this.open.minute || at < this.open.stepAt)) {
      const continuous = minute === this.open.minute + 1;
      closed = this.close();
      this.start(minute, continuous ? minute * MINUTE_MS : at);
    } else if (!this.open) {
      this.start(minute, at);
    }
    const o = this.open!;
    const step = Math.floor((at - minute * MINUTE_MS) / this.stepMs);
    if (step !== o.step) {
      this.endStep();
      o.step = step;
    }
    for (let i = 0; i < frame.slots.length; i++) {
      const slot = frame.slots[i]!;
      if (this.latest.set(slot, frame.lonE6[i]!, frame.latE6[i]!)) o.moved.add(slot);
    }
    o.stepAt = at;
    this.lastAt = at;
    return closed;
  }

  /** Closes the open segment as it stands (on stop, or to hand over): undefined when none is open. */
  close(): PositionSegment | undefined {
    const o = this.open;
    if (!o) return undefined;
    this.endStep();
    this.open = undefined;
    return { minute: o.minute, stepMs: this.stepMs, key: o.key, steps: o.steps };
  }

  private start(minute: number, keyAt: number): void {
    this.open = { minute, key: this.latest.sample(keyAt), steps: [], step: -1, stepAt: keyAt, moved: new Set() };
  }

  private endStep(): void {
    const o = this.open!;
    if (o.moved.size === 0) return;
    o.steps.push(this.latest.sample(o.stepAt, o.moved));
    o.moved = new Set();
  }
}
