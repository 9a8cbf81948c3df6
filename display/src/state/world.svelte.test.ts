import { describe, expect, it } from 'vitest';
import { aCase, aSnapshot, reportedEvents, T0 } from '../../test/fixtures.ts';
import { KEEP_FINISHED_MS, WorldStore } from './world.svelte.ts';

describe(WorldStore.name, () => {
  it('bumps its version when events change the world, and not for events it already has', () => {
    const store = new WorldStore();
    store.replace(aSnapshot({ seq: 0 }));
    const v0 = store.version;
    store.receive(reportedEvents(1, 2));
    expect(store.version).toBe(v0 + 1);
    store.receive(reportedEvents(1, 2));
    expect(store.version).toBe(v0 + 1);
    expect(store.world.cases.size).toBe(2);
  });

  it('is synced only after a snapshot, and counts snapshots', () => {
    const store = new WorldStore();
    expect(store.synced).toBe(false);
    store.replace(aSnapshot({ seq: 5 }));
    store.replace(aSnapshot({ seq: 9 }));
    expect(store.synced).toBe(true);
    expect(store.snapshots).toBe(2);
    expect(store.seq).toBe(9);
  });

  it('replaces the world object on a snapshot, so anything holding the old one sees the change', () => {
    const store = new WorldStore();
    const before = store.world;
    store.replace(aSnapshot({ seq: 3 }));
    expect(store.world).not.toBe(before);
    expect(store.follower.world).toBe(store.world);
  });

  it('drops cases that finished more than a day and a half ago, once a world hour, and keeps the open ones', () => {
    const store = new WorldStore();
    const H = 3_600_000;
    const old = aCase({ id: 'OLD', status: 'closed', reportedAt: T0, closedAt: T0 + H });
    const open = aCase({ id: 'OPEN', status: 'filed', reportedAt: T0 });
    store.replace(aSnapshot({ seq: 0, at: T0 + 2 * H, cases: [old, open] }));
    expect([...store.world.cases.keys()]).toEqual(['OLD', 'OPEN']);
    store.receive([
      {
        seq: 1,
        at: T0 + KEEP_FINISHED_MS + 2 * H,
        type: 'case.reported',
        case: aCase({ id: 'NEW', reportedAt: T0 + KEEP_FINISHED_MS + 2 * H }),
      },
    ]);
    expect([...store.world.cases.keys()]).toEqual(['OPEN', 'NEW']);
    expect(store.pruned).toBe(1);
  });
});
