import type { Trails } from '@egret/protocol';
import type { ReplayTrailsInput } from '../map/layers/replay-trails.ts';
import type { UnitsStore } from '../state/units.svelte.ts';
import type { ReplayApi } from './replay-api.ts';
import { lookaheadMs, trailStepMs, trailWindowMs, type ReplaySpeed } from './replay-clock.ts';
import { TrailPlayer } from './trail-player.ts';

/**
 * The session the tracks serve: its clock, speed and period's end; the units and tracks they move and draw
 * (reactive), and its count of answered parts.
 */
export interface TrackTarget {
  readonly t: number;
  readonly speed: ReplaySpeed;
  readonly to: number;
  readonly units: UnitsStore;
  trails: ReplayTrailsInput;
  answered: number;
}

/**
 * The units' tracks around the replay clock: a window of position history loaded ahead of it (asked with a seek's
 * state, then kept loaded while playing); the units are moved along it and the recent part of each track is drawn —
 * each worked out again only when the clock (or, for the tracks drawn, the speed) has moved.
 */
export class TrackFeed {
  private player: TrailPlayer | null = null;
  /** The window last asked for; null: none (a seek whose tracks are asked once its state is in). */
  private wanted: { from: number; to: number } | null = null;
  private fetching = false;
  /** Answers of an earlier generation (before a seek) are dropped. */
  private generation = 0;
  /** What the units and the tracks were last worked out for: paused, nothing is worked out (or drawn) again. */
  private unitsFor: { t: number; player: TrailPlayer | null } = { t: Number.NaN, player: null };
  private trailsFor: { t: number; speed: number; player: TrailPlayer | null } = {
    t: Number.NaN,
    speed: 0,
    player: null,
  };

  constructor(
    private readonly api: Pick<ReplayApi, 'trails'>,
    private readonly target: TrackTarget,
    private readonly fail: (err: unknown) => void,
  ) {}

  /** A seek begins: tracks on their way are of the old place in time, and are dropped when they come. */
  stop(): void {
    this.generation++;
    this.fetching = false;
  }

  /** The seek's state is in: its tracks are not yet — none drawn, the units where its positions put them. */
  clear(): void {
    this.player = null;
    const version = this.target.trails.version + 1;
    this.target.trails = { length: 0, startIndices: new Uint32Array(0), positions: new Float32Array(0), version };
  }

  /** The seek asked for no tracks: they are asked once the seek is done (`keepLoaded`). */
  forget(): void {
    this.wanted = null;
  }

  /** Asks for the tracks a seek to the clock's time needs (the window `keepLoaded` would ask once the state is in). */
  ask(signal: AbortSignal): Promise<Trails> {
    const { speed } = this.target;
    const { from, to } = this.window();
    this.wanted = { from, to: Math.max(from + 1, to) };
    this.fetching = true;
    const asked = this.api.trails(from, Math.max(from + 1, to), trailStepMs(speed), signal);
    const gen = this.generation;
    const done = () => {
      if (gen === this.generation) this.fetching = false;
    };
    void asked.then(done, done);
    return asked;
  }

  /** Keeps the tracks loaded around the clock at its speed, up to the period's end (one ask at a time). */
  keepLoaded(): void {
    if (this.fetching) return;
    const { t, speed, to: end } = this.target;
    const { from, to, ahead } = this.window();
    const have = this.wanted;
    if (have && have.from <= from && t + ahead / 3 <= have.to) return;
    if (have && have.to >= end && have.from <= from) return;
    if (to <= from) return;
    const gen = this.generation;
    this.fetching = true;
    this.wanted = { from, to };
    this.api
      .trails(from, to, trailStepMs(speed))
      .then(
        (trails) => {
          if (gen !== this.generation) return;
          // A seek cleared the tracks: these are its answer's last part.
          if (this.player === null) this.target.answered++;
          this.take(trails);
        },
        (err: unknown) => {
          if (gen === this.generation) this.fail(err);
        },
      )
      .finally(() => {
        if (gen === this.generation) this.fetching = false;
      });
  }

  /** Tracks in: the units move along them and the recent part of each is drawn. */
  take(trails: Trails): void {
    this.player = new TrailPlayer(trails);
    this.moveUnits();
    this.draw();
  }

  /** The units where the tracks put them at the clock's time. */
  moveUnits(): void {
    const { t } = this.target;
    const player = this.player;
    if (!player || (this.unitsFor.player === player && this.unitsFor.t === t)) return;
    this.unitsFor = { t, player };
    const units = this.target.units;
    player.positionsAt(t, (slot, lon, lat) => units.positions.set(slot, lon, lat, t));
    units.version++;
  }

  /** The recent part of each track at the clock's time, as long as its speed shows them. */
  draw(): void {
    const { t, speed } = this.target;
    const player = this.player;
    if (!player || (this.trailsFor.player === player && this.trailsFor.t === t && this.trailsFor.speed === speed))
      return;
    this.trailsFor = { t, speed, player };
    const paths = player.recentPaths(t, trailWindowMs(speed));
    this.target.trails = { ...paths, version: this.target.trails.version + 1 };
  }

  /** The tracks kept loaded at the clock's time: the window drawn behind it, and what playing needs ahead. */
  private window(): { from: number; to: number; ahead: number } {
    const { t, speed, to: end } = this.target;
    const ahead = Math.min(3 * 3_600_000, Math.max(10 * 60_000, lookaheadMs(speed) * 2));
    return { from: t - trailWindowMs(speed), to: Math.min(end, t + ahead), ahead };
  }
}
