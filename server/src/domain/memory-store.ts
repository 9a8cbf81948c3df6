import type { Clock, LogEvent, Mode } from '@egret/protocol';
import type { CommitResult, EntityWrite } from './change.ts';
import {
  KIND_OF_WRITE,
  loadWithLinks,
  noEntities,
  type CommitRequest,
  type EntityKind,
  type EntityOf,
  type EntityStore,
  type LoadedEntities,
} from './store.ts';

/** How long applied entry ids and idempotency keys are remembered (as redis/commit.ts APPLIED_RETENTION_MS). */
const RETENTION_MS = 24 * 3_600_000;

/**
 * The store in memory, with commit.lua's semantics step for step: the fence first, then an already-applied entry
 * (only acknowledged), a used idempotency key (`replayed` with what it kept, `seq` added), every write's version
 * compare-and-set and the mode's, then the log with gapless seqs, the writes, the clock and mode, and what was
 * applied (forgotten after the retention). For tests of decisions and flows that are not about Redis itself; its
 * fields are open for the test to arrange and read.
 */
export class MemoryStore implements EntityStore {
  /** Entities by kind and id (stored as copies: a test cannot change them behind the store's back by accident). */
  readonly entities: LoadedEntities = noEntities();
  /** The log, seq 1 first. */
  readonly log: LogEvent[] = [];
  storedMode: Mode | undefined;
  clock: Clock | undefined;
  /** Command results by idempotency field (JSON with `seq`). */
  readonly idempotency = new Map<string, string>();
  /** Applied entry ids and `idem:<field>` → when (real ms). */
  readonly appliedAt = new Map<string, number>();
  /** Acknowledged input entries (`stream id`). */
  readonly acked = new Set<string>();
  /** Lease tokens by key: a fenced commit must find its token here. */
  readonly leases = new Map<string, string>();
  /** Frame slots kept for units whose registration was committed. */
  readonly slots = new Map<string, number>();
  /** Commits asked for, whatever they answered (tests count conflicts and retries with it). */
  commits = 0;

  constructor(private readonly o: { retentionMs?: number } = {}) {}

  /** Puts entities in place as if committed long ago (test arrangement). */
  put(...writes: Array<{ kind: EntityWrite['kind']; entity: EntityWrite['entity'] }>): this {
    for (const w of writes) this.entities[KIND_OF_WRITE[w.kind]].set(w.entity.id, structuredClone(w.entity) as never);
    return this;
  }

  get seq(): number {
    return this.log.at(-1)?.seq ?? 0;
  }

  load(ids: Parameters<EntityStore['load']>[0], follow = true): Promise<LoadedEntities> {
    return loadWithLinks(ids, follow, async <K extends EntityKind>(kind: K, wanted: string[]) =>
      wanted.map((id) => {
        const e = (this.entities[kind] as Map<string, EntityOf<K>>).get(id);
        return e === undefined ? undefined : structuredClone(e);
      }),
    );
  }

  async mode(): Promise<Mode> {
    return this.storedMode ?? 'peacetime';
  }

  async kept(field: string): Promise<string | undefined> {
    return this.idempotency.get(field);
  }

  async applied(entryId: string): Promise<boolean> {
    return this.appliedAt.has(entryId);
  }

  async commit(c: CommitRequest): Promise<CommitResult> {
    this.commits++;
    const { change, entry, idempotency, fence } = c;
    if (fence && this.leases.get(fence.key) !== fence.token) return { status: 'fenced' };
    if (entry && this.appliedAt.has(entry.id)) {
      this.acked.add(`${entry.stream} ${entry.id}`);
      return { status: 'already_applied' };
    }
    if (idempotency) {
      const kept = this.idempotency.get(idempotency.field);
      if (kept !== undefined) return { status: 'replayed', result: kept };
    }
    for (const w of change.writes) {
      const current = this.entities[KIND_OF_WRITE[w.kind]].get(w.entity.id);
      const holds =
        w.expectedVersion === null
          ? current === undefined
          : current !== undefined && current.version === w.expectedVersion;
      if (!holds) return { status: 'conflict', kind: w.kind, id: w.entity.id };
    }
    if (change.mode && (this.storedMode ?? 'peacetime') !== change.mode.expected)
      return { status: 'conflict', kind: 'mode', id: 'mode' };

    const first = this.seq + 1;
    change.events.forEach((e, i) => this.log.push(structuredClone({ seq: first + i, ...e }) as LogEvent));
    const last = first + change.events.length - 1;
    for (const w of change.writes) {
      this.entities[KIND_OF_WRITE[w.kind]].set(w.entity.id, structuredClone(w.entity) as never);
      // As commit.lua: a new unit's frame slot is kept only once its registration is committed.
      if (w.kind === 'unit' && w.expectedVersion === null && !this.slots.has(w.entity.id))
        this.slots.set(w.entity.id, w.entity.slot);
    }
    if (change.clock) this.clock = structuredClone(change.clock);
    if (change.mode) this.storedMode = change.mode.next;

    if (entry) this.appliedAt.set(entry.id, c.now);
    if (idempotency) {
      this.idempotency.set(idempotency.field, `{"seq":${last},${idempotency.result.slice(1)}`);
      this.appliedAt.set(`idem:${idempotency.field}`, c.now);
    }
    const before = c.now - (this.o.retentionMs ?? RETENTION_MS);
    for (const [member, at] of this.appliedAt) {
      if (at >= before) continue;
      if (member.startsWith('idem:')) this.idempotency.delete(member.slice(5));
      this.appliedAt.delete(member);
    }
    if (entry) this.acked.add(`${entry.stream} ${entry.id}`);
    return { status: 'committed', firstSeq: first, seq: last };
  }
}
