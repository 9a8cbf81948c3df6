import { untrack } from 'svelte';
import { isCaseOpen, worldNow, type Case, type GridMap, type HubConfig, type MajorEventInfo, type Sensor, type Storm, type Unit } from '@egret/protocol';
import { I18n } from '../i18n/i18n.svelte.ts';
import type { Locale } from '../i18n/translate.ts';
import { boundsOf, districtLabels, type Boundaries } from '../map/boundaries.ts';
import type { Bbox } from '../map/view.ts';
import type { MapLayersInput } from '../map/layers/index.ts';
import { dispatchLines, type DispatchLine } from '../map/layers/dispatch-lines.ts';
import { EMPTY_EVENT_PICTURE, type EventPicture } from '../map/layers/major-event.ts';
import { gridPicture } from '../map/grid-picture.ts';
import { offPostLabels, offPostLinks, venueLabels, type OffPostUnit, type Perimeter, type Post, type PostRow } from '../map/event-picture.ts';
import { sensorPicture, type SensorPicture } from '../map/sensor-picture.ts';
import { stormPicture, type StormPicture } from '../map/storm-picture.ts';
import { linkStatus } from '../net/link-status.ts';
import { THEME } from '../theme.ts';
import { CategoryIndex } from './categories.ts';
import { keepIfSame } from './keep-if-same.ts';
import { KpiStore } from './kpi.svelte.ts';
import { LayerSwitches } from './layer-switches.svelte.ts';
import { LinkStore } from './link.svelte.ts';
import { eventHeadline, eventOn, shownEvent, type EventHeadline } from './major-events.ts';
import { modeProfile, type LayerKey } from './modes.ts';
import { EMPTY_POST_WATCH, trackBeyond, watchPosts, type BeyondSince, type PostHolder, type PostWatch } from './post-watch.ts';
import { readingText } from './sensors.ts';
import { activeStorms, stormHeadline, stormWords, type StormHeadline } from './storms.ts';
import { Ticker } from './ticker.svelte.ts';
import { dayStart, latestCases } from './today.ts';
import { UnitsStore } from './units.svelte.ts';
import { WorldStore } from './world.svelte.ts';

/** Cases in the live feed. */
export const FEED_LENGTH = 14;
/** How often units are re-checked for staleness while no frame arrives. */
const SWEEP_MS = 1_000;
/**
 * Sensors are re-read from the world at most this often (real ms): a city's few hundred sensors log a reading every
 * few world minutes each, which at 60× is dozens a second — the map need not re-lay their glyphs for each one.
 */
const SENSOR_REFRESH_MS = 2_000;

/**
 * Everything one screen shows, derived from the hub's config, the world, the unit positions, the link and the
 * ticking clock. Panels get plain values from here; the map gets one layers input.
 */
export class ScreenState {
  readonly world = new WorldStore();
  readonly units = new UnitsStore();
  readonly link = new LinkStore();
  readonly ticker = new Ticker();
  /** The hub's KPI table (`kpi:report`). */
  readonly kpi = new KpiStore();
  /** Which optional map layers are on (the mode's defaults until someone chooses). */
  readonly layerSwitches = new LayerSwitches();
  readonly i18n: I18n;
  readonly categories: CategoryIndex;
  readonly boundaries: Boundaries;
  readonly timeZone: string;
  /** What the map shows: the districts' outlines, or the city's nominal bbox without them. */
  readonly extent: Bbox;
  /** The major events the city guards (重大活动保障), from the hub's config; none without an events file. */
  readonly events: readonly MajorEventInfo[];
  /** The city's unit grids (`GET /api/map/grids`), fetched after boot; null until they arrive. */
  gridMap = $state.raw<GridMap | null>(null);

  constructor(readonly config: HubConfig, locale: Locale) {
    this.i18n = new I18n(locale);
    this.categories = new CategoryIndex(config.categories);
    this.boundaries = config.boundaries.geojson;
    this.timeZone = config.display.timezone || config.city.timezone;
    this.extent = boundsOf(this.boundaries) ?? config.city.bbox;
    this.events = config.events ?? [];
  }

  /** World time now by the world clock (the simulator may run faster than real time). */
  worldNow = $derived.by(() => {
    void this.world.version; // the clock is mutated in place by `clock.changed`
    return worldNow(this.world.world.clock, this.ticker.now);
  });

  mode = $derived.by(() => {
    void this.world.version;
    return this.world.world.mode;
  });

  /** The layers the consoles switched on for every wall (`layers.changed`); null: the mode's defaults. */
  wallLayers = $derived.by((): ReadonlySet<LayerKey> | null => {
    void this.world.version;
    const chosen = this.world.world.layers;
    return chosen ? new Set(chosen) : null;
  });

  rate = $derived.by(() => {
    void this.world.version;
    return this.world.world.clock.rate;
  });

  linkStatus = $derived.by(() =>
    linkStatus({ connected: this.link.connected, lastDataAt: this.link.lastDataAt, now: this.ticker.now, staleAfterMs: this.config.staleAfterMs }),
  );

  /** Local midnight of the world's today: changes once a day, so today's counts do not recount every second. */
  todayStart = $derived.by(() => dayStart(this.worldNow, this.timeZone));

  latest = $derived.by(() => {
    void this.world.version;
    return latestCases(this.world.world.cases.values(), FEED_LENGTH);
  });

  openCases = $derived.by((): Case[] => {
    void this.world.version;
    const out: Case[] = [];
    for (const c of this.world.world.cases.values()) if (isCaseOpen(c)) out.push(c);
    return out;
  });

  /**
   * Once a second while no frame moves a unit, so units grey out when their fixes stop. While units move each
   * frame repaints them anyway: this stays constant then, and the map is not redrawn twice a second for nothing.
   */
  private staleSweep = $derived.by(() => {
    const last = this.units.lastChangeRealAt; // not reactive: read for the decision only
    return last === null || this.ticker.now - last > SWEEP_MS ? Math.floor(this.ticker.now / SWEEP_MS) : -1;
  });

  /** Unit colours for now: repainted per frame, per world change, and by the stale sweep (kept when it changed nothing). */
  unitsPicture = $derived.by(() => {
    void this.units.version;
    const worldVersion = this.world.version;
    void this.staleSweep;
    const clock = this.world.world.clock;
    const realNow = untrack(() => this.ticker.now);
    const now = this.units.hubWorldNow(realNow, clock.rate, untrack(() => this.worldNow));
    // The same picture when a sweep changed nothing: the derived passes nothing on, and the map is not redrawn.
    return this.units.picture(this.world.world.units.values(), { worldNow: now, rate: clock.rate, staleAfterMs: this.config.staleAfterMs }, worldVersion);
  });

  labels = $derived.by(() =>
    districtLabels(this.boundaries, (code) => {
      const d = this.config.city.districts.find((x) => x.code === code);
      return d && this.i18n.name(d.name);
    }),
  );

  caseColor = (c: Case) => this.categories.color(c.category, THEME.caseUnknown);

  /** Units on their way to or working at a case: rebuilt when the world changes, not per position frame. */
  dispatchLines = $derived.by((): DispatchLine[] => {
    void this.world.version;
    const w = this.world.world;
    return dispatchLines(w.tasks.values(), w.units, w.cases);
  });

  /** World time in whole minutes: what storms are sorted and aged by (they update hourly, not per second). */
  private worldMinute = $derived.by(() => Math.floor(this.worldNow / 60_000));

  /** Storms reported within the last day, the most pressing first; the same array until one is updated. */
  storms = $derived.by(
    keepIfSame((): Storm[] => {
      void this.world.version;
      return activeStorms(this.world.world.storms.values(), this.worldMinute * 60_000);
    }),
  );

  /** The title bar's storm: signal, name, and the landfall countdown by the world clock (per second). */
  stormHeadline = $derived.by((): StormHeadline | null => stormHeadline(this.storms, this.worldNow));

  private lastStormPicture: StormPicture | undefined;
  /** What the storm layers draw: rebuilt when a storm is updated (or the language changes), never per frame. */
  stormPicture = $derived.by((): StormPicture => {
    const previous = this.lastStormPicture;
    const picture = stormPicture(
      this.storms,
      { boundaries: this.boundaries, extent: this.extent, cityCenter: this.config.city.center, ...stormWords(this.i18n) },
      previous,
    );
    this.lastStormPicture = picture; // a plain field, not state: remembered for the next rebuild only
    return picture;
  });

  private sensorTick = $derived.by(() => Math.floor(this.ticker.now / SENSOR_REFRESH_MS));
  /** Every sensor, re-read every `SENSOR_REFRESH_MS`; the same array until one is registered or read. */
  sensors = $derived.by(
    keepIfSame((): Sensor[] => {
      void this.sensorTick;
      return untrack(() => [...this.world.world.sensors.values()]);
    }),
  );

  /** A reading in words, as the map's labels and the alert rail show it. */
  readingOf = (s: Sensor): string => readingText(s, this.i18n);

  sensorPicture = $derived.by(
    (): SensorPicture => sensorPicture(this.sensors, { labelAllGauges: modeProfile(this.mode).labelAllGauges, readingOf: this.readingOf }),
  );

  /**
   * The major event shown: the one on now, or in major_event mode the next to come (or the last). Judged by the
   * minute, so it is the same object until that changes and nothing downstream re-runs per second.
   */
  guardEvent = $derived.by((): MajorEventInfo | null => shownEvent(this.events, this.worldMinute * 60_000, this.mode));

  /** Whether the shown event is on (world time within from–to): what the perimeters' tighter deadlines hold in. */
  eventOn = $derived.by((): boolean => this.guardEvent !== null && eventOn(this.guardEvent, this.worldNow));

  /** The perimeters of the event that is on now; none while none is (their alarms are about its deadlines). */
  livePerimeters = $derived.by((): readonly Perimeter[] => (this.eventOn ? this.guardEvent!.perimeters : []));

  /** The title bar's event: its name, and the countdown to it or which day of the guard it is (per second). */
  eventHeadline = $derived.by((): EventHeadline | null => (this.guardEvent ? eventHeadline(this.guardEvent, this.worldNow, this.timeZone) : null));

  private postIndex = $derived.by((): ReadonlyMap<string, Post> => new Map((this.guardEvent?.posts ?? []).map((p) => [p.id, p])));

  /** Units on duty holding a post (`postId`), while an event is shown; the same array until one of them changes. */
  private postUnits = $derived.by(
    keepIfSame((): Unit[] => {
      void this.world.version;
      const out: Unit[] = [];
      if (!this.guardEvent) return out;
      for (const u of this.world.world.units.values()) if (u.postId !== undefined && u.status !== 'off_duty') out.push(u);
      return out;
    }),
  );

  /** When each post unit was first seen beyond its radius: carried from frame to frame (a plain field, not state). */
  private beyond: BeyondSince = new Map();
  private lastWatch: PostWatch | undefined;

  /**
   * The posts and who is off them, judged at every position frame (and by the stale sweep while none comes) from
   * the units' latest fixes. World time is the hub's, from its frames, as for the units' staleness.
   */
  postWatch = $derived.by((): PostWatch => {
    const event = this.guardEvent;
    const units = this.postUnits;
    void this.units.version;
    void this.staleSweep;
    if (!event) {
      this.beyond = new Map();
      this.lastWatch = undefined;
      return EMPTY_POST_WATCH;
    }
    const p = this.units.positions;
    const holders = units.map(
      (u): PostHolder =>
        p.has(u.slot)
          ? { unitId: u.id, name: u.name, postId: u.postId!, position: [p.lon(u.slot), p.lat(u.slot)], fixAt: p.fixAt[u.slot]! }
          : { unitId: u.id, name: u.name, postId: u.postId!, position: u.position ?? null, fixAt: u.fixAt ?? null },
    );
    const now = this.units.hubWorldNow(untrack(() => this.ticker.now), this.rate, untrack(() => this.worldNow));
    this.beyond = trackBeyond(this.beyond, holders, this.postIndex);
    this.lastWatch = watchPosts(holders, this.beyond, event.posts, now, this.lastWatch);
    return this.lastWatch;
  });

  /** Posts with how they are held; a new array only when one's state changes (deriveds pass on only new values). */
  postRows = $derived.by((): readonly PostRow[] => this.postWatch.posts);
  /** Units off their posts now, longest absent first. */
  offPost = $derived.by((): readonly OffPostUnit[] => this.postWatch.offPost);

  private venueLabelRows = $derived.by(() => venueLabels(this.guardEvent?.venues ?? [], (v) => this.i18n.name(v.name)));
  private offPostDrawn = $derived.by(() => ({
    links: offPostLinks(this.offPost),
    labels: offPostLabels(this.offPost, (u) => this.i18n.t('event.offPostLabel', { post: this.i18n.name(u.post.name), m: u.distanceM })),
  }));

  /** What the event's layers draw: config arrays as they are, the rest rebuilt only when it changes. */
  eventPicture = $derived.by((): EventPicture => {
    const e = this.guardEvent;
    if (!e) return EMPTY_EVENT_PICTURE;
    return {
      perimeters: e.perimeters,
      venues: e.venues,
      venueLabels: this.venueLabelRows,
      posts: this.postRows,
      offPost: this.offPost,
      offPostLinks: this.offPostDrawn.links,
      offPostLabels: this.offPostDrawn.labels,
      wrapNames: this.i18n.locale === 'en',
    };
  });

  /** What the grid layers draw: built once, when the grid map arrives. */
  gridPicture = $derived(gridPicture(this.gridMap));

  mapInput = $derived.by((): MapLayersInput => ({
    boundaries: this.boundaries,
    labels: this.labels,
    cases: this.openCases,
    caseColor: this.caseColor,
    units: this.unitsPicture,
    // The moving ends follow the units' paint version (every frame); the rows change only with the tasks.
    dispatch: { lines: this.dispatchLines, positions: this.units.positions, version: this.unitsPicture.version },
    storm: this.stormPicture,
    sensors: this.sensorPicture,
    event: this.eventPicture,
    grid: this.gridPicture,
  }));

  districtName = (code: string): string => {
    const d = this.config.city.districts.find((x) => x.code === code);
    return d ? this.i18n.name(d.name) : this.i18n.t('district.unknown');
  };
}
