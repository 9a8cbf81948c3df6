import { isCaseOpen, type Case } from '@egret/protocol';
import type { Layer } from '@deck.gl/core';
import { districtLabels } from '../map/boundaries.ts';
import { venueLabels } from '../map/event-picture.ts';
import { gridPicture } from '../map/grid-picture.ts';
import { dispatchLines } from '../map/layers/dispatch-lines.ts';
import { mapLayers } from '../map/layers/index.ts';
import { EMPTY_EVENT_PICTURE, type EventPicture } from '../map/layers/major-event.ts';
import { stormPicture, type StormPicture } from '../map/storm-picture.ts';
import { overdueCases } from '../state/alerts.ts';
import { reportedSince } from '../state/breakdown.ts';
import { keepIfSame } from '../state/keep-if-same.ts';
import { shownEvent } from '../state/major-events.ts';
import { modeProfile } from '../state/modes.ts';
import { readingText } from '../state/sensors.ts';
import { sensorPicture } from '../map/sensor-picture.ts';
import { activeStorms, stormHeadline, stormWords } from '../state/storms.ts';
import { dayStart } from '../state/today.ts';
import { untrack } from 'svelte';
import type { ReplayContext } from './replay-context.svelte.ts';
import { heatBinMs, replayOverlays, replayVisible } from './replay-overlays.ts';
import type { ReplaySession } from './replay-session.svelte.ts';
import { replayTrailsLayer } from './trails-layer.ts';

/**
 * The replay wall's map at the replay clock's time: every layer the live wall draws, built from the replayed
 * world (cases, units, storms, sensors, a major event, the overlays the walls had on then), with every unit's
 * recent track under the units. Derived only; the screen reads `layers` and the few figures its panels show.
 */
export class ReplayMap {
  constructor(
    private readonly session: ReplaySession,
    private readonly ctx: ReplayContext,
  ) {}

  openCases = $derived.by((): Case[] => {
    void this.session.version;
    const out: Case[] = [];
    for (const c of this.session.world.cases.values()) if (isCaseOpen(c)) out.push(c);
    return out;
  });
  /** Local midnight of the replayed day. */
  dayFrom = $derived.by(() => dayStart(this.session.t, this.ctx.timeZone));
  units = $derived.by(() => {
    void this.session.units.version;
    void this.session.version;
    return this.session.units.picture(this.session.world.units.values(), this.session.paintClock());
  });
  private labels = $derived.by(() =>
    districtLabels(this.ctx.boundaries, (code) => {
      const d = this.ctx.config.city.districts.find((x) => x.code === code);
      return d && this.ctx.i18n.name(d.name);
    }),
  );

  // The typhoon, the sensors and a major event as the wall showed them at replay time: storms are judged by the
  // minute (they update every ten), so playing does not rebuild their picture per step.
  private minute = $derived.by(() => Math.floor(this.session.t / 60_000) * 60_000);
  private storms = $derived.by(() => {
    void this.session.version;
    return activeStorms(this.session.world.storms.values(), this.minute);
  });
  /** The storm the badge names, if any. */
  storm = $derived.by(() => stormHeadline(this.storms, this.session.t));
  private lastStormPicture: StormPicture | undefined;
  private stormDrawn = $derived.by(() => {
    const { ctx } = this;
    const p = stormPicture(this.storms, { boundaries: ctx.boundaries, extent: ctx.extent, cityCenter: ctx.config.city.center, ...stormWords(ctx.i18n) }, this.lastStormPicture);
    this.lastStormPicture = p;
    return p;
  });
  /** The same array while no sensor changed (entities are replaced, not mutated): its layers re-upload nothing. */
  sensors = $derived.by(
    keepIfSame(() => {
      void this.session.version;
      return [...this.session.world.sensors.values()];
    }),
  );
  private sensorsDrawn = $derived.by(() =>
    sensorPicture(this.sensors, {
      labelAllGauges: modeProfile(this.session.world.mode).labelAllGauges,
      readingOf: (s) => readingText(s, this.ctx.i18n),
    }),
  );
  /** The event's perimeters and venues; its posts are left out (who held them is not judged in replay). */
  private guard = $derived.by(() => {
    void this.session.version;
    return shownEvent(this.ctx.config.events ?? [], this.minute, this.session.world.mode);
  });
  private eventDrawn = $derived.by((): EventPicture => {
    const e = this.guard;
    if (!e) return EMPTY_EVENT_PICTURE;
    const i18n = this.ctx.i18n;
    return {
      ...EMPTY_EVENT_PICTURE,
      perimeters: e.perimeters,
      venues: e.venues,
      venueLabels: venueLabels(e.venues, (v) => i18n.name(v.name)),
      wrapNames: i18n.locale === 'en',
    };
  });

  // The wall's overlays as the walls drew them then: the layers on at that moment, the day's heat, the overdue
  // rings, and the lines from dispatched squads to their cases.
  private visible = $derived.by(() => {
    void this.session.version;
    return replayVisible(this.session.world.mode, this.session.world.layers);
  });
  /** The heat re-counted once per bin of replay time (it re-aggregates on each), the same array while unchanged. */
  private heatBin = $derived.by(() => Math.floor(this.session.t / heatBinMs(this.session.speed)));
  private dayCases = $derived.by(
    keepIfSame((): Case[] => {
      void this.heatBin;
      const since = this.dayFrom;
      return untrack(() => {
        void this.session.version;
        return reportedSince(this.session.world.cases.values(), since);
      });
    }),
  );
  private overdue = $derived.by(keepIfSame(() => overdueCases(this.openCases, Math.floor(this.session.t / 1000) * 1000)));
  private dispatch = $derived.by(() => {
    void this.session.version;
    const w = this.session.world;
    return dispatchLines(w.tasks.values(), w.units, w.cases);
  });
  private grid = $derived.by(() => gridPicture(this.ctx.gridMap));

  /** The wall's layers, with every unit's recent track under the units. */
  layers = $derived.by((): Layer[] => {
    const { ctx, session } = this;
    const base = mapLayers({
      boundaries: ctx.boundaries, labels: this.labels, cases: this.openCases, caseColor: ctx.caseColor, units: this.units, scale: 1,
      storm: this.stormDrawn, sensors: this.sensorsDrawn, event: this.eventDrawn, grid: this.grid,
      overlays: replayOverlays(this.visible, this.dayCases, this.overdue),
      dispatch: { lines: this.dispatch, positions: session.units.positions, version: this.units.version },
    });
    const at = base.findIndex((l) => l.id === 'units');
    base.splice(at < 0 ? base.length : at, 0, replayTrailsLayer(session.trails));
    return base;
  });
}
