import { describe, expect, it } from 'vitest';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import type { Actor, Case, PhotoRef, Task, Unit } from '@egret/protocol';
import { AT, availableUnit, filedCase } from '../../test/entities.ts';
import { noEntities, type LoadedEntities } from '../domain/store.ts';
import { attachPhotos, decideCaseReport, decideCaseVerify, decideTaskProgress } from './decide.ts';

const config = loadConfig();
const UNIT: Actor = { role: 'field', id: 'U-1' };
const IVY: Actor = { role: 'inspector', id: 'ivy' };
const photo = (role: PhotoRef['role'], n = 1): PhotoRef => ({ id: String(n).repeat(64).slice(0, 64), role, at: AT });

function world(cases: Case[], units: Unit[] = [], tasks: Task[] = []): LoadedEntities {
  const w = noEntities();
  for (const c of cases) w.cases.set(c.id, c);
  for (const u of units) w.units.set(u.id, u);
  for (const t of tasks) w.tasks.set(t.id, t);
  return w;
}

/** Case C-1 dispatched to U-1 (task T-1, `status`), the unit on it. */
function onTask(status: Task['status'] = 'accepted') {
  const c = filedCase('C-1', {
    status: status === 'dispatched' ? 'dispatched' : 'in_progress',
    taskId: 'T-1',
    squadId: 'SQ-U-1',
    grid: 'G1',
  });
  const u = availableUnit('U-1', { status: 'dispatched', taskId: 'T-1' });
  const t: Task = {
    id: 'T-1',
    caseId: 'C-1',
    unitId: 'U-1',
    squadId: 'SQ-U-1',
    status,
    createdAt: AT,
    updatedAt: AT,
    actor: UNIT,
    version: 1,
  };
  return world([c], [u], [t]);
}
const progress = (over: Record<string, unknown>) =>
  ({ taskId: 'T-1', status: 'en_route', at: AT, idempotencyKey: 'k', ...over }) as never;
const code = (r: { ok: boolean; error?: string }) => (r.ok ? 'ok' : r.error);

describe(decideTaskProgress.name, () => {
  const ctx = { actor: UNIT, unitId: 'U-1', at: AT };

  it('takes the step a task.update takes: the task, its case and its unit move together', () => {
    const r = decideTaskProgress(progress({ status: 'en_route' }), onTask(), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.receipt).toEqual({ taskId: 'T-1', caseId: 'C-1', status: 'en_route' });
    expect(r.data.change.events.map((e) => e.type)).toEqual(['task.updated', 'unit.status_changed']);
  });

  it('refuses in a fixed order: unknown task, another unit’s, the same or a finished step, a decline without reason, photos', () => {
    expect(code(decideTaskProgress(progress({ taskId: 'T-9' }), onTask(), ctx))).toBe('unknown_task');
    expect(code(decideTaskProgress(progress({}), onTask(), { ...ctx, unitId: 'U-2' }))).toBe('not_your_task');
    expect(code(decideTaskProgress(progress({ status: 'accepted' }), onTask(), ctx))).toBe('illegal_step');
    expect(code(decideTaskProgress(progress({ status: 'done', photos: [photo('after')] }), onTask('done'), ctx))).toBe(
      'illegal_step',
    );
    expect(code(decideTaskProgress(progress({ status: 'declined', reason: ' ' }), onTask(), ctx))).toBe(
      'reason_required',
    );
    expect(code(decideTaskProgress(progress({ status: 'done' }), onTask(), ctx))).toBe('photo_required');
    expect(code(decideTaskProgress(progress({ status: 'done', photos: [photo('before')] }), onTask(), ctx))).toBe(
      'photo_required',
    );
    expect(code(decideTaskProgress(progress({ status: 'done', photos: [photo('report')] }), onTask(), ctx))).toBe(
      'bad_request',
    );
    expect(code(decideTaskProgress(progress({ status: 'on_scene', photos: [photo('before')] }), onTask(), ctx))).toBe(
      'bad_request',
    );
  });

  it('puts done’s photos on the case, attributed to the unit, and hands the case in', () => {
    const r = decideTaskProgress(
      progress({ status: 'done', photos: [photo('before', 1), photo('after', 2)] }),
      onTask(),
      ctx,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const written = r.data.change.writes.find((w) => w.kind === 'case')!.entity as Case;
    expect(written.status).toBe('handled');
    expect(written.photos).toEqual([
      { ...photo('before', 1), by: 'U-1' },
      { ...photo('after', 2), by: 'U-1' },
    ]);
  });
});

describe(decideCaseVerify.name, () => {
  const handled = (over: Partial<Case> = {}) => world([filedCase('C-1', { status: 'handled', grid: 'G1', ...over })]);
  const verify = (over: Record<string, unknown>) =>
    ({ caseId: 'C-1', outcome: 'confirm', photos: [photo('verify')], at: AT, idempotencyKey: 'k', ...over }) as never;
  const ctx = { actor: IVY, at: AT, grids: ['G1'] };

  it('confirms a handled case in the inspector’s grids: verifying, then closed, with the photo', () => {
    const r = decideCaseVerify(verify({}), handled(), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.receipt).toEqual({ caseId: 'C-1', to: 'closed' });
    expect(r.data.change.events.map((e) => (e.type === 'case.transitioned' ? e.to : e.type))).toEqual([
      'verifying',
      'closed',
    ]);
    const c = r.data.change.writes[0]!.entity as Case;
    expect(c.photos).toEqual([{ ...photo('verify'), by: 'ivy' }]);
  });

  it('sends it back for rework only with a reason, and only cases of the inspector’s grids that are handled', () => {
    expect(code(decideCaseVerify(verify({ outcome: 'rework' }), handled(), ctx))).toBe('reason_required');
    const back = decideCaseVerify(
      verify({ outcome: 'rework', reason: '未清理干净' }),
      handled({ status: 'verifying' }),
      ctx,
    );
    expect(back.ok && back.data.receipt.to).toBe('filed');
    expect(code(decideCaseVerify(verify({}), handled({ grid: 'G2' }), ctx))).toBe('not_your_grid');
    expect(code(decideCaseVerify(verify({}), handled({ grid: 'g1' }), ctx))).toBe('not_your_grid');
    const noGrid = world([{ ...filedCase('C-1', { status: 'handled' }) }]);
    expect(code(decideCaseVerify(verify({}), noGrid, ctx))).toBe('not_your_grid');
    expect(code(decideCaseVerify(verify({}), handled({ status: 'in_progress' }), ctx))).toBe('not_verifiable');
    expect(code(decideCaseVerify(verify({ caseId: 'C-9' }), handled(), ctx))).toBe('unknown_case');
    expect(code(decideCaseVerify(verify({ photos: [photo('after')] }), handled(), ctx))).toBe('bad_request');
  });
});

describe(decideCaseReport.name, () => {
  const shapes = districtShapes(config.boundaries);
  const grids = gridSpec(config.city.bbox, GRID_CELL_M);
  const ctx = { actor: IVY, at: AT, caseId: 'I-ABC', categories: config.categories, shapes, grids };
  const report = (over: Record<string, unknown>) =>
    ({
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      lon: 118.09,
      lat: 24.46,
      address: ' 思明南路 ',
      at: AT,
      idempotencyKey: 'k',
      ...over,
    }) as never;

  it('reports an inspector’s case in the city, in its district and grid, with its photos', () => {
    const r = decideCaseReport(report({ photos: [photo('report')] }), noEntities(), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.data.change.writes[0]!.entity as Case;
    expect(c).toMatchObject({
      id: 'I-ABC',
      source: 'inspector',
      district: '350203',
      address: '思明南路',
      status: 'reported',
    });
    expect(c.grid).toMatch(/^350203/);
    expect(c.photos).toEqual([{ ...photo('report'), by: 'ivy' }]);
  });

  it('refuses an unknown category, a place outside the city, a photo of another role and a case that exists', () => {
    expect(code(decideCaseReport(report({ category: { code: '99999', standard: 'local' } }), noEntities(), ctx))).toBe(
      'unknown_category',
    );
    expect(code(decideCaseReport(report({ lon: 121.5 }), noEntities(), ctx))).toBe('outside_city');
    expect(code(decideCaseReport(report({ photos: [photo('after')] }), noEntities(), ctx))).toBe('bad_request');
    expect(code(decideCaseReport(report({}), world([filedCase('I-ABC')]), ctx))).toBe('duplicate');
  });
});

describe(attachPhotos.name, () => {
  it('adds each photo once per role, and refuses past the per-case bound', () => {
    const c = filedCase('C-1', { photos: [{ ...photo('after'), by: 'U-1' }] });
    const r = attachPhotos(c, [photo('after'), photo('verify')], 'ivy');
    expect(r.ok && r.data.photos!.map((p) => `${p.role}:${p.by}`)).toEqual(['after:U-1', 'verify:ivy']);
    const many = Array.from({ length: 41 }, (_, i) => photo('after', i % 10));
    const full = filedCase('C-1', {
      photos: many.slice(0, 40).map((p, i) => ({ ...p, id: i.toString(16).padStart(64, '0') })),
    });
    expect(code(attachPhotos(full, [photo('verify')], 'ivy'))).toBe('bad_request');
  });
});
