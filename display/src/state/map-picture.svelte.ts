import { untrack } from 'svelte';
import { isCaseOpen, type Case, type MajorEventInfo, type Sensor, type Storm } from '@egret/protocol';
import { districtLabels } from '../map/boundaries.ts';
import { offPostLabels, offPostLinks, venueLabels, type OffPostUnit, type PostRow } from '../map/event-picture.ts';
import { gridPicture } from '../map/grid-picture.ts';
import { heatCases } from '../map/heat-picture.ts';
import { planMapPicture, type PlanMapPicture } from '../map/plan-picture.ts';
import { dispatchLines, type DispatchLine, type LivePositions } from '../map/layers/dispatch-lines.ts';
import type { MapLayersInput } from '../map/layers/index.ts';
import { EMPTY_EVENT_PICTURE, type EventPicture } from '../map/layers/major-event.ts';
import { stillOverlays, type LayerVisibility, type WallOverlaysInput } from '../map/layers/wall-overlays.ts';
import { sensorPicture, type SensorPicture } from '../map/sensor-picture.ts';
import { stormPicture, type StormPicture } from '../map/storm-picture.ts';
import { overdueCases } from './alerts.ts';
import { reportedSince } from './breakdown.ts';
import type { City } from './city.svelte.ts';
import { keepIfSame } from './keep-if-same.ts';
import { shownEvent } from './major-events.ts';
import { modeProfile } from './modes.ts';
import type { PostWatch } from './post-watch.ts';
import { activeStorms, stormWords } from './storms.ts';
import { dayStart } from './today.ts';
import type { UnitsPicture } from './units.svelte.ts';
import type { WorldSource } from './world-parts.svelte.ts';

/**
 * What a map picture is drawn from: the live screen (the hub's log, its position frames, the world clock) or a
 * replay session (the replayed log, position history, the replay clock). The two differ only in their clocks.
 */
export interface PictureSource {
  readonly world: WorldSource;
  /** World time now. */
  readonly now: number;
  /** World time the overdue rings are judged at: stepped (once a real second), so they are not re-judged per frame. */
  readonly judgedAt: number;
  /** Changes when today's cases are to be re-counted for the heat (which re-aggregates on each): every few seconds. */
  readonly recount: number;
  /** Where units are, and their colours now. */
  readonly positions: LivePositions;
  readonly unitsPicture: UnitsPicture;
}

export interface MapPictureOptions {
  /** Which switchable layers are drawn (the wall's switches; in replay, the walls' at that moment). */
  visible: () => LayerVisibility;
  /** The posts and who is off them (the live screen judges them from its frames); none in replay. */
  posts?: () => PostWatch;
  /**
   * What the sensors are re-read on, when not on every reading (live: a real-time tick — at 60× a city's gauges
   * log dozens of readings a second, and the map need not re-lay their glyphs for each).
   */
  sensorsEvery?: () => number;
}

/**
 * The one derivation of the map's picture from a world source, for the wall, the console and replay alike: every
 * layer's input, each rebuilt only when the part of the world it is drawn from changes (cases, tasks, storms…),
 * never per frame unless it moves per frame (the units). Layers themselves are built by `mapLayers` (map/).
 */
export class MapPicture {
  constructor(
    readonly city: City,
    private readonly source: PictureSource,
    private readonly options: MapPictureOptions,
  ) {}

  openCases = $derived.by((): Case[] => {
    const out: Case[] = [];
    for (const c of this.source.world.cases.values()) if (isCaseOpen(c)) out.push(c);
    return out;
  });

  /** World time in whole minutes: what storms and the shown event are judged by (they change hourly, not per second). */
  private minute = $derived.by(() => Math.floor(this.source.now / 60_000) * 60_000);
  /** Local midnight of the world's today: changes once a day. */
  dayFrom = $derived.by(() => dayStart(this.source.now, this.city.timeZone));

  labels = $derived.by(() => districtLabels(this.city.boundaries, this.city.districtLabel));

  /** Units on their way to or working at a case: rebuilt when tasks, units or cases change, not per position frame. */
  dispatchLines = $derived.by((): DispatchLine[] => {
    const w = this.source.world;
    return dispatchLines(w.tasks.values(), w.units, w.cases);
  });

  /** Storms reported within the last day, the most pressing first; the same array until one is updated. */
  storms = $derived.by(keepIfSame((): Storm[] => activeStorms(this.source.world.storms.values(), this.minute)));

  private lastStormPicture: StormPicture | undefined;
  /** What the storm layers draw: rebuilt when a storm is updated (or the language changes), never per frame. */
  stormPicture = $derived.by((): StormPicture => {
    const { city } = this;
    const picture = stormPicture(
      this.storms,
      {
        boundaries: city.boundaries,
        extent: city.extent,
        cityCenter: city.config.city.center,
        ...stormWords(city.i18n),
      },
      this.lastStormPicture,
    );
    this.lastStormPicture = picture; // a plain field, not state: remembered for the next rebuild only
    return picture;
  });

  /** Every sensor; the same array until one is registered or read (entities are replaced, not mutated). */
  sensors = $derived.by(
    keepIfSame((): Sensor[] => {
      const every = this.options.sensorsEvery;
      if (!every) return [...this.source.world.sensors.values()];
      void every();
      return untrack(() => [...this.source.world.sensors.values()]);
    }),
  );

  sensorPicture = $derived.by((): SensorPicture =>
    sensorPicture(this.sensors, {
      labelAllGauges: modeProfile(this.source.world.mode).labelAllGauges,
      readingOf: this.city.readingOf,
    }),
  );

  /**
   * The major event shown: the one on now, or in major_event mode the next to come (or the last). Judged by the
   * minute, so it is the same object until that changes and nothing downstream re-runs per second.
   */
  guardEvent = $derived.by((): MajorEventInfo | null =>
    shownEvent(this.city.events, this.minute, this.source.world.mode),
  );

  /** Posts with how they are held, and the units off them: new arrays only when one's state changes. */
  private postRows = $derived.by((): readonly PostRow[] => this.options.posts?.().posts ?? EMPTY_EVENT_PICTURE.posts);
  private offPost = $derived.by(
    (): readonly OffPostUnit[] => this.options.posts?.().offPost ?? EMPTY_EVENT_PICTURE.offPost,
  );
  private venueLabelRows = $derived.by(() =>
    venueLabels(this.guardEvent?.venues ?? [], (v) => this.city.i18n.name(v.name)),
  );
  private offPostDrawn = $derived.by(() => {
    const { i18n } = this.city;
    return {
      links: offPostLinks(this.offPost),
      labels: offPostLabels(this.offPost, (u) =>
        i18n.t('event.offPostLabel', { post: i18n.name(u.post.name), m: u.distanceM }),
      ),
    };
  });

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
      wrapNames: this.city.i18n.locale === 'en',
    };
  });

  /**
   * What the plan layer draws: the active plans' points by state and pre-position targets, rebuilt when a plan's part
   * of the world changes or a minute passes (a point turns overdue), never per frame (the lines' unit ends move alone).
   */
  plan = $derived.by((): PlanMapPicture => {
    const w = this.source.world;
    // Units only for an ordered unit's slot, fixed for its life: a unit's status change need not rebuild the points.
    const units = untrack(() => w.units);
    return planMapPicture(w.plans.values(), w.inspections.values(), w.prepositions.values(), units, this.minute);
  });

  /** What the grid layers draw: built once, when the grid map arrives. */
  grid = $derived.by(() => gridPicture(this.city.gridMap));

  visible = $derived.by((): LayerVisibility => this.options.visible());

  /**
   * Today's cases for the heat, re-counted at most on each `recount` (heat re-aggregates on each), and the same
   * array while they are the same cases: a quiet city's map is not redrawn for a re-count that found nothing new.
   */
  today = $derived.by(
    keepIfSame((): Case[] => {
      void this.source.recount;
      const since = this.dayFrom;
      return untrack(() => reportedSince(this.source.world.cases.values(), since));
    }),
  );

  /** Open cases past their deadline; the same array while the same cases are, so deck.gl re-uploads nothing. */
  overdue = $derived.by(keepIfSame(() => overdueCases(this.openCases, this.source.judgedAt)));

  /** What the heat aggregates in the world's mode: today's cases, or in 环保督察 the dust and noise complaints. */
  heat = $derived.by(keepIfSame(() => [...heatCases(this.source.world.mode, this.today, this.dayFrom)]));

  /** The switchable overlays every wall draws (the live wall adds its pulses and a unit's trail). */
  overlays = $derived.by((): WallOverlaysInput => stillOverlays(this.visible, this.heat, this.overdue));

  /** Every layer's input but the wall's overlays, the console's selection and replay's tracks. */
  input = $derived.by((): MapLayersInput => ({
    boundaries: this.city.boundaries,
    labels: this.labels,
    cases: this.openCases,
    caseColor: this.city.caseColor,
    units: this.source.unitsPicture,
    // The moving ends follow the units' paint version (every frame); the rows change only with the tasks.
    dispatch: {
      lines: this.dispatchLines,
      positions: this.source.positions,
      version: this.source.unitsPicture.version,
    },
    storm: this.stormPicture,
    sensors: this.sensorPicture,
    event: this.eventPicture,
    plan: this.plan,
    grid: this.grid,
  }));
}
