import { untrack } from 'svelte';
import { isCaseOpen, worldNow, type Case, type HubConfig, type Sensor, type Storm } from '@egret/protocol';
import { I18n } from '../i18n/i18n.svelte.ts';
import type { Locale } from '../i18n/translate.ts';
import { boundsOf, districtLabels, type Boundaries } from '../map/boundaries.ts';
import type { Bbox } from '../map/view.ts';
import type { MapLayersInput } from '../map/layers/index.ts';
import { dispatchLines, type DispatchLine } from '../map/layers/dispatch-lines.ts';
import { stormPicture, type StormPicture } from '../map/storm-picture.ts';
import { linkStatus } from '../net/link-status.ts';
import { THEME } from '../theme.ts';
import { CategoryIndex } from './categories.ts';
import { keepIfSame } from './keep-if-same.ts';
import { KpiStore } from './kpi.svelte.ts';
import { LayerSwitches } from './layer-switches.svelte.ts';
import { LinkStore } from './link.svelte.ts';
import { modeProfile } from './modes.ts';
import { formatReading, sensorPicture, type SensorPicture } from './sensors.ts';
import { activeStorms, intensityClass, stormHeadline, type StormHeadline } from './storms.ts';
import { Ticker } from './ticker.svelte.ts';
import { dayStart, latestCases, todayCounts } from './today.ts';
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

  constructor(readonly config: HubConfig, locale: Locale) {
    this.i18n = new I18n(locale);
    this.categories = new CategoryIndex(config.categories);
    this.boundaries = config.boundaries.geojson;
    this.timeZone = config.display.timezone || config.city.timezone;
    this.extent = boundsOf(this.boundaries) ?? config.city.bbox;
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

  rate = $derived.by(() => {
    void this.world.version;
    return this.world.world.clock.rate;
  });

  linkStatus = $derived.by(() =>
    linkStatus({ connected: this.link.connected, lastDataAt: this.link.lastDataAt, now: this.ticker.now, staleAfterMs: this.config.staleAfterMs }),
  );

  /** Local midnight of the world's today: changes once a day, so today's counts do not recount every second. */
  todayStart = $derived.by(() => dayStart(this.worldNow, this.timeZone));

  today = $derived.by(() => {
    void this.world.version;
    return todayCounts(this.world.world.cases.values(), this.todayStart);
  });

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
   * Once a second while no frame arrives, so units grey out when their fixes stop. While frames flow each one
   * repaints the units anyway: this stays constant then, and the map is not redrawn twice a second for nothing.
   */
  private staleSweep = $derived.by(() => {
    const last = this.units.lastFrameRealAt; // not reactive: read for the decision only
    return last === null || this.ticker.now - last > SWEEP_MS ? Math.floor(this.ticker.now / SWEEP_MS) : -1;
  });

  /** Unit colours for now: repainted per frame, per world change, and by the stale sweep. */
  unitsPicture = $derived.by(() => {
    void this.units.version;
    void this.world.version;
    void this.staleSweep;
    const clock = this.world.world.clock;
    const realNow = untrack(() => this.ticker.now);
    const now = this.units.hubWorldNow(realNow, clock.rate, untrack(() => this.worldNow));
    return this.units.picture(this.world.world.units.values(), { worldNow: now, rate: clock.rate, staleAfterMs: this.config.staleAfterMs });
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
      {
        boundaries: this.boundaries,
        extent: this.extent,
        cityCenter: this.config.city.center,
        labelOf: (s) =>
          this.i18n.t('storm.centreLabel', {
            name: this.i18n.name(s.name),
            intensity: this.i18n.t(`storm.class.${intensityClass(s.maxWindMs)}`),
            wind: Math.round(s.maxWindMs),
            pressure: Math.round(s.pressureHpa),
          }),
        pointerText: (s, km) => this.i18n.t('storm.pointer', { name: this.i18n.name(s.name), km }),
      },
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
  readingOf = (s: Sensor): string =>
    s.kind === 'dog_tag' ? this.i18n.t('sensor.dogAlarm') : s.value === undefined ? '—' : formatReading(s.value, s.unit);

  sensorPicture = $derived.by(
    (): SensorPicture => sensorPicture(this.sensors, { labelAllGauges: modeProfile(this.mode).labelAllGauges, readingOf: this.readingOf }),
  );

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
  }));

  districtName = (code: string): string => {
    const d = this.config.city.districts.find((x) => x.code === code);
    return d ? this.i18n.name(d.name) : this.i18n.t('district.unknown');
  };
}
