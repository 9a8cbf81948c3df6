/**
 * When a seek's tracks and the heat of its finished part reach the map (`ReplaySession.seek`, when the tracks are
 * asked with the state): tracks in by the time what is open is applied ride in its draw; tracks coming later while
 * the finished part is still on its way wait for it and are drawn with it; the finished part's heat waits for tracks
 * still on their way — so a seek costs the map one draw or two, not three. Pure: the session tells it what came in
 * and does what it answers.
 */

/** What the session does now: hand these tracks to the map, re-count the heat, draw without the pacer's pause. */
export interface ArrivalStep<T> {
  take?: T;
  heat?: boolean;
  answered?: boolean;
}

export class SeekArrival<T> {
  /** Tracks in before what is open was applied. */
  private early: T | null = null;
  /** Tracks in while the finished part was on its way. */
  private held: T | null = null;
  private opened = false;
  private finishing = false;
  private taken = false;
  /** The finished part's heat waits for the tracks. */
  private heatWaits = false;

  /** The seek's tracks came in. */
  tracksIn(tracks: T): ArrivalStep<T> {
    if (!this.opened) {
      this.early = tracks;
      return {};
    }
    if (this.finishing) {
      this.held = tracks;
      return {};
    }
    return { ...this.take(tracks), answered: true };
  }

  /** What is open is applied; `finishing`: the finished part is still to come. */
  openApplied(finishing: boolean): ArrivalStep<T> {
    this.opened = true;
    this.finishing = finishing;
    return this.early ? this.take(this.early) : {};
  }

  /**
   * The finished part is applied. `heatMayWait`: its heat may wait for tracks still on their way (false when the
   * whole state was taken again, or for a seek that recounts nothing).
   */
  finishedApplied(heatMayWait: boolean): ArrivalStep<T> {
    let heat = !heatMayWait;
    if (heatMayWait) {
      if (!this.taken && !this.held) this.heatWaits = true;
      else heat = true;
    }
    this.finishing = false;
    if (!this.held) return heat ? { heat } : {};
    const step = this.take(this.held);
    return { ...step, heat: heat || step.heat === true };
  }

  private take(tracks: T): ArrivalStep<T> {
    this.taken = true;
    const heat = this.heatWaits;
    this.heatWaits = false;
    return heat ? { take: tracks, heat } : { take: tracks };
  }
}
