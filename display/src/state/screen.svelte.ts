import type { HubConfig } from '@egret/protocol';
import type { Locale } from '../i18n/translate.ts';
import type { Perimeter } from '../map/event-picture.ts';
import { linkStatus } from '../net/link-status.ts';
import { City } from './city.svelte.ts';
import { KpiStore } from './kpi.svelte.ts';
import { LayerSwitches } from './layer-switches.svelte.ts';
import { LinkStore } from './link.svelte.ts';
import { LiveSource } from './live-source.svelte.ts';
import { eventHeadline, eventOn, type EventHeadline } from './major-events.ts';
import { MapPicture } from './map-picture.svelte.ts';
import { visibleLayers, type LayerKey } from './modes.ts';
import { PostGuard } from './post-guard.svelte.ts';
import { stormHeadline, type StormHeadline } from './storms.ts';
import { Ticker } from './ticker.svelte.ts';
import { latestCases } from './today.ts';
import { UnitsStore } from './units.svelte.ts';
import { WorldStore } from './world.svelte.ts';

/** Cases in the live feed. */
export const FEED_LENGTH = 14;

/**
 * One live screen (the wall or the console): its stores, fed by the hub client (world, units, link, KPIs), and
 * what is built on them — the city (`city`), the live clocks (`live`), the map picture (`picture`), the post watch
 * (`posts`) — plus the few figures the title bar and the feed show.
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
  readonly city: City;
  readonly live: LiveSource;
  readonly picture: MapPicture;
  readonly posts: PostGuard;

  constructor(
    readonly config: HubConfig,
    locale: Locale,
  ) {
    this.city = new City(config, locale);
    this.live = new LiveSource(this.world, this.units, this.ticker, config.staleAfterMs);
    this.posts = new PostGuard(this.live, () => this.picture.guardEvent);
    this.picture = new MapPicture(this.city, this.live, {
      // This wall's `?layers=`, else what the consoles chose for every wall, else the mode's defaults.
      visible: () => visibleLayers(this.world.mode, this.layerSwitches.chosen ?? this.wallLayers),
      posts: () => this.posts.watch,
      sensorsEvery: () => this.live.sensorTick,
    });
  }

  /** The layers the consoles switched on for every wall (`layers.changed`); null: the mode's defaults. */
  wallLayers = $derived.by((): ReadonlySet<LayerKey> | null => {
    const chosen = this.world.layers;
    // A plain set: a new one per `layers.changed`, never mutated.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    return chosen ? new Set(chosen) : null;
  });

  linkStatus = $derived.by(() =>
    linkStatus({
      connected: this.link.connected,
      lastDataAt: this.link.lastDataAt,
      now: this.ticker.now,
      staleAfterMs: this.config.staleAfterMs,
      positionsDownSince: this.link.positionsDownSince,
      positionsEverUp: this.link.positionsEverUp,
      lastFrameAt: this.link.lastFrameAt,
    }),
  );

  /** Frames refused and fixes skipped out of range: counters, not state, so read again with the clock (per second). */
  linkFaults = $derived.by(() => {
    void this.ticker.now;
    return { badFrames: this.units.badFrames, refusedSlots: this.units.positions.refused };
  });

  latest = $derived.by(() => latestCases(this.world.cases.values(), FEED_LENGTH));

  /** The title bar's storm: signal, name, and the landfall countdown by the world clock (per second). */
  stormHeadline = $derived.by((): StormHeadline | null => stormHeadline(this.picture.storms, this.live.worldNow));

  /** Whether the shown event is on (world time within from–to): what the perimeters' tighter deadlines hold in. */
  eventOn = $derived.by(
    (): boolean => this.picture.guardEvent !== null && eventOn(this.picture.guardEvent, this.live.worldNow),
  );

  /** The perimeters of the event that is on now; none while none is (their alarms are about its deadlines). */
  livePerimeters = $derived.by((): readonly Perimeter[] => (this.eventOn ? this.picture.guardEvent!.perimeters : []));

  /** The title bar's event: its name, and the countdown to it or which day of the guard it is (per second). */
  eventHeadline = $derived.by((): EventHeadline | null => {
    const e = this.picture.guardEvent;
    return e ? eventHeadline(e, this.live.worldNow, this.city.timeZone) : null;
  });
}
