import type { InputMessage } from '@egret/protocol';
import type { CityScenarioFile, EgretConfig, PlacesFile } from '@egret/config';
import { Rng } from '../rng.ts';
import { Agenda } from './agenda.ts';
import { ArrivalProcess } from './arrivals.ts';
import { CaseMaker } from './case-maker.ts';
import type { CityGeometry } from './city-geometry.ts';
import { Duty } from './duty.ts';
import type { Feed } from './feed.ts';
import { FieldSide } from './field/field-side.ts';
import { InspectionWork, type InspectionProfile } from './field/inspection-work.ts';
import { HeldUnits } from './field/terminals.ts';
import { FixBatchWriter } from './fix-batches.ts';
import { planIntake } from './intake.ts';
import { localMinuteOfDay, utcOffsetMs } from './local-time.ts';
import { Patrols } from './patrols.ts';
import { buildRoster, UNIT_TYPES, type Roster } from './roster.ts';
import { sensorRaisedCases, type RaisedCase } from './sensors/raised-cases.ts';
import type { StepOutput, World, WorldCounters } from './world.ts';

export interface CityWorldInput {
  scenario: CityScenarioFile;
  config: Pick<EgretConfig, 'city' | 'categories'>;
  geometry: CityGeometry;
  places: PlacesFile;
  seed: number | string;
  totalUnits: number;
  /** About when the world will start: fixes the city's UTC offset (the processes start at `start(now)`). */
  start: number;
  maxFixesPerBatch?: number;
  lastSerials?: ReadonlyMap<string, number>;
  /** Upstream systems played alongside the city (its IoT sensors, a storm's feeds); their case reports go through intake. */
  feeds?: readonly Feed[];
  /** Share (0–1) of the scenario's own case rate still coming in at t (a storm keeps people in); 1 when absent. */
  caseRateFactor?: (t: number) => number;
  /**
   * Speed factor (0–1] of unit i at its position at t (fallen trees on the roads); 1 when absent. It scales the
   * distance a unit covers in a step, on its beat and on a task alike.
   */
  speedFactor?: (i: number, t: number, lon: number, lat: number) => number;
  /** How squads work a plan's rounds (dwell, share of problems found); `DEFAULT_INSPECTION_PROFILE` when absent. */
  inspectionProfile?: InspectionProfile;
}

/**
 * An ordinary city: squads on shifts patrolling their duty areas, devices dropping out now and then, cases
 * arriving on the day's profile and walked through intake. Each concern draws from its own random stream, so
 * adding a draw to one (say, a new case field) never moves the patrols. `feeds` add upstream systems (IoT sensors,
 * a storm): their messages are sent in time order with the city's, and their case reports take the same intake —
 * each drawn from a stream forked by its case id, so a feed's cases never shift the city's own draws. So do the
 * cases the hub raises from sensor alarms, seen in its log: the intake desk accepts and files them like any report.
 */
export function createCityWorld(input: CityWorldInput): World {
  const { scenario, config, geometry } = input;
  const root = new Rng(input.seed);
  const rng = {
    move: root.fork('moves'),
    duty: root.fork('duty'),
    arrivals: root.fork('arrivals'),
    cases: root.fork('cases'),
    intake: root.fork('intake'),
    place: root.fork('place'),
    field: root.fork('field'),
  };
  const offsetMs = utcOffsetMs(config.city.timezone, input.start);
  const roster: Roster = buildRoster({
    districts: config.city.districts,
    lattice: geometry.lattice,
    cells: geometry.cells,
    types: scenario.units.types,
    speedJitter: scenario.units.speedJitter,
    shifts: scenario.units.shifts,
    shiftJitterMinutes: scenario.units.shiftJitterMinutes,
    totalUnits: input.totalUnits,
    rng: root.fork('roster'),
  });
  const pauseMs = UNIT_TYPES.map((t) => {
    const [lo, hi] = scenario.units.types[t].dwellMinutes;
    return [lo * 60_000, hi * 60_000] as const;
  });
  const patrols = new Patrols(roster, geometry.lattice, pauseMs, geometry.travel);
  const duty = new Duty(roster, scenario.units.shifts, scenario.units.offline);
  // Arrivals begin when the world starts (which may be a moment after it is built).
  let arrivals = new ArrivalProcess(
    scenario.cases.perDay,
    scenario.cases.hourly,
    offsetMs,
    rng.arrivals,
    input.start,
    input.caseRateFactor,
  );
  const maker = new CaseMaker({
    cases: scenario.cases,
    categories: config.categories,
    districts: config.city.districts,
    shapes: geometry.shapes,
    places: input.places.districts,
    lattice: geometry.lattice,
    offsetMs,
    ...(input.lastSerials ? { lastSerials: input.lastSerials } : {}),
  });
  const agenda = new Agenda<InputMessage>();
  const writer = new FixBatchWriter(input.maxFixesPerBatch ?? 1000);
  // Units on a live field terminal (issue #16) are the street's: not moved, not reported, their tasks not answered.
  const held = new HeldUnits();
  const field = new FieldSide({
    held: (unitId) => held.has(unitId),
    roster,
    patrols,
    duty,
    field: scenario.field,
    verification: scenario.verification,
    categories: config.categories,
    rng: rng.field,
  });
  // The squads working a plan's rounds and posts (issue #17): idle until the hub issues inspections or orders.
  const plans = new InspectionWork({
    roster,
    patrols,
    duty,
    field: scenario.field,
    rng: root.fork('inspections'),
    ...(input.inspectionProfile ? { profile: input.inspectionProfile } : {}),
    busy: (i) => field.busy(i),
    held: (unitId) => held.has(unitId),
  });
  const feeds = input.feeds ?? [];
  const feedCounts: Record<string, number> = {};
  const counters: WorldCounters = {
    reported: 0,
    accepted: 0,
    filed: 0,
    rejected: 0,
    statusChanges: 0,
    fixes: 0,
    onDuty: 0,
    offline: 0,
    field: field.counters,
    inspections: plans.counters,
    ...(feeds.length ? { feeds: feedCounts } : {}),
  };
  const countFeed = (events: readonly InputMessage[]) => {
    for (const e of events) feedCounts[e.kind] = (feedCounts[e.kind] ?? 0) + 1;
  };
  let last = input.start;
  let raised: RaisedCase[] = [];

  const takeFixes = (events: InputMessage[]): StepOutput => {
    const { batches, count } = writer.take();
    counters.fixes += count;
    return { events, fixBatches: batches, fixCount: count };
  };

  return {
    scenario: scenario.name,
    roster,
    counters,
    autoDispatchAfterMs: scenario.autoDispatchAfterMs,

    start(now) {
      last = now;
      arrivals = new ArrivalProcess(
        scenario.cases.perDay,
        scenario.cases.hourly,
        offsetMs,
        rng.arrivals,
        now,
        input.caseRateFactor,
      );
      duty.start(now, localMinuteOfDay(now, offsetMs), rng.duty);
      patrols.place(rng.place, now);
      const events: InputMessage[] = [];
      let onDuty = 0;
      for (let i = 0; i < roster.count; i++) {
        const squad = roster.squads[roster.squad[i]!]!;
        events.push({
          kind: 'unit.register',
          unitId: roster.id[i]!,
          name: roster.name[i]!,
          type: UNIT_TYPES[roster.type[i]!]!,
          squadId: squad.id,
          district: squad.district,
          status: duty.statusOf(i),
          at: now,
        });
        if (duty.reporting(i)) {
          onDuty++;
          writer.add(roster.id[i]!, patrols.lon[i]!, patrols.lat[i]!, now);
        }
      }
      counters.onDuty = onDuty;
      for (const feed of feeds) {
        const sent = feed.start(now);
        countFeed(sent);
        events.push(...sent);
      }
      return takeFixes(events);
    },

    step(now) {
      const from = last;
      const dt = Math.max(0, now - last);
      last = now;
      const caseEvents: InputMessage[] = [];
      for (const at of arrivals.until(now)) {
        const made = maker.make(at, rng.cases);
        caseEvents.push(made.report);
        counters.reported++;
        for (const t of planIntake(made.report, scenario.intake, rng.intake)) agenda.add(t.at, t);
      }
      for (const feed of feeds) {
        const { events, reports } = feed.step(from, now);
        countFeed(events);
        countFeed(reports);
        caseEvents.push(...events);
        for (const report of reports) {
          caseEvents.push(report);
          counters.reported++;
          for (const t of planIntake(report, scenario.intake, rng.intake.fork(report.caseId))) agenda.add(t.at, t);
        }
      }
      for (const r of raised) {
        // Seen a little after the hub raised it: the desk works from when it saw it.
        const report = { caseId: r.caseId, source: 'iot' as const, at: Math.max(r.reportedAt, from) };
        for (const t of planIntake(report, scenario.intake, rng.intake.fork(r.caseId))) agenda.add(t.at, t);
      }
      raised = [];
      for (const m of agenda.due(now)) {
        caseEvents.push(m);
        if (m.kind === 'case.transition') {
          if (m.to === 'accepted') counters.accepted++;
          else if (m.to === 'filed') counters.filed++;
          else if (m.to === 'rejected') counters.rejected++;
        }
      }
      field.receive(now);
      plans.receive(now);

      const minute = localMinuteOfDay(now, offsetMs);
      const statusEvents: InputMessage[] = [];
      let onDuty = 0,
        offline = 0;
      for (let i = 0; i < roster.count; i++) {
        if (held.size && held.has(roster.id[i]!)) continue;
        // A unit on a task keeps its status until the task ends (the hub shows it dispatched, en route, on scene);
        // a shift that ended meanwhile ends when it is back.
        const changed = field.busy(i) || plans.working(i) ? undefined : duty.update(i, now, minute, rng.duty);
        if (changed) {
          statusEvents.push({ kind: 'unit.status', unitId: roster.id[i]!, status: changed, at: now });
          counters.statusChanges++;
        }
        if (!duty.onDuty(i)) continue;
        onDuty++;
        const speed = input.speedFactor?.(i, now, patrols.lon[i]!, patrols.lat[i]!) ?? 1;
        patrols.move(i, now, dt * speed, rng.move);
        if (duty.reporting(i)) writer.add(roster.id[i]!, patrols.lon[i]!, patrols.lat[i]!, now);
        else offline++;
      }
      counters.onDuty = onDuty;
      counters.offline = offline;
      // Reports, intake, field milestones and verification interleave in world-time order (stable: a report
      // precedes its own steps); status changes happen at `now`.
      caseEvents.push(...field.advance(now));
      for (const check of plans.advance(now)) {
        caseEvents.push(check);
        // A problem found is reported by the hub as a case (issue #17): the intake desk files it like any report.
        if (check.caseId === undefined) continue;
        const report = { caseId: check.caseId, source: 'patrol' as const, at: check.at };
        for (const t of planIntake(report, scenario.intake, rng.intake.fork(check.caseId))) agenda.add(t.at, t);
      }
      const events = caseEvents.sort((a, b) => a.at - b.at);
      events.push(...statusEvents);
      return takeFixes(events);
    },

    observe(events) {
      held.observe(events);
      field.observe(events);
      plans.observe(events);
      raised.push(...sensorRaisedCases(events));
    },

    handBack(tasks) {
      field.handBack(tasks);
    },

    resumePlanWork(work) {
      plans.resume(work.inspections, work.orders);
    },
  };
}
