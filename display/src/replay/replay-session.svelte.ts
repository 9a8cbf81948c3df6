import {
  fromSnapshot,
  isCaseBrief,
  type KpiReport,
  type PhotoRef,
  type ReplayCase,
  type ReplayFinished,
  type ReplayHistogram,
  type ReplayRange,
  type Trails,
  type WorldState,
} from '@egret/protocol';
import { debugCounters } from '../debug.ts';
import { HourlyPrune } from '../state/prune.ts';
import { UnitsStore } from '../state/units.svelte.ts';
import { WorldParts } from '../state/world-parts.svelte.ts';
import type { ReplayApi } from './replay-api.ts';
import { advanceReplay, clampTime, type ReplaySpeed } from './replay-clock.ts';
import { EventFeed } from './event-feed.ts';
import { TrackFeed } from './track-feed.ts';
import { SeekArrival, type ArrivalStep } from './seek-arrival.ts';
import { holdLeft, SEEK_GRACE_MS, SEEK_HOLD_MS, SEEK_READ_WAIT_MS, type SeekPlan } from './seek-plan.ts';
import type { ReplayTrailsInput } from '../map/layers/replay-trails.ts';

/** Bins of the scrubber's case-density histogram. */
export const HISTOGRAM_BINS = 240;
/** How often, in real ms, the KPI table is asked again while the clock moves. */
const KPI_EVERY_MS = 2_000;
/** How often, in real ms, unit positions and trails are recomputed while playing. */
const UNITS_EVERY_MS = 100;
const TRAILS_EVERY_MS = 250;
/** A unit whose replayed position is older than this (world ms) is drawn as stale. */
const REPLAY_STALE_MS = 15 * 60_000;

/**
 * When a seek was asked, its first answers came in, what is open was applied (split seeks) and the whole state was
 * applied (performance.now() ms; 0: not yet).
 */
export interface SeekTiming {
  t: number;
  askedAt: number;
  receivedAt: number;
  openAt: number;
  appliedAt: number;
  /** The map's draws so far (debug.ts) when the open part, and the whole state, were applied: later draws show them. */
  drawsAtOpen: number;
  drawsAtApplied: number;
}

/** A state part's finished cases and tasks, into the world of its open part (the same seq). */
function withFinished(world: WorldState, rest: ReplayFinished): void {
  for (const c of rest.world.cases) world.cases.set(c.id, c);
  for (const k of rest.world.tasks) world.tasks.set(k.id, k);
}

/** One case's moments (its history steps) for the "jump to" list. */
export type CaseMoments = ReplayCase;

/**
 * Replay mode's state: the replay clock, the world at the clock's time (the shared reducer over the hub's
 * replayed log), unit positions from position history, and the scrubber's data. The world only ever moves forward
 * through `applyEventsUntil` — the same rule the hub uses to seek — and backwards by asking the hub for the state
 * at the new time, so what is shown at T is exactly the hub's state at T.
 */
export class ReplaySession {
  range = $state.raw<ReplayRange | null>(null);
  /** The period being replayed. */
  from = $state(0);
  to = $state(0);
  /** Replay time: world epoch ms. */
  t = $state(0);
  playing = $state(false);
  speed = $state<ReplaySpeed>(60);
  /** The replayed world, read by part: what is derived from its cases does not re-run for a sensor reading. */
  readonly view = new WorldParts();
  /** Bumped whenever the world changes (diagnostics; derived values read `view`'s parts). */
  version = $state(0);
  /**
   * Bumped as each part of a seek's answer is in — what is open, the whole state, the seek's first tracks — and not
   * in playback: the map draws what the commander asked for without its pause between draws (map/draw-pacer.ts).
   */
  answered = $state(0);
  /**
   * Bumped as a seek's finished part is applied: the cases and tasks changed, but only by finished ones, which the
   * map does not draw but in the heat (replay-map.svelte.ts keeps its picture and re-counts the heat).
   */
  finishedIn = $state(0);
  /**
   * Bumped when the heat is to be re-counted for a seek's finished part (today's closed cases are in it): with the
   * finished part, or — when the seek's tracks are still on their way — with the tracks, so both are drawn at once.
   */
  heatFor = $state(0);
  kpi = $state.raw<KpiReport | null>(null);
  units = $state.raw(new UnitsStore());
  trails = $state.raw<ReplayTrailsInput>({
    length: 0,
    startIndices: new Uint32Array(0),
    positions: new Float32Array(0),
    version: 0,
  });
  histogram = $state.raw<ReplayHistogram | null>(null);
  moments = $state.raw<CaseMoments | null>(null);
  loading = $state(false);
  /** The time of the last seek's state applied: what the world in `view` is at while a seek loads. */
  private stateT = $state(0);
  /**
   * The time the map draws the world at: the clock, except while a seek loads — then the world it holds is still the
   * last one, at its own time (drawing the old world at the new time would be a draw the seek's answer waits behind).
   */
  readonly mapT = $derived(this.loading ? this.stateT : this.t);
  /** Events are not loaded up to the clock yet: the clock waits for them. */
  buffering = $state(false);
  error = $state<string | null>(null);
  /** Seeks done (diagnostics). */
  seeks = 0;
  /** The last seek's moments (performance.now(): asked, answers in, state applied), for the bench and operators. */
  lastSeek: SeekTiming | null = null;

  /** Played forward, the world drops long-finished cases as the live wall's does (the hub's seeks send it so). */
  private readonly pruning = new HourlyPrune();
  /** The log read ahead of the clock from the last seek's state on. */
  private readonly events: EventFeed;
  /** The units' tracks around the clock. */
  private readonly tracks: TrackFeed;
  private generation = 0;
  /** The asks of the seek under way, dropped when another seek starts. */
  private seekAsks: AbortController | null = null;
  private lastReal: number | null = null;
  private lastUnits = 0;
  private lastTrails = 0;
  private kpiAskedAt = 0;
  /** Whether a period is being replayed (`choosePeriod`): until then the animation loop asks nothing. */
  private periodChosen = false;
  private kpiT = Number.NaN;

  constructor(
    private readonly api: ReplayApi,
    readonly plan: SeekPlan = 'hold',
    /** `hold`: how long after the seek its first picture waits for the rest of its answer (real ms)… */
    private readonly holdMs: number = SEEK_HOLD_MS,
    /** …and at least how long after what is open came; then how much longer for a finished part being parsed. */
    private readonly graceMs: number = SEEK_GRACE_MS,
    private readonly readWaitMs: number = SEEK_READ_WAIT_MS,
  ) {
    this.events = new EventFeed(api, (err) => this.fail(err));
    this.tracks = new TrackFeed(api, this, (err) => this.fail(err));
  }

  /** The world at the clock's time (the shared reducer mutates it in place; a seek replaces it). */
  get world(): WorldState {
    return this.view.world;
  }

  /** Loads what can be replayed, picks the period (the URL's, or everything) and seeks to `t` (or its start). */
  async open(opts: { from?: number; to?: number; t?: number } = {}): Promise<void> {
    try {
      this.loading = true;
      const range = await this.api.range();
      this.range = range;
      if (range.first === null || range.last === null) {
        this.loading = false;
        return;
      }
      await this.choosePeriod(opts.from ?? range.first, opts.to ?? range.last, opts.t);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Replays [from, to]: the scrubber spans it and the clock stays inside it. */
  async choosePeriod(from: number, to: number, t?: number): Promise<void> {
    this.periodChosen = true;
    this.from = Math.min(from, to);
    this.to = Math.max(from, to, this.from + 1);
    this.histogram = null;
    // Reports are counted per world minute: bins finer than a minute would only alternate between full and empty.
    const bins = Math.max(1, Math.min(HISTOGRAM_BINS, Math.round((this.to - this.from) / 60_000)));
    // Another period chosen before this one's answer came (a commander picking a day, then another): not its bins.
    const period = { from: this.from, to: this.to };
    const still = () => this.from === period.from && this.to === period.to;
    void this.api.histogram(this.from, this.to, bins).then(
      (h) => {
        if (still()) this.histogram = h;
      },
      (err: unknown) => {
        if (still()) this.fail(err);
      },
    );
    await this.seek(t ?? this.from);
  }

  /** Jumps to world time t: the hub rebuilds the state there; playing goes on from it. */
  async seek(target: number): Promise<void> {
    const gen = ++this.generation;
    // An overtaken seek's asks are dropped: its answers would be thrown away, and they hold the browser's few
    // connections to the hub (and its work) from this one's — stepping with ← → seeks several times a second.
    this.seekAsks?.abort();
    this.events.stop();
    this.tracks.stop();
    const asks = new AbortController();
    this.seekAsks = asks;
    const signal = asks.signal;
    const t = clampTime(target, this.from, this.to);
    this.t = t;
    this.loading = true;
    this.error = null;
    const timing: SeekTiming = {
      t,
      askedAt: performance.now(),
      receivedAt: 0,
      openAt: 0,
      appliedAt: 0,
      drawsAtOpen: 0,
      drawsAtApplied: 0,
    };
    const split = this.api.snapshot === 'split';
    // Split: what is open and the finished cases and tasks (most of a late seek in a long storm, counted by the
    // panels and the heat) come apart. `hold` asks both at once and draws them together (./seek-plan.ts); the other
    // plans ask the finished part once what is open is in, and read it after a frame.
    let openShown: () => void = () => {};
    let finished: Promise<ReplayFinished> | null = null;
    const hold = this.plan === 'hold';
    // The seek's tracks, asked with the state (not after it): when they and the finished part's heat reach the map
    // is ./seek-arrival.ts's to say.
    const arrival = this.plan === 'apart' ? null : new SeekArrival<Trails>();
    const act = ({ take, heat, answered }: ArrivalStep<Trails>) => {
      if (take) this.tracks.take(take);
      if (heat) this.heatFor++;
      if (answered) this.answered++;
    };
    try {
      const stateAsked = this.api.state(t, split ? 'open' : 'all', signal);
      const positionsAsked = this.api.positions(t, signal);
      // Asked after the state: the hub starts on the small answer first.
      const tracksAsked = arrival ? this.tracks.ask(signal) : null;
      tracksAsked?.then(
        (tr) => {
          if (gen === this.generation) act(arrival!.tracksIn(tr));
        },
        () => {},
      );
      // `hold`: the finished part asked with the rest, and read as soon as it is in (there is no draw to wait for).
      const early: { rest: ReplayFinished | null; bodyIn: boolean } = { rest: null, bodyIn: false };
      if (split && hold) {
        finished = this.api.finished(t, undefined, signal, () => (early.bodyIn = true));
        finished.then(
          (rest) => (early.rest = rest),
          () => {}, // a seek overtaken by another: nobody waits for it
        );
      }
      const [state, frame] = await Promise.all([stateAsked, positionsAsked, this.plan === 'wait' ? tracksAsked : null]);
      if (gen !== this.generation) return;
      if (hold) {
        const left = holdLeft(performance.now() - timing.askedAt, this.holdMs, this.graceMs);
        // Every part settled, not the first to fail: tracks that fail (a 404 or 500) do not cut the hold short of a
        // finished part on its way; their error fails the seek below, once the picture is drawn.
        const rest = Promise.allSettled([tracksAsked, finished]);
        const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
        if (left > 0) await Promise.race([rest, wait(left)]);
        // The finished part's bytes are in and being parsed: drawn now, the open part would be drawn, then all again.
        if (early.bodyIn && early.rest === null) await Promise.race([finished!.catch(() => {}), wait(this.readWaitMs)]);
        if (gen !== this.generation) return;
      }
      if (split && !hold) {
        finished = this.api.finished(t, new Promise<void>((r) => (openShown = r)), signal);
        finished.catch(() => {}); // a seek overtaken by another: nobody waits for it
      }
      timing.receivedAt = performance.now();
      const world = fromSnapshot(state.world);
      // The finished part in already (`hold`) goes into the same world: one picture, its heat with today's closed
      // cases. One of another state (the history moved under the seek) is left to the path below.
      const merged = early.rest !== null && early.rest.world.seq === world.seq;
      if (merged) withFinished(world, early.rest!);
      this.view.world = world;
      // Another world: its heat, even when the seek stays within the heat's bin of replay time.
      if (this.plan !== 'apart') this.heatFor++;
      this.pruning.reset();
      this.kpi = state.kpi;
      this.kpiT = t;
      this.events.restart(t, state.world.seq, state.world.at);
      const units = new UnitsStore();
      if (frame) units.applyFrame({ ...frame, at: t }, performance.now());
      this.units = units;
      this.tracks.clear();
      if (arrival && tracksAsked) {
        act(arrival.openApplied(finished !== null && !merged));
        // Tracks that fail to come fail the seek, once what is open is shown.
        tracksAsked.catch((err: unknown) => {
          if (gen === this.generation) this.fail(err);
        });
      } else this.tracks.forget();
      this.stateT = t;
      this.version++;
      this.answered++;
      if (finished) {
        timing.openAt = performance.now();
        timing.drawsAtOpen = debugCounters.redraws;
      }
      if (finished && !merged) {
        this.lastSeek = timing;
        // Read the rest once the page has had a frame to draw the open part.
        requestAnimationFrame(() => setTimeout(openShown, 0));
        const rest = await finished;
        if (gen !== this.generation) return;
        if (rest.world.seq === world.seq) {
          withFinished(world, rest);
          this.view.prunedFinished(); // the cases and tasks changed, nothing else
          if (arrival) {
            this.finishedIn++;
            act(arrival.finishedApplied(true));
          }
        } else {
          // Another state (the history moved under a seek at its very end): take the whole one.
          const whole = await this.api.state(t, 'all', signal);
          if (gen !== this.generation) return;
          this.view.world = fromSnapshot(whole.world);
          this.kpi = whole.kpi;
          this.events.restart(t, whole.world.seq, whole.world.at);
          if (arrival) act(arrival.finishedApplied(false));
          else this.heatFor++;
        }
        this.version++;
        // Drawn at once if it changes the map (the heat, tracks held for it): a new picture is drawn anyway, and
        // without this it would wait for the pacer's pause. If the map's picture is the same, nothing is drawn.
        this.answered++;
      }
      this.seeks++;
      timing.appliedAt = performance.now();
      timing.drawsAtApplied = debugCounters.redraws;
      this.lastSeek = timing;
      this.loading = false;
      this.lastReal = null;
      this.tracks.keepLoaded();
    } catch (err) {
      if (gen === this.generation) this.fail(err);
    }
  }

  play(): void {
    if (this.t >= this.to) return;
    this.playing = true;
    this.lastReal = null;
  }

  pause(): void {
    this.playing = false;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: ReplaySpeed): void {
    this.speed = speed;
    if (!this.loading) this.tracks.keepLoaded();
  }

  step(minutes: number): Promise<void> {
    return this.seek(this.t + minutes * 60_000);
  }

  /** Shows a case's moments (its history to the end of the period), to jump to one. */
  async selectCase(caseId: string): Promise<void> {
    try {
      this.moments = await this.api.caseAt(caseId, this.to);
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * The opened case's photos at the clock's time (those attached by then): a finished case is held as its brief,
   * without photos, so they come from its moments (the case as at the period's end) when the world has none.
   */
  get momentPhotos(): readonly PhotoRef[] | undefined {
    const m = this.moments;
    if (!m) return undefined;
    const held = this.view.cases.get(m.case.id);
    if (held && !isCaseBrief(held)) return held.photos;
    return m.case.photos?.filter((p) => p.at <= this.t);
  }

  closeMoments(): void {
    this.moments = null;
  }

  /**
   * One step of the animation loop (`realNow`: performance.now()). Moves the clock while playing — never past the
   * events already loaded — applies the events up to it, and keeps events, tracks and KPIs loaded ahead.
   */
  frame(realNow: number): void {
    const dt = this.lastReal === null ? 0 : realNow - this.lastReal;
    this.lastReal = realNow;
    // No period (the range could not be read, or there is no history): nothing to play or load. Asked at t = 0, the
    // tracks were refused (from = -30 min) and that message replaced the reason the replay could not open.
    if (this.loading || !this.periodChosen) return;
    if (this.playing) {
      const { t, ended } = advanceReplay(this.t, dt, this.speed, this.to);
      const limit = this.events.loadedTo;
      this.buffering = t > limit && limit < this.to;
      this.t = Math.min(t, limit);
      if (ended && this.t >= this.to) this.playing = false;
    }
    this.applyUpTo(this.t);
    this.events.load(this.t, this.speed, this.to);
    this.tracks.keepLoaded();
    if (realNow - this.lastUnits >= UNITS_EVERY_MS) {
      this.lastUnits = realNow;
      this.tracks.moveUnits();
    }
    if (realNow - this.lastTrails >= TRAILS_EVERY_MS) {
      this.lastTrails = realNow;
      this.tracks.draw();
    }
    if (this.t !== this.kpiT && realNow - this.kpiAskedAt >= KPI_EVERY_MS) {
      this.kpiAskedAt = realNow;
      const t = this.t;
      const gen = this.generation;
      void this.api.kpi(t).then(
        (k) => {
          if (gen === this.generation) {
            this.kpi = k;
            this.kpiT = t;
          }
        },
        () => {},
      );
    }
  }

  /** Unit paint clock for replay: fixes are as fresh as the replayed position history says. */
  paintClock() {
    return { worldNow: this.mapT, rate: 1, staleAfterMs: REPLAY_STALE_MS };
  }

  private applyUpTo(t: number): void {
    const before = this.world.seq;
    const applied = this.events.applyUpTo(this.world, t);
    if (applied.length) this.view.applied(applied);
    if (this.world.seq !== before) {
      const dropped = this.pruning.dropped;
      this.pruning.run(this.world);
      if (this.pruning.dropped !== dropped) this.view.prunedFinished();
      this.version++;
    }
  }

  private fail(err: unknown): void {
    this.loading = false;
    this.playing = false;
    this.error = (err as Error).message ?? String(err);
  }
}
