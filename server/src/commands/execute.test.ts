import client from 'prom-client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { Actor } from '@egret/protocol';
import { ALICE, AT, availableUnit, filedCase } from '../../test/entities.ts';
import { MemoryStore } from '../domain/memory-store.ts';
import type { RefusedCommand } from './audit.ts';
import { createCommands } from './execute.ts';

/** The command path (read → decide → commit, retried on conflict) against the in-memory store: no Redis. */

const config = loadConfig();
const BOB: Actor = { role: 'commander', id: 'bob' };

const filed = (id: string) => filedCase(id);
const unit = availableUnit;

function setup(store = new MemoryStore()) {
  const audited: RefusedCommand[] = [];
  let available = true;
  const commands = createCommands({
    store,
    audit: async (r) => void audited.push(r),
    available: () => available,
    categories: config.categories,
    worldNow: () => AT,
    realNow: () => 1_780_000_000_000,
    registry: new client.Registry(),
    logger: pino({ level: 'silent' }),
  });
  return { store, commands, audited, down: () => (available = false) };
}

describe(createCommands.name, () => {
  it('dispatches: writes the case, task and unit, logs three events, and answers the receipt with the last seq', async () => {
    const { store, commands } = setup(
      new MemoryStore().put({ kind: 'case', entity: filed('C-1') }, { kind: 'unit', entity: unit('U-1') }),
    );
    const r = await commands.execute('case:dispatch', { caseId: 'C-1', unitId: 'U-1', idempotencyKey: 'k1' }, ALICE);
    expect(r).toEqual({
      ok: true,
      data: { caseId: 'C-1', taskId: 'T-C-1-1', unitId: 'U-1', squadId: 'SQ-U-1', seq: 3 },
    });
    expect(store.log.map((e) => e.type)).toEqual(['task.created', 'case.transitioned', 'unit.status_changed']);
    expect(store.entities.cases.get('C-1')).toMatchObject({ status: 'dispatched', taskId: 'T-C-1-1' });
    expect(store.entities.units.get('U-1')).toMatchObject({ status: 'dispatched', taskId: 'T-C-1-1' });
  });

  it('answers a repeated idempotency key with the first receipt and writes nothing; the same key for another request is refused', async () => {
    const { store, commands, audited } = setup(
      new MemoryStore().put({ kind: 'case', entity: filed('C-1') }, { kind: 'unit', entity: unit('U-1') }),
    );
    const first = await commands.execute(
      'case:dispatch',
      { caseId: 'C-1', unitId: 'U-1', idempotencyKey: 'click' },
      ALICE,
    );
    const again = await commands.execute(
      'case:dispatch',
      { caseId: 'C-1', unitId: 'U-1', idempotencyKey: 'click' },
      ALICE,
    );
    expect(again).toEqual(first);
    expect(store.log).toHaveLength(3);
    expect(
      await commands.execute(
        'case:dispatch',
        { caseId: 'C-1', unitId: 'U-1', note: 'different', idempotencyKey: 'click' },
        ALICE,
      ),
    ).toMatchObject({ ok: false, error: 'idempotency_key_reused' });
    expect(audited.map((a) => a.error)).toEqual(['idempotency_key_reused']);
    // Keys are per command: the same key on another command is its own.
    expect(await commands.execute('case:supervise', { caseId: 'C-1', idempotencyKey: 'click' }, ALICE)).toMatchObject({
      ok: true,
    });
  });

  it('decides again on a conflict: the second dispatch of a unit another commander took in between is refused as unit_busy', async () => {
    const store = new MemoryStore().put(
      { kind: 'case', entity: filed('C-1') },
      { kind: 'case', entity: filed('C-2') },
      { kind: 'unit', entity: unit('U-1') },
    );
    // Both read before either commits, as two hubs would: the loads wait for each other once.
    const load = store.load.bind(store);
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    store.load = async (ids, follow) => {
      const read = await load(ids, follow);
      if (++arrived === 2) release();
      if (arrived <= 2) await bothRead;
      return read;
    };
    const { commands, audited } = setup(store);
    const both = await Promise.all([
      commands.execute('case:dispatch', { caseId: 'C-1', unitId: 'U-1', idempotencyKey: 'a' }, ALICE),
      commands.execute('case:dispatch', { caseId: 'C-2', unitId: 'U-1', idempotencyKey: 'b' }, BOB),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ ok: false, error: 'unit_busy' });
    expect(store.commits).toBe(2); // one committed, one conflict; read again, the second is refused without a commit
    expect([...store.entities.tasks.keys()]).toHaveLength(1);
    expect(audited).toHaveLength(1);
  });

  it('refuses and audits what the decision refuses, changing nothing', async () => {
    const { store, commands, audited } = setup(new MemoryStore().put({ kind: 'case', entity: filed('C-1') }));
    expect(
      await commands.execute('case:transition', { caseId: 'C-1', action: 'park', idempotencyKey: 'k' }, ALICE),
    ).toMatchObject({ ok: false, error: 'reason_required' });
    expect(
      await commands.execute('case:dispatch', { caseId: 'C-1', unitId: 'U-NOBODY', idempotencyKey: 'k' }, ALICE),
    ).toMatchObject({ ok: false, error: 'unknown_unit' });
    expect(
      await commands.execute('case:extend', { caseId: 'C-1', hours: -1, reason: 'x', idempotencyKey: 'k' }, ALICE),
    ).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await commands.execute('no:such', {}, ALICE)).toMatchObject({ ok: false, error: 'unknown_command' });
    expect(store.log).toEqual([]);
    expect(store.entities.cases.get('C-1')).toEqual(filed('C-1'));
    expect(audited.map((a) => [a.command, a.error, a.actor.id])).toEqual([
      ['case:transition', 'reason_required', 'alice'],
      ['case:dispatch', 'unknown_unit', 'alice'],
      ['case:extend', 'bad_request', 'alice'],
      ['no:such', 'unknown_command', 'alice'],
    ]);
  });

  it('sets the mode once with a compare-and-set on the stored mode, and refuses the mode in force', async () => {
    const { store, commands } = setup();
    expect(await commands.execute('mode:set', { mode: 'typhoon', idempotencyKey: 'm1' }, ALICE)).toEqual({
      ok: true,
      data: { mode: 'typhoon', seq: 1 },
    });
    expect(store.storedMode).toBe('typhoon');
    expect(await commands.execute('mode:set', { mode: 'typhoon', idempotencyKey: 'm2' }, BOB)).toMatchObject({
      ok: false,
      error: 'already_in_mode',
    });
  });

  it('gives up as busy when the entities keep changing under it, and answers unavailable when the store fails while unreachable', async () => {
    const store = new MemoryStore().put({ kind: 'case', entity: filed('C-1') });
    const commit = store.commit.bind(store);
    store.commit = async (c) =>
      await commit({
        ...c,
        change: { ...c.change, writes: c.change.writes.map((w) => ({ ...w, expectedVersion: 99 })) },
      });
    const { commands, down } = setup(store);
    expect(await commands.execute('case:supervise', { caseId: 'C-1', idempotencyKey: 'k' }, ALICE)).toMatchObject({
      ok: false,
      error: 'busy',
    });
    expect(store.commits).toBe(20);
    store.load = async () => {
      throw new Error('connection lost');
    };
    down();
    expect(await commands.execute('case:supervise', { caseId: 'C-1', idempotencyKey: 'k2' }, ALICE)).toMatchObject({
      ok: false,
      error: 'unavailable',
    });
  });
});
