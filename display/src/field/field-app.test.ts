import { describe, expect, it } from 'vitest';
import type { Task } from '@egret/protocol';
import { aCase, aHubConfig, aUnit, T0 } from '../../test/fixtures.ts';
import { FieldApp, type FieldAppDeps } from './field-app.svelte.ts';
import type { FieldDb } from './net/field-db.ts';
import { emptyOutbox, type OutboxDraft } from './outbox/queue.ts';
import type { OutboxRunner } from './outbox/runner.ts';

/** An in-memory stand-in for IndexedDB: the app's state logic is what is tested here, not the storage. */
function memoryDb(): FieldDb & { photos: Map<string, Blob> } {
  const photos = new Map<string, Blob>();
  return {
    photos,
    outbox: async () => emptyOutbox(),
    saveOutbox: async () => undefined,
    putPhoto: async (k, b) => void photos.set(k, b),
    photo: async (k) => photos.get(k),
    deletePhotos: async (ks) => ks.forEach((k) => photos.delete(k)),
    credential: async () => null,
    setCredential: async () => undefined,
    settings: async () => ({ locale: 'zh', onDuty: false, fixIntervalMs: 5_000 }),
    saveSettings: async () => undefined,
    config: async () => null,
    saveConfig: async () => undefined,
  };
}

const task = (id: string, status: Task['status'] = 'dispatched'): Task => ({
  id,
  caseId: `C-${id}`,
  unitId: 'U-1',
  squadId: 'SQ-1',
  status,
  createdAt: T0,
  updatedAt: T0,
  actor: { role: 'dispatcher', id: 'dora' },
  version: 1,
});

function app(over: Partial<FieldAppDeps> = {}) {
  let n = 0;
  const queued: OutboxDraft[] = [];
  const a = new FieldApp({
    db: memoryDb(),
    config: aHubConfig(),
    settings: { locale: 'zh', onDuty: false, fixIntervalMs: 5_000 },
    credential: { kind: 'device', token: 't', unitId: 'U-1', unitName: '一队' },
    now: () => T0,
    newKey: () => `k${++n}`,
    ...over,
  });
  a.runner = {
    enqueue: async (d: OutboxDraft) => void queued.push(d),
  } as unknown as OutboxRunner;
  let alerts = 0;
  a.onNewTask = () => alerts++;
  return { a, queued, alerts: () => alerts };
}

describe(FieldApp.name, () => {
  const me = { kind: 'unit' as const, unit: aUnit({ id: 'U-1' }) };

  it('alerts once for each newly dispatched task, not for a task it has seen or one already under way', () => {
    const { a, alerts } = app();
    a.receive({ me, tasks: [{ task: task('T-1'), case: aCase({ id: 'C-T-1' }) }], verifications: [], at: T0 });
    expect(alerts()).toBe(1);
    a.receive({ me, tasks: [{ task: task('T-1', 'accepted'), case: aCase() }], verifications: [], at: T0 });
    expect(alerts()).toBe(1);
    a.receive({
      me,
      tasks: [
        { task: task('T-2', 'en_route'), case: aCase() },
        { task: task('T-1', 'accepted'), case: aCase() },
      ],
      verifications: [],
      at: T0,
    });
    expect(alerts()).toBe(1);
    a.receive({ me, tasks: [{ task: task('T-3'), case: aCase() }], verifications: [], at: T0 });
    expect(alerts()).toBe(2);
    expect(a.taskSeenAt.get('T-3')).toBe(T0);
  });

  it('queues a step with its idempotency key and photos, saying so only while offline', async () => {
    const { a, queued } = app();
    a.link = 'live';
    await a.progress('T-1', 'accepted');
    expect(a.notice).toBeNull();
    a.link = 'offline';
    const photo = await a.takePhoto(new Blob(['jpeg'], { type: 'image/jpeg' }), 'after');
    await a.progress('T-1', 'done', { photos: [photo] });
    expect(a.notice).toEqual({ text: '已记录，待发送', kind: 'info' });
    expect(queued.map((d) => [d.key, d.name, d.body.status])).toEqual([
      ['task:progress:k1', 'task:progress', 'accepted'],
      ['task:progress:k3', 'task:progress', 'done'],
    ]);
    expect(queued[1]!.photos).toEqual([{ blobKey: 'photo-k2', role: 'after', at: T0 }]);
    expect(queued[1]!.body).toEqual({ taskId: 'T-1', status: 'done', at: T0 });
  });

  it('counts a drill’s deadlines in the world time the hub tells, advanced at its rate, not by the phone’s clock', () => {
    // The phone lives in 2026; the drill replays T0 at 20× (a task read "Overdue 176d 11:07:21" on the phone).
    const real = T0 + 176 * 86_400_000;
    const { a } = app({ now: () => real });
    const clock = { baseReal: real - 1_000, baseWorld: T0, rate: 20 };
    const due = { task: task('T-1'), case: aCase({ id: 'C-T-1', deadline: T0 + 3_600_000 }) };
    a.receive({ me, tasks: [due], verifications: [], at: real, clock });
    expect(a.worldNow).toBe(T0 + 20_000);
    expect(a.worldNow).toBeLessThan(due.case.deadline!);
    a.now = real + 60_000; // a minute on the phone: twenty in the drill
    expect(a.worldNow).toBe(T0 + 20_000 + 1_200_000);
  });

  it('counts by the phone’s clock when the hub tells no world clock (world time is real time)', () => {
    const { a } = app();
    a.receive({ me, tasks: [], verifications: [], at: T0 });
    a.now = T0 + 5_000;
    expect(a.worldNow).toBe(T0 + 5_000);
  });

  it('says it waits for a sign-in while no one is signed in, not that it is connecting', () => {
    const { a } = app({ credential: null });
    expect(a.linkShown).toBe('signedOut');
    expect(a.t(`link.${a.linkShown}`)).toBe('未登录');
    a.credential = { kind: 'inspector', name: 'ivy' };
    expect(a.linkShown).toBe('connecting');
    a.link = 'live';
    expect(a.linkShown).toBe('live');
  });

  it('puts a refusal in words with the hub’s own message', () => {
    const { a } = app();
    a.refusedNotice('not_your_task', 'task T-9 belongs to U-2');
    expect(a.notice).toEqual({ text: '操作被拒绝：这不是本单位的任务（task T-9 belongs to U-2）', kind: 'error' });
  });
});
