import { untrack } from 'svelte';
import {
  campaignRanking,
  siteCompliance,
  squadScoreRows,
  type Case,
  type RankingRow,
  type SiteCompliance,
  type SquadScoreRow,
} from '@egret/protocol';
import type { WallOverlaysInput } from '../map/layers/wall-overlays.ts';
import { activeTasks, type TaskRow } from './active-tasks.ts';
import { deriveAlerts, type Alert } from './alerts.ts';
import { keepIfSame } from './keep-if-same.ts';
import { categoryBreakdown, type GroupCount } from './breakdown.ts';
import { modeProfile, wallPanels, type ModeProfile } from './modes.ts';
import { PlanBoard } from './plan-board.svelte.ts';
import { planDefs } from './plan-view.ts';
import { PulseClock } from './pulse-clock.svelte.ts';
import { rankSlices, type RankRow } from './ranking.ts';
import type { ScreenState } from './screen.svelte.ts';
import { latestCases } from './today.ts';
import { UnitTrail } from './unit-trail.ts';
import { unitsOnDuty, type DutyRow } from './units-on-duty.ts';
import { wallLayout, type WallLayout } from './wall-layout.ts';

/** How long (real time) a new case pulses on the map. */
export const PULSE_REAL_MS = 4_000;
/** Alerts stay on the rail for this long in world time, and at least `ALERT_MIN_REAL_MS` of real time. */
export const ALERT_WINDOW_MS = 30 * 60_000;
export const ALERT_MIN_REAL_MS = 2 * 60_000;
/** Alerts on the rail at most. */
export const ALERT_MAX = 12;
/** Tasks the panel can show at most (a typhoon day holds thousands; the nearest deadlines matter). */
export const TASKS_MAX = 40;
/** Newest cases considered for pulsing: a burst beyond this in four seconds pulses only its newest. */
const FRESH_CANDIDATES = 40;

/**
 * Everything the wall shows beyond the shared screen state: the mode's profile and layout, the panels' figures,
 * the alert rail, and the map overlays. All derived from the world, the KPI report and the clock; nothing here is
 * appended to as time passes (every list is rebuilt, capped), so the wall can run for weeks.
 *
 * Create it while a component initialises: it owns one effect (the selected unit's trail) and the pulse clock.
 */
export class WallState {
  readonly pulse = new PulseClock();
  readonly trail = new UnitTrail();
  /** The unit whose trail is drawn (the console selects it; the wall can follow one from `?unit=`). */
  followUnit = $state<string | null>(null);
  private trailVersion = $state(0);

  constructor(
    readonly screen: ScreenState,
    readonly width: number,
  ) {
    $effect(() => {
      this.pulse.run(this.fresh.length > 0 && this.visible.pulse);
    });
    $effect(() => () => this.pulse.stop());
    $effect(() => this.recordTrail());
  }

  mode = $derived.by(() => this.screen.world.mode);
  profile = $derived.by((): ModeProfile => modeProfile(this.mode));
  /** The plan in force and its progress (issue #17): its panel joins the mode's while there is one. */
  readonly plan = new PlanBoard(
    () => this.screen.world,
    () => planDefs(this.screen.config),
    () => this.screen.live.worldNow,
  );
  /** World time by the minute: what the campaign panels are judged at. */
  private minute = $derived.by(() => Math.floor(this.screen.live.worldNow / 60_000) * 60_000);
  /**
   * 流动红旗: today's 文明创建 score by district (protocol `campaignRanking`, lane P4), and by squad (`squads`). Re-judged when an inspection
   * is issued or checked, or a minute passes; the cases (a problem fixed on time) are read as they are then.
   */
  ranking = $derived.by((): { day: string; rows: RankingRow[]; squads: SquadScoreRow[] } => {
    const w = this.screen.world;
    const inspections = w.inspections;
    const now = this.minute;
    const r = untrack(() =>
      campaignRanking({ inspections: inspections.values(), cases: w.cases, now, timeZone: this.screen.city.timeZone }),
    );
    return { day: r.today.day, rows: r.rows, squads: squadScoreRows(r.today) };
  });
  /** 环保督察: each construction site inspected, with its compliance (protocol `siteCompliance`, lane P4). */
  sites = $derived.by((): SiteCompliance[] => {
    const w = this.screen.world;
    const inspections = w.inspections;
    const now = this.minute;
    return untrack(() =>
      siteCompliance({ inspections: inspections.values(), cases: w.cases, sensors: w.sensors.values(), now }),
    );
  });
  layout = $derived.by((): WallLayout =>
    wallLayout(
      this.width,
      wallPanels(this.profile, {
        plan: this.plan.progress !== null,
        // Each campaign's own panel in its own mode: a major event's venue round inspects assessment points too, and
        // its wall has no room for the 文明创建 ranking.
        ranking: this.mode === 'civilised_city' && this.ranking.rows.some((r) => r.inspections > 0),
        sites: this.mode === 'environmental' && this.sites.length > 0,
      }),
    ),
  );
  /** This wall's `?layers=`, else what the consoles chose for every wall, else the mode's defaults. */
  visible = $derived.by(() => this.screen.picture.visible);

  /** Today's cases, as the heat counts them (re-counted every few seconds; the same array while unchanged). */
  today = $derived.by((): Case[] => this.screen.picture.today);

  breakdown = $derived.by((): GroupCount[] =>
    categoryBreakdown(this.today, (c) => this.screen.city.categories.group(c.category), this.profile.leadGroups),
  );

  /** League tables from the hub's KPI report (today's cohort); null until the first report arrives. */
  districtRanking = $derived.by((): RankRow[] | null => {
    const r = this.screen.kpi.report;
    return r ? rankSlices(r.today.byDistrict, this.profile.rankBy) : null;
  });
  squadRanking = $derived.by((): RankRow[] | null => {
    const r = this.screen.kpi.report;
    return r ? rankSlices(r.today.bySquad, this.profile.rankBy) : null;
  });

  unitsOnDuty = $derived.by((): DutyRow[] => unitsOnDuty(this.screen.world.units.values()));

  tasks = $derived.by((): TaskRow[] => {
    const w = this.screen.world;
    return activeTasks(w.tasks.values(), w.cases, w.units, TASKS_MAX);
  });

  alerts = $derived.by((): Alert[] => {
    const { live, picture } = this.screen;
    const windowMs = Math.max(ALERT_WINDOW_MS, ALERT_MIN_REAL_MS * live.rate);
    return deriveAlerts(picture.openCases, {
      now: live.judgedAt,
      windowMs,
      max: ALERT_MAX,
      sensors: picture.sensors,
      // The guard's alarms: units off their posts (an event shown), overdue cases in its perimeters (an event on).
      offPost: this.screen.posts.offPost,
      perimeters: this.screen.livePerimeters,
    });
  });

  private recent = $derived.by(() => latestCases(this.screen.world.cases.values(), FRESH_CANDIDATES));
  private freshRaw = $derived.by(() => {
    const since = this.screen.live.worldNow - PULSE_REAL_MS * this.screen.live.rate;
    return this.recent.filter((c) => c.reportedAt >= since);
  });
  /** Cases that just arrived: pulsing on the map. */
  fresh = $derived.by(keepIfSame(() => this.freshRaw));

  /** The map picture's overlays (heat, overdue rings), with the live wall's own: pulses and the followed unit's trail. */
  overlays = $derived.by((): WallOverlaysInput => ({
    ...this.screen.picture.overlays,
    fresh: this.fresh,
    pulsePhase: this.pulse.phase,
    trail: this.trailPicture,
  }));

  private trailPicture = $derived.by(() => {
    const version = this.trailVersion;
    return { path: untrack(() => this.trail.path()), version };
  });

  /** Follows the selected unit and records each new fix of it from the position frames. */
  private recordTrail(): void {
    const id = this.followUnit;
    void this.screen.units.version;
    untrack(() => {
      this.trail.follow(id);
      const unit = id === null ? undefined : this.screen.world.world.units.get(id);
      const p = this.screen.units.positions;
      if (unit && p.has(unit.slot)) {
        this.trail.record(p.lon(unit.slot), p.lat(unit.slot), p.fixAt[unit.slot]!);
        this.trail.prune(this.screen.live.worldNow);
      }
      if (this.trail.version !== this.trailVersion) this.trailVersion = this.trail.version;
    });
  }
}
