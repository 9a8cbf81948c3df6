/** How much of a selected unit's track the map draws, in world time. */
export const TRAIL_WINDOW_MS = 30 * 60_000;
/** Points kept at most, whatever the window: a fix a second for 30 minutes is 1,800. */
export const TRAIL_MAX_POINTS = 2_048;

/**
 * The recent track of one unit, recorded from the position frames as they arrive (the hub sends only the latest
 * fix): a fixed-size ring buffer, so recording for weeks allocates nothing. Points older than the window are
 * dropped as time moves on; selecting another unit starts a new track.
 */
export class UnitTrail {
  private readonly lon = new Float64Array(TRAIL_MAX_POINTS);
  private readonly lat = new Float64Array(TRAIL_MAX_POINTS);
  private readonly at = new Float64Array(TRAIL_MAX_POINTS);
  private start = 0;
  private count = 0;
  /** Bumped on every change, so the layer knows to redraw. */
  version = 0;
  unitId: string | null = null;

  constructor(private readonly windowMs = TRAIL_WINDOW_MS) {}

  /** Follows `unitId` from now on (null: nobody), forgetting the previous track if the unit changes. */
  follow(unitId: string | null): void {
    if (unitId === this.unitId) return;
    this.unitId = unitId;
    this.start = 0;
    this.count = 0;
    this.version++;
  }

  /** Records a fix; a repeat of the last point (a keyframe of a unit that has not moved) is ignored. */
  record(lon: number, lat: number, at: number): void {
    if (this.unitId === null || !Number.isFinite(lon) || !Number.isFinite(lat) || !Number.isFinite(at)) return;
    if (this.count > 0) {
      const last = (this.start + this.count - 1) % TRAIL_MAX_POINTS;
      if (at < this.at[last]!) return; // out of order: the trail only moves forward
      if (this.lon[last] === lon && this.lat[last] === lat) return;
    }
    const i = (this.start + this.count) % TRAIL_MAX_POINTS;
    this.lon[i] = lon;
    this.lat[i] = lat;
    this.at[i] = at;
    if (this.count < TRAIL_MAX_POINTS) this.count++;
    else this.start = (this.start + 1) % TRAIL_MAX_POINTS;
    this.prune(at);
    this.version++;
  }

  /** Drops points older than the window before `now`. */
  prune(now: number): void {
    while (this.count > 0 && this.at[this.start]! < now - this.windowMs) {
      this.start = (this.start + 1) % TRAIL_MAX_POINTS;
      this.count--;
    }
  }

  get length(): number {
    return this.count;
  }

  /** The track, oldest first, as `[lon, lat]` pairs (a new array: the layer takes it as its path). */
  path(): [number, number][] {
    const out: [number, number][] = new Array(this.count);
    for (let k = 0; k < this.count; k++) {
      const i = (this.start + k) % TRAIL_MAX_POINTS;
      out[k] = [this.lon[i]!, this.lat[i]!];
    }
    return out;
  }
}
