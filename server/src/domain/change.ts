import type { Camera, Case, Clock, Mode, NewLogEvent, Sensor, Storm, Task, Unit } from '@egret/protocol';
import type { StoredInspection, StoredPlan, StoredPreposition } from './plan-entities.ts';

/**
 * The change vocabulary of the domain: what a decision writes and what a store answers when asked to commit it.
 * Declared here, implemented by the stores (`redis/store.ts`, `domain/memory-store.ts`): the core never imports
 * its adapters' types.
 */

/**
 * One entity the commit writes, with the version it must still have in the store (null: must not exist yet).
 * The store refuses when someone else changed it in between, and the caller decides again.
 */
export type EntityWrite =
  | { kind: 'case'; expectedVersion: number | null; entity: Case }
  | { kind: 'unit'; expectedVersion: number | null; entity: Unit }
  | { kind: 'task'; expectedVersion: number | null; entity: Task }
  | { kind: 'storm'; expectedVersion: number | null; entity: Storm }
  | { kind: 'sensor'; expectedVersion: number | null; entity: Sensor }
  | { kind: 'camera'; expectedVersion: number | null; entity: Camera }
  | { kind: 'plan'; expectedVersion: number | null; entity: StoredPlan }
  | { kind: 'inspection'; expectedVersion: number | null; entity: StoredInspection }
  | { kind: 'preposition'; expectedVersion: number | null; entity: StoredPreposition };

/** A decided change: entity writes (compare-and-set on versions) and the log events, in order. */
export interface Change {
  writes: readonly EntityWrite[];
  events: readonly NewLogEvent[];
  /** The world clock to store (`clock.set`). */
  clock?: Clock;
  /** The mode to store, and the mode the store must still hold (`mode:set`). */
  mode?: { expected: Mode; next: Mode };
}

/**
 * A lease token that a write must still find in the store, checked in the same atomic step: the single applier of
 * the control-plane input passes its lease, so an ex-leader that stalled can never write behind its successor.
 */
export interface Fence {
  key: string;
  token: string;
}

export type CommitResult =
  /** Written: the events got the log seqs firstSeq … lastSeq. */
  | { status: 'committed'; seq: number; firstSeq: number }
  /** The entry had been applied before (a re-claimed entry): it was only acknowledged. */
  | { status: 'already_applied' }
  /** The idempotency key had been used: nothing written; `result` is what the first command returned. */
  | { status: 'replayed'; result: string }
  /** An entity changed since it was read: read again and decide again. */
  | { status: 'conflict'; kind: string; id: string }
  /** The fence token is no longer the lease's (another hub applies now): nothing written, not even the ack. */
  | { status: 'fenced' };
