import { describe, expect, it } from 'vitest';
import { districtShapes, GRID_CELL_M, gridCells, gridSpec, loadConfig } from '@egret/config';
import { MAX_FUTURE_SKEW_MS, type Case, type InputMessage, type Task, type Unit } from '@egret/protocol';
import { applyInput, type ApplyContext } from './apply-input.ts';

const config = loadConfig();
const NOW = Date.UTC(2026, 6, 1, 2, 0, 0);
const ctx: ApplyContext = {
  categories: config.categories,
  shapes: districtShapes(config.boundaries),
  districts: new Set(config.city.districts.map((d) => d.code)),
  worldNow: NOW,
  realNow: NOW,
  sensors: config.settings.sensors,
  grids: gridSpec(config.city.bbox, GRID_CELL_M),
};
/** Xiamen island, Siming district (思明区). */
const SIMING = { lon: 118.09, lat: 24.46 };

const report = (over: Partial<Extract<InputMessage, { kind: 'case.report' }>> = {}): InputMessage => ({
  kind: 'case.report',
  caseId: 'C-1',
  category: { code: '04002', standard: 'GB/T 47678.5-2026' },
  source: 'hotline',
  urgency: 'urgent',
  ...SIMING,
  address: '思明南路',
  at: NOW - 1000,
  ...over,
});

function reported(): Case {
  const r = applyInput(report(), {}, ctx);
  if (!r.ok || r.events[0]?.type !== 'case.reported') throw new Error('setup');
  return r.events[0].case;
}

const unit: Unit = {
  id: 'U-1',
  name: '思明一中队 1',
  type: 'enforcement',
  squadId: 'SQ-1',
  district: '350203',
  status: 'available',
  slot: 7,
  version: 3,
};
const task: Task = {
  id: 'T-1',
  caseId: 'C-1',
  unitId: 'U-1',
  squadId: 'SQ-1',
  status: 'dispatched',
  createdAt: NOW - 5000,
  updatedAt: NOW - 5000,
  actor: { role: 'dispatcher', id: 'd1' },
  version: 0,
};

describe(applyInput.name, () => {
  describe('case.report', () => {
    it('creates a reported case in the district under the point, with the category’s Chinese name', () => {
      const r = applyInput(report(), {}, ctx);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const c = r.writes[0]!.entity as Case;
      expect(r.writes).toHaveLength(1);
      expect(r.writes[0]!.expectedVersion).toBeNull();
      expect(c).toMatchObject({
        id: 'C-1',
        status: 'reported',
        district: '350203',
        supervised: false,
        version: 0,
        urgency: 'urgent',
        position: [SIMING.lon, SIMING.lat],
        reportedAt: NOW - 1000,
        category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树异常' },
      });
      expect(c.history).toEqual([{ to: 'reported', at: NOW - 1000, actor: { role: 'upstream', id: 'upstream' } }]);
      expect(r.events[0]).toEqual({ type: 'case.reported', at: NOW - 1000, case: c });
    });

    it('files the case in the unit grid holding its point, or in the grid its report names', () => {
      const spec = ctx.grids;
      const row = Math.floor((SIMING.lat - spec.origin[1]) / spec.cellLat);
      const col = Math.floor((SIMING.lon - spec.origin[0]) / spec.cellLon);
      const r = applyInput(report(), {}, ctx);
      if (!r.ok) throw new Error(r.detail);
      const c = r.writes[0]!.entity as Case;
      // District 350203, then the lattice row and column, then serial 001: the id the grid map serves for that cell.
      expect(c.grid).toBe(`350203${String(row).padStart(3, '0')}${String(col).padStart(3, '0')}001`);
      expect(
        gridCells(ctx.shapes, spec).some((cell) => cell.id === c.grid),
        'a cell of the served grid map',
      ).toBe(true);
      const named = applyInput(report({ grid: '350203001002003' }), {}, ctx);
      if (!named.ok) throw new Error(named.detail);
      expect((named.writes[0]!.entity as Case).grid).toBe('350203001002003');
    });

    it('refuses a case id that was already reported', () => {
      expect(applyInput(report(), { case: reported() }, ctx)).toMatchObject({ ok: false, reason: 'duplicate' });
    });

    it('refuses a category missing from the dictionary', () => {
      const r = applyInput(report({ category: { code: '99999', standard: 'GB/T 47678.5-2026' } }), {}, ctx);
      expect(r).toMatchObject({ ok: false, reason: 'unknown_category' });
      expect(!r.ok && r.detail).toContain('99999');
    });

    it('refuses a point in the open sea, outside every district', () => {
      expect(applyInput(report({ lon: 118.5, lat: 24.3 }), {}, ctx)).toMatchObject({
        ok: false,
        reason: 'outside_city',
      });
    });

    it('refuses a time more than the allowed skew ahead of the world clock, and accepts one just inside it', () => {
      expect(applyInput(report({ at: NOW + MAX_FUTURE_SKEW_MS + 1 }), {}, ctx)).toMatchObject({
        ok: false,
        reason: 'far_future',
      });
      expect(applyInput(report({ at: NOW + MAX_FUTURE_SKEW_MS }), {}, ctx).ok).toBe(true);
    });
  });

  it('checks what an input refers to before its time, and its time before whether it is a repeat', () => {
    const future = NOW + MAX_FUTURE_SKEW_MS + 1;
    expect(applyInput(report({ at: future, category: { code: '99999', standard: 'local' } }), {}, ctx)).toMatchObject({
      reason: 'unknown_category',
    });
    expect(applyInput(report({ at: future }), { case: reported() }, ctx)).toMatchObject({ reason: 'far_future' });
    expect(applyInput({ kind: 'unit.status', unitId: 'U-9', status: 'offline', at: future }, {}, ctx)).toMatchObject({
      reason: 'unknown_unit',
    });
  });

  describe('case.transition', () => {
    const transition = (to: Case['status'], reason?: string): InputMessage => ({
      kind: 'case.transition',
      caseId: 'C-1',
      to,
      actor: { role: 'dispatcher', id: 'clerk-7' },
      at: NOW,
      ...(reason ? { reason } : {}),
    });

    it('moves the case, bumps its version and logs from/to, actor and the case after', () => {
      const c = reported();
      const r = applyInput(transition('accepted'), { case: c }, ctx);
      expect(r.ok).toBe(true);
      if (!r.ok || r.events[0]?.type !== 'case.transitioned') throw new Error('expected a transition');
      expect(r.writes[0]).toMatchObject({ kind: 'case', expectedVersion: 0 });
      expect(r.events[0]).toMatchObject({
        from: 'reported',
        to: 'accepted',
        actor: { role: 'dispatcher', id: 'clerk-7' },
      });
      expect(r.events[0].case).toMatchObject({ status: 'accepted', version: 1 });
    });

    it('sets the deadline from the city’s policy when the case is filed', () => {
      const accepted = { ...reported(), status: 'accepted' as const, version: 1 };
      const r = applyInput(transition('filed'), { case: accepted }, ctx);
      if (!r.ok || r.events[0]?.type !== 'case.transitioned') throw new Error('expected a transition');
      expect(r.events[0].case.deadline).toBe(
        NOW + config.categories.deadlineMs('GB/T 47678.5-2026', '04002', 'urgent'),
      );
    });

    it('ends the task holding a case the case system parks, and frees its unit', () => {
      const held: Case = { ...reported(), status: 'in_progress', taskId: 'T-1', squadId: 'SQ-1', version: 4 };
      const onTask: Task = { ...task, status: 'on_scene' };
      const busy: Unit = { ...unit, status: 'on_scene', taskId: 'T-1' };
      const r = applyInput(transition('parked', '等待燃气公司'), { case: held, task: onTask, unit: busy }, ctx);
      if (!r.ok) throw new Error(r.detail);
      expect(r.events.map((e) => e.type)).toEqual(['case.transitioned', 'task.updated', 'unit.status_changed']);
      expect(r.events[1]).toMatchObject({ from: 'on_scene', to: 'recalled', task: { reason: '等待燃气公司' } });
      expect(r.events[2]).toMatchObject({ from: 'on_scene', to: 'available' });
    });

    it('refuses an unknown case, an illegal step and a rejection without a reason', () => {
      expect(applyInput(transition('accepted'), {}, ctx)).toMatchObject({ ok: false, reason: 'unknown_case' });
      expect(applyInput(transition('closed'), { case: reported() }, ctx)).toMatchObject({
        ok: false,
        reason: 'illegal_transition',
      });
      expect(applyInput(transition('rejected'), { case: reported() }, ctx)).toMatchObject({
        ok: false,
        reason: 'reason_required',
      });
      expect(applyInput(transition('rejected', '不属于城管职责'), { case: reported() }, ctx).ok).toBe(true);
    });
  });

  describe('unit.register', () => {
    const register = (over: Partial<Extract<InputMessage, { kind: 'unit.register' }>> = {}): InputMessage => ({
      kind: 'unit.register',
      unitId: 'U-1',
      name: '思明一中队 1',
      type: 'enforcement',
      squadId: 'SQ-1',
      district: '350203',
      status: 'available',
      at: NOW,
      ...over,
    });

    it('registers a new unit in the slot the adapter reserved', () => {
      const r = applyInput(register(), { slot: 42 }, ctx);
      if (!r.ok || r.events[0]?.type !== 'unit.registered') throw new Error('expected a registration');
      expect(r.writes[0]).toMatchObject({ kind: 'unit', expectedVersion: null });
      expect(r.events[0].unit).toMatchObject({ id: 'U-1', slot: 42, version: 0, status: 'available' });
    });

    it('keeps the slot of a known unit and bumps its version on re-registration', () => {
      const r = applyInput(register({ name: '思明一中队 一号车' }), { unit, slot: 99 }, ctx);
      if (!r.ok || r.events[0]?.type !== 'unit.registered') throw new Error('expected a registration');
      expect(r.writes[0]!.expectedVersion).toBe(3);
      expect(r.events[0].unit).toMatchObject({ slot: 7, version: 4, name: '思明一中队 一号车' });
    });

    it('refuses a district that is not in the city', () => {
      expect(applyInput(register({ district: '110101' }), { slot: 1 }, ctx)).toMatchObject({
        ok: false,
        reason: 'unknown_district',
      });
    });
  });

  describe('unit.status', () => {
    const status = (s: Unit['status']): InputMessage => ({ kind: 'unit.status', unitId: 'U-1', status: s, at: NOW });

    it('changes the status and logs from and to', () => {
      const r = applyInput(status('off_duty'), { unit }, ctx);
      if (!r.ok || r.events[0]?.type !== 'unit.status_changed') throw new Error('expected a status change');
      expect(r.events[0]).toMatchObject({
        from: 'available',
        to: 'off_duty',
        unit: { status: 'off_duty', version: 4, slot: 7 },
      });
    });

    it('changes nothing and logs nothing when the status is repeated', () => {
      expect(applyInput(status('available'), { unit }, ctx)).toEqual({ ok: true, writes: [], events: [] });
    });

    it('refuses a unit that never registered', () => {
      expect(applyInput(status('off_duty'), {}, ctx)).toMatchObject({ ok: false, reason: 'unknown_unit' });
    });
  });

  describe('task.update', () => {
    const update = (s: Task['status'], unitId = 'U-1'): InputMessage => ({
      kind: 'task.update',
      taskId: 'T-1',
      unitId,
      status: s,
      at: NOW,
    });

    it('moves the task and attributes the change to the field unit', () => {
      const r = applyInput(update('accepted'), { task }, ctx);
      if (!r.ok || r.events[0]?.type !== 'task.updated') throw new Error('expected a task update');
      expect(r.events[0]).toMatchObject({ from: 'dispatched', to: 'accepted', actor: { role: 'field', id: 'U-1' } });
      expect(r.events[0].task).toMatchObject({ status: 'accepted', updatedAt: NOW, version: 1 });
    });

    it('moves the task, its case and its unit in one change, events in order', () => {
      const dispatchedCase: Case = { ...reported(), status: 'dispatched', taskId: 'T-1', squadId: 'SQ-1', version: 3 };
      const busy: Unit = { ...unit, status: 'dispatched', taskId: 'T-1' };
      const r = applyInput(update('done'), { task, case: dispatchedCase, unit: busy }, ctx);
      if (!r.ok) throw new Error(r.detail);
      expect(r.events.map((e) => e.type)).toEqual([
        'task.updated',
        'case.transitioned',
        'case.transitioned',
        'unit.status_changed',
      ]);
      expect(r.writes.map((w) => [w.kind, w.expectedVersion, w.entity.version])).toEqual([
        ['task', 0, 1],
        ['case', 3, 5],
        ['unit', 3, 4],
      ]);
      expect((r.writes[1]!.entity as Case).status).toBe('handled');
      expect((r.writes[2]!.entity as Unit).status).toBe('available');
    });

    it('refuses an unknown task, another unit’s task and a finished task', () => {
      expect(applyInput(update('accepted'), {}, ctx)).toMatchObject({ ok: false, reason: 'unknown_task' });
      expect(applyInput(update('accepted', 'U-2'), { task }, ctx)).toMatchObject({
        ok: false,
        reason: 'unit_mismatch',
      });
      expect(applyInput(update('en_route'), { task: { ...task, status: 'done' } }, ctx)).toMatchObject({
        ok: false,
        reason: 'illegal_transition',
      });
    });
  });

  describe('clock.set', () => {
    it('logs the new clock and checks the time against the clock it sets', () => {
      const clock = { baseReal: NOW, baseWorld: Date.UTC(2016, 8, 14, 12), rate: 60, scenario: 'typhoon-meranti' };
      const r = applyInput({ kind: 'clock.set', clock, at: clock.baseWorld }, {}, ctx);
      expect(r).toEqual({
        ok: true,
        writes: [],
        clock,
        events: [{ type: 'clock.changed', at: clock.baseWorld, clock }],
      });
      const late = applyInput({ kind: 'clock.set', clock, at: clock.baseWorld + MAX_FUTURE_SKEW_MS + 1 }, {}, ctx);
      expect(late).toMatchObject({ ok: false, reason: 'far_future' });
    });
  });
});

describe('applyInput for storms and sensors', () => {
  const storm = {
    id: '1614',
    name: { zh: '莫兰蒂', en: 'Meranti' },
    at: NOW - 1000,
    center: [118.9, 24.0] as [number, number],
    pressureHpa: 935,
    maxWindMs: 52,
    r7Km: 300,
    r10Km: 120,
    r12Km: 60,
    stage: 'at_sea' as const,
    phase: 'landfall' as const,
    signal: 'red' as const,
    track: [],
    forecast: [],
  };
  const register: InputMessage = {
    kind: 'sensor.register',
    sensorId: 'N-1',
    sensorKind: 'noise',
    name: '观音山工地',
    district: '350203',
    ...SIMING,
    unit: 'dB(A)',
    warning: 65,
    alarm: 70,
    at: NOW - 1000,
  };

  it('versions a storm by its updates and refuses one older than the storm it would replace', () => {
    const first = applyInput({ kind: 'storm.update', at: NOW - 1000, storm }, {}, ctx);
    if (!first.ok) throw new Error(first.detail);
    const held = first.writes[0]!.entity as Extract<(typeof first.writes)[number], { kind: 'storm' }>['entity'];
    expect([held.version, first.events[0]?.type]).toEqual([0, 'storm.updated']);
    const next = applyInput({ kind: 'storm.update', at: NOW, storm: { ...storm, at: NOW } }, { storm: held }, ctx);
    expect(next.ok && next.writes[0]).toMatchObject({
      kind: 'storm',
      expectedVersion: 0,
      entity: { version: 1, at: NOW },
    });
    expect(
      applyInput({ kind: 'storm.update', at: NOW, storm: { ...storm, at: NOW - 5000 } }, { storm: held }, ctx),
    ).toMatchObject({
      ok: false,
      reason: 'out_of_order',
    });
  });

  it('registers a sensor in a district of the city only, with its warning not above its alarm', () => {
    const ok = applyInput(register, {}, ctx);
    expect(ok.ok && ok.events[0]).toMatchObject({
      type: 'sensor.registered',
      sensor: { id: 'N-1', level: 'normal', casesRaised: 0 },
    });
    expect(applyInput({ ...register, district: '110101' } as InputMessage, {}, ctx)).toMatchObject({
      ok: false,
      reason: 'unknown_district',
    });
    expect(applyInput({ ...register, warning: 80 } as InputMessage, {}, ctx)).toMatchObject({
      ok: false,
      reason: 'schema',
    });
  });

  it('re-registering keeps the readings and regrades the last one against the new thresholds', () => {
    const first = applyInput(register, {}, ctx);
    if (!first.ok) throw new Error('setup');
    const sensor = { ...(first.writes[0]!.entity as import('@egret/protocol').Sensor), value: 68, readAt: NOW - 500 };
    const again = applyInput({ ...register, alarm: 67 } as InputMessage, { sensor }, ctx);
    expect(again.ok && again.writes[0]?.entity).toMatchObject({ value: 68, level: 'alarm', alarm: 67, version: 1 });
  });

  it('reports the case an alarm becomes in the same change as the reading, as an iot case of the configured category', () => {
    const first = applyInput(register, {}, ctx);
    if (!first.ok) throw new Error('setup');
    const sensor = {
      ...(first.writes[0]!.entity as import('@egret/protocol').Sensor),
      level: 'alarm' as const,
      value: 75,
      readAt: NOW - 20 * 60_000,
      alarmSince: NOW - 20 * 60_000,
      alarmOnsets: [NOW - 20 * 60_000],
      loggedAt: NOW - 20 * 60_000,
    };
    const r = applyInput({ kind: 'sensor.reading', sensorId: 'N-1', value: 76, at: NOW - 1000 }, { sensor }, ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.events.map((e) => e.type)).toEqual(['case.reported', 'sensor.read']);
    expect(r.events[0]).toMatchObject({
      case: { id: 'IOT-N-1-1', source: 'iot', category: { code: '08001' }, district: '350203', status: 'reported' },
    });
    expect(r.events[1]).toMatchObject({ sensor: { caseId: 'IOT-N-1-1', casesRaised: 1 } });
    expect(applyInput({ kind: 'sensor.reading', sensorId: 'N-2', value: 1, at: NOW }, {}, ctx)).toMatchObject({
      ok: false,
      reason: 'unknown_sensor',
    });
  });
});

describe('applyInput filing inside a major event’s perimeter', () => {
  const forum = config.events.find((e) => e.id === 'straits-forum')!;
  const venue = forum.venues[0]!.position;
  const during = Date.parse('2026-06-15T10:00:00+08:00');
  const file = (at: number, position: [number, number]) => {
    const accepted: Case = {
      id: 'SF-1',
      category: { code: '09006', standard: 'GB/T 47678.5-2026', name: '占道经营' },
      source: 'patrol',
      urgency: 'normal',
      position,
      address: '会展路',
      district: '350203',
      status: 'accepted',
      reportedAt: at - 60_000,
      supervised: false,
      history: [],
      version: 1,
    };
    const r = applyInput(
      { kind: 'case.transition', caseId: 'SF-1', to: 'filed', actor: { role: 'upstream', id: 'lead-1' }, at },
      { case: accepted },
      { ...ctx, worldNow: at, realNow: at },
    );
    if (!r.ok || r.events[0]?.type !== 'case.transitioned') throw new Error('expected a filing');
    return r.events[0].case.deadline! - at;
  };

  it('sets the tighter deadline of the forum for a street-order case filed inside the venue zone while it is on', () => {
    expect(file(during, venue)).toBe(3_600_000);
    expect(file(during, [SIMING.lon, SIMING.lat])).toBe(4 * 3_600_000);
    expect(file(Date.parse('2026-07-01T10:00:00+08:00'), venue)).toBe(4 * 3_600_000);
  });
});
