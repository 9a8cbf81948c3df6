import type { PositionFrame } from '@egret/protocol';

/**
 * What to do about one position frame besides applying it: every frame is applied, since a late or skipped-over
 * frame still carries the latest fixes.
 */
export interface FrameDecision {
  /** Ask the hub for a keyframe (`units:keyframe`): ticks were skipped, so some units may have moved unseen. */
  askKeyframe: boolean;
}

/** Ticks to wait for an asked-for keyframe before asking again (the request or the keyframe may be lost). */
export const KEYFRAME_RETRY_TICKS = 10;

/**
 * Follows the tick numbers of position frames. Frames are sent volatile, so a slow screen skips ticks; a tick that
 * is not the previous + 1 means positions were missed, and a keyframe (every unit) puts the screen right again.
 * Pure: it only decides; the socket adapter sends the request.
 */
export class FrameFollower {
  private lastTick: number | null = null;
  private askedAt: number | null = null;

  /** Forget everything (after a reconnect the hub sends a keyframe of its own). */
  reset(): void {
    this.lastTick = null;
    this.askedAt = null;
  }

  receive(frame: Pick<PositionFrame, 'tick' | 'keyframe'>): FrameDecision {
    const previous = this.lastTick;
    this.lastTick = frame.tick;
    if (frame.keyframe) {
      this.askedAt = null;
      return { askKeyframe: false };
    }
    const skipped = previous === null || frame.tick !== previous + 1;
    // An asked-for keyframe that never came (lost request, or the hub restarted its ticks): ask again.
    const overdue =
      this.askedAt !== null && (frame.tick < this.askedAt || frame.tick - this.askedAt >= KEYFRAME_RETRY_TICKS);
    if ((skipped && this.askedAt === null) || overdue) {
      this.askedAt = frame.tick;
      return { askKeyframe: true };
    }
    return { askKeyframe: false };
  }
}
