import { describe, expect, it } from 'vitest';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import { InputMessage, REAL_CLOCK, type Case, type Task, type Unit } from '@egret/protocol';
import { parseInput } from '../domain/parse-input.ts';
import { noEntities } from '../domain/store.ts';
import {
  batchNeeds,
  decideBatch,
  learn,
  nothingKnown,
  unitsNeedingSlots,
  type BatchContext,
  type BatchEntry,
} from './decide-batch.ts';

const config = loadConfig();
const NOW = Date.UTC(2026, 6, 1, 2, 0, 0);
const ctx: BatchContext = {
  apply: {
    categories: config.categories,
    shapes: districtShapes(config.boundaries),
    districts: new Set(config.city.districts.map((d) => d.code)),
    sensors: config.settings.sensors,
    grids: gridSpec(config.city.bbox, GRID_CELL_M),
  },
  clock: REAL_CLOCK,
  realNow: NOW,
  slots: new Map(),
};

const report = (caseId: string, over: Record<string, unknown> = {}) => ({
  kind: 'case.report',
  caseId,
  category: { code: '04002', standard: 'GB/T 47678.5-2026' },
  source: 'hotline',
  urgency: 'normal',
  lon: 118.09,
  lat: 24.46,
  address: '思明南路',
  at: NOW - 60_000,
  ...over,
});
const transition = (caseId: string, to: string, at: number) => ({
  kind: 'case.transition',
  caseId,
  to,
  actor: { role: 'system', id: 'case-system' },
  at,
});
const register = (unitId: string, over: Record<string, unknown> = {}) => ({
  kind: 'unit.register',
  unitId,
  name: unitId,
  type: 'sanitation',
  squadId: 'SQ-1',
  district: '350203',
  status: 'available',
  at: NOW - 60_000,
  ...over,
});

let seq = 0;
/** Entries as the edge parses them from raw stream payloads. */
const entries = (...inputs: unknown[]): BatchEntry[] =>
  inputs.map((m) => {
    const raw = typeof m === 'string' ? m : JSON.stringify(m);
    return { id: `1-${seq++}`, parsed: parseInput(InputMessage, raw), raw };
  });

/** What a store holding `put` answers for the batch's ids (links followed as the store does). */
function knownFor(batch: BatchEntry[], put: { cases?: Case[]; units?: Unit[]; tasks?: Task[] } = {}) {
  const known = nothingKnown();
  const { ids } = batchNeeds(batch);
  const loaded = noEntities();
  const want = (list: readonly string[] | undefined, id: string) => list?.includes(id) ?? false;
  for (const c of put.cases ?? []) if (want(ids.caseIds, c.id)) loaded.cases.set(c.id, c);
  for (const u of put.units ?? []) if (want(ids.unitIds, u.id)) loaded.units.set(u.id, u);
  for (const t of put.tasks ?? []) if (want(ids.taskIds, t.id)) loaded.tasks.set(t.id, t);
  learn(known, ids, loaded);
  return known;
}

describe(decideBatch.name, () => {
  it('applies a case.report and then its transitions in the same batch, each seeing the one before', () => {
    const batch = entries(
      report('C-1'),
      transition('C-1', 'accepted', NOW - 50_000),
      transition('C-1', 'filed', NOW - 40_000),
    );
    const d = decideBatch(batch, knownFor(batch), ctx);
    if (!d.ok) throw new Error('expected a decision');
    expect(d.entries.map((e) => e.result)).toEqual(['applied', 'applied', 'applied']);
    expect(d.change.events.map((e) => e.type)).toEqual(['case.reported', 'case.transitioned', 'case.transitioned']);
    // One write for the case: its last state, checked as new (it did not exist when loaded).
    expect(d.change.writes).toHaveLength(1);
    expect(d.change.writes[0]).toMatchObject({ kind: 'case', expectedVersion: null, entity: { status: 'filed' } });
    expect(d.change.applied).toEqual(batch.map((e) => e.id));
  });

  it('refuses each bad entry on its own, with its reason, and applies the others in order', () => {
    const batch = entries(
      report('C-2'),
      '{not json',
      report('C-3', { category: { code: '99999', standard: 'GB/T 47678.5-2026' } }),
      report('C-2'), // a duplicate of the first one, in the same batch
      transition('C-404', 'filed', NOW - 50_000),
      report('C-4', { lon: 0, lat: 0 }),
      report('C-5'),
    );
    const d = decideBatch(batch, knownFor(batch), ctx);
    if (!d.ok) throw new Error('expected a decision');
    expect(d.entries.map((e) => (e.result === 'rejected' ? e.refusal.reason : e.result))).toEqual([
      'applied',
      'invalid_json',
      'unknown_category',
      'duplicate',
      'unknown_case',
      'outside_city',
      'applied',
    ]);
    expect(d.change.events.map((e) => (e.type === 'case.reported' ? e.case.id : e.type))).toEqual(['C-2', 'C-5']);
    expect(d.change.applied).toEqual([batch[0]!.id, batch[6]!.id]);
    const bad = d.entries[1]!;
    expect(bad.result === 'rejected' && bad.raw).toBe('{not json');
  });

  it('merges repeated writes of one entity: its last state, checked against the version loaded', () => {
    const unit: Unit = {
      id: 'U-1',
      name: 'U-1',
      type: 'sanitation',
      squadId: 'SQ-1',
      district: '350203',
      status: 'available',
      slot: 4,
      version: 7,
    };
    const batch = entries(
      { kind: 'unit.status', unitId: 'U-1', status: 'offline', at: NOW - 30_000 },
      { kind: 'unit.status', unitId: 'U-1', status: 'offline', at: NOW - 20_000 }, // a repeat: changes nothing
      { kind: 'unit.status', unitId: 'U-1', status: 'available', at: NOW - 10_000 },
    );
    const d = decideBatch(batch, knownFor(batch, { units: [unit] }), ctx);
    if (!d.ok) throw new Error('expected a decision');
    expect(d.entries.map((e) => e.result)).toEqual(['applied', 'noop', 'applied']);
    expect(d.change.writes).toEqual([
      { kind: 'unit', expectedVersion: 7, entity: { ...unit, status: 'available', version: 9 } },
    ]);
    expect(d.change.applied).toEqual([batch[0]!.id, batch[2]!.id]);
  });

  it('asks for a frame slot for a unit registering for the first time, and uses the one reserved', () => {
    const batch = entries(register('U-NEW'), register('U-NEW', { name: 'renamed' }));
    const known = knownFor(batch);
    expect(unitsNeedingSlots(batch, known)).toEqual(['U-NEW']);
    expect(decideBatch(batch, known, ctx)).toEqual({ ok: false, missing: {}, slots: ['U-NEW'] });
    const d = decideBatch(batch, known, { ...ctx, slots: new Map([['U-NEW', 12]]) });
    if (!d.ok) throw new Error('expected a decision');
    expect(d.change.writes).toEqual([
      {
        kind: 'unit',
        expectedVersion: null,
        entity: expect.objectContaining({ slot: 12, name: 'renamed', version: 1 }),
      },
    ]);
  });

  it('asks for an entity it was never given instead of taking it as absent', () => {
    const c: Case = {
      id: 'C-9',
      category: { code: '04002', standard: 'GB/T 47678.5-2026', name: 'x' } as unknown as Case['category'],
      source: 'hotline',
      urgency: 'normal',
      position: [118.09, 24.46],
      address: '',
      district: '350203',
      status: 'dispatched',
      reportedAt: NOW - 100_000,
      supervised: false,
      history: [],
      taskId: 'T-9',
      version: 3,
    };
    const batch = entries(transition('C-9', 'filed', NOW - 10_000));
    const known = nothingKnown();
    learn(known, { caseIds: ['C-9'] }, { ...noEntities(), cases: new Map([['C-9', c]]) });
    expect(decideBatch(batch, known, ctx)).toEqual({ ok: false, missing: { taskIds: ['T-9'] }, slots: [] });
  });

  it('lets a clock.set move the clock for the inputs after it in the batch', () => {
    const ahead = NOW + 3_600_000;
    const batch = entries(
      report('C-early', { at: ahead }), // an hour ahead of the world clock: refused
      { kind: 'clock.set', clock: { baseReal: NOW, baseWorld: ahead, rate: 1 }, at: NOW },
      report('C-late', { at: ahead }), // the clock now says it is that hour
    );
    const d = decideBatch(batch, knownFor(batch), ctx);
    if (!d.ok) throw new Error('expected a decision');
    expect(d.entries.map((e) => (e.result === 'rejected' ? e.refusal.reason : e.result))).toEqual([
      'far_future',
      'applied',
      'applied',
    ]);
    expect(d.change.clock).toEqual({ baseReal: NOW, baseWorld: ahead, rate: 1 });
  });
});

describe(batchNeeds.name, () => {
  it('names every entity the batch’s inputs touch once, and follows links when any input needs them', () => {
    const batch = entries(report('C-1'), report('C-1'), transition('C-2', 'filed', NOW), register('U-1'), '{');
    expect(batchNeeds(batch)).toEqual({ ids: { caseIds: ['C-1', 'C-2'], unitIds: ['U-1'] }, follow: true });
    expect(batchNeeds(entries(report('C-1'))).follow).toBe(false);
  });
});
