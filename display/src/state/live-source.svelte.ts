import { untrack } from 'svelte';
import { worldNow } from '@egret/protocol';
import type { LivePositions } from '../map/layers/dispatch-lines.ts';
import type { PictureSource } from './map-picture.svelte.ts';
import type { Ticker } from './ticker.svelte.ts';
import type { UnitsPicture, UnitsStore } from './units.svelte.ts';
import type { WorldStore } from './world.svelte.ts';

/** How often units are re-checked for staleness while no frame arrives. */
const SWEEP_MS = 1_000;
/** The heat map and breakdown re-count today's cases at most this often (real ms). */
const TODAY_REFRESH_MS = 5_000;
/**
 * Sensors are re-read from the world at most this often (real ms): a city's few hundred sensors log a reading every
 * few world minutes each, which at 60× is dozens a second — the map need not re-lay their glyphs for each one.
 */
export const SENSOR_REFRESH_MS = 2_000;

/**
 * The live screen's clocks over its world and unit positions: world time by the world clock, the hub's own time
 * by its frames (what units grey out by), and the steps the wall re-judges at. The source of the live map picture.
 */
export class LiveSource implements PictureSource {
  constructor(
    readonly world: WorldStore,
    readonly units: UnitsStore,
    readonly ticker: Ticker,
    private readonly staleAfterMs: number,
  ) {}

  /** World time now by the world clock (the simulator may run faster than real time). */
  worldNow = $derived.by(() => worldNow(this.world.clock, this.ticker.now));
  rate = $derived.by(() => this.world.clock.rate);

  get now(): number {
    return this.worldNow;
  }

  /** World time, stepped once a real second: what the overdue rings and the alert rail are judged at. */
  judgedAt = $derived.by(() => Math.floor(this.worldNow / (1000 * this.rate)) * 1000 * this.rate);
  recount = $derived.by(() => Math.floor(this.ticker.now / TODAY_REFRESH_MS));
  sensorTick = $derived.by(() => Math.floor(this.ticker.now / SENSOR_REFRESH_MS));

  get positions(): LivePositions {
    return this.units.positions;
  }

  /**
   * Once a second while no frame moves a unit, so units grey out when their fixes stop. While units move each
   * frame repaints them anyway: this stays constant then, and the map is not redrawn twice a second for nothing.
   */
  sweep = $derived.by(() => {
    const last = this.units.lastChangeRealAt; // not reactive: read for the decision only
    return last === null || this.ticker.now - last > SWEEP_MS ? Math.floor(this.ticker.now / SWEEP_MS) : -1;
  });

  /** World time now by the hub's frames (immune to this machine's clock), read without tracking the ticker. */
  hubNow(): number {
    return this.units.hubWorldNow(
      untrack(() => this.ticker.now),
      this.rate,
      untrack(() => this.worldNow),
    );
  }

  /**
   * Unit colours for now: repainted when the map may take a new picture of moved units (`shown`: per frame on a GPU,
   * per draw on software GL), per unit change, and by the stale sweep (kept when it changed nothing).
   */
  unitsPicture = $derived.by((): UnitsPicture => {
    void this.units.shown;
    void this.sweep;
    const units = this.world.units;
    // Both counters only grow: their sum changes whenever either does (a unit's status, the clock's rate).
    const unitChanges = this.world.changes('units') + this.world.changes('clock');
    // The same picture when a sweep changed nothing: the derived passes nothing on, and the map is not redrawn.
    return this.units.picture(
      units.values(),
      { worldNow: this.hubNow(), rate: this.rate, staleAfterMs: this.staleAfterMs },
      unitChanges,
    );
  });
}
