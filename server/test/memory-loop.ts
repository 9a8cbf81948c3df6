import { randomUUID } from 'node:crypto';
import client from 'prom-client';
import pino from 'pino';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import type { Actor, CommandName, CommandOf, InputMessage, ReceiptOf, Result, Task } from '@egret/protocol';
import type { RefusedCommand } from '../src/commands/audit.ts';
import { createCommands, type Commands } from '../src/commands/execute.ts';
import { applyInput, currentEntities, entitiesNeeded, type ApplyContext } from '../src/domain/apply-input.ts';
import { MemoryStore } from '../src/domain/memory-store.ts';

/**
 * The closed loop without a hub or Redis, for tests about what the decisions do: the field's inputs decided by
 * `applyInput` and commands by the command path, both committed to an in-memory store (the same contract as
 * commit.lua: server/test/store-contract.ts). What is about Redis, sockets, the mirror or two hubs stays in the
 * hub tests (hub-fixture.ts, loop-fixture.ts).
 */
export class MemoryLoop {
  readonly store = new MemoryStore();
  /** Refused commands, as the audit stream would keep them. */
  readonly audited: RefusedCommand[] = [];
  readonly commands: Commands;
  private readonly apply: Omit<ApplyContext, 'worldNow' | 'realNow'>;
  private entries = 0;

  constructor(private readonly now: () => number = Date.now) {
    const config = loadConfig();
    this.apply = {
      categories: config.categories,
      shapes: districtShapes(config.boundaries),
      districts: new Set(config.city.districts.map((d) => d.code)),
      sensors: config.settings.sensors,
      grids: gridSpec(config.city.bbox, GRID_CELL_M),
    };
    this.commands = createCommands({
      store: this.store,
      audit: async (r) => void this.audited.push(r),
      available: () => true,
      categories: config.categories,
      worldNow: now,
      realNow: now,
      registry: new client.Registry(),
      logger: pino({ level: 'silent' }),
    });
  }

  /** Applies one input entry as the ingest does (read, decide, commit); throws when it is refused. */
  async input(m: InputMessage): Promise<void> {
    const { follow, ...ids } = entitiesNeeded(m);
    const current = currentEntities(m, await this.store.load(ids, follow));
    if (m.kind === 'unit.register' && !current.unit)
      current.slot = this.store.slots.get(m.unitId) ?? this.store.slots.size;
    const at = this.now();
    const r = applyInput(m, current, { ...this.apply, worldNow: at, realNow: at });
    if (!r.ok) throw new Error(`input ${m.kind} refused: ${r.reason}: ${r.detail}`);
    if (r.events.length === 0 && r.writes.length === 0) return;
    const out = await this.store.commit({ change: r, now: at, entry: { stream: 'in', id: `${++this.entries}-0` } });
    if (out.status !== 'committed') throw new Error(`input ${m.kind} not committed: ${out.status}`);
  }

  /** A command from `actor`, with a fresh idempotency key unless the payload has one. */
  send<N extends CommandName>(
    actor: Actor,
    name: N,
    payload: Omit<CommandOf<N>, 'idempotencyKey'> & { idempotencyKey?: string },
  ): Promise<Result<ReceiptOf<N>>> {
    return this.commands.execute(name, { idempotencyKey: randomUUID(), ...payload }, actor) as Promise<
      Result<ReceiptOf<N>>
    >;
  }

  registerUnit(unitId: string, over: { status?: 'available' | 'off_duty' } = {}): Promise<void> {
    return this.input({
      kind: 'unit.register',
      unitId,
      name: unitId,
      type: 'enforcement',
      squadId: `SQ-${unitId}`,
      district: '350203',
      status: over.status ?? 'available',
      at: this.now(),
    });
  }

  /** Reports a case and has the case system accept and file it. */
  async fileCase(caseId: string, at = this.now()): Promise<void> {
    const actor = { role: 'dispatcher', id: 'clerk-1' } as const;
    await this.input({
      kind: 'case.report',
      caseId,
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'normal',
      lon: 118.09,
      lat: 24.46,
      address: '思明南路',
      at,
    });
    await this.input({ kind: 'case.transition', caseId, to: 'accepted', actor, at });
    await this.input({ kind: 'case.transition', caseId, to: 'filed', actor, at });
  }

  taskUpdate(taskId: string, unitId: string, status: Task['status'], reason?: string): Promise<void> {
    return this.input({ kind: 'task.update', taskId, unitId, status, at: this.now(), ...(reason ? { reason } : {}) });
  }
}

/** Unwraps an ok Result, failing with the refusal's message otherwise. */
export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error}: ${r.message}`);
  return r.data;
}
