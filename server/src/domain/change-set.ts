import type { Case, NewLogEvent, Sensor, Storm, Task, Unit } from '@egret/protocol';

/**
 * One entity the commit writes, with the version it must still have in Redis (null: must not exist yet).
 * The commit script refuses when someone else changed it in between, and the caller decides again.
 */
export type EntityWrite =
  | { kind: 'case'; expectedVersion: number | null; entity: Case }
  | { kind: 'unit'; expectedVersion: number | null; entity: Unit }
  | { kind: 'task'; expectedVersion: number | null; entity: Task }
  | { kind: 'storm'; expectedVersion: number | null; entity: Storm }
  | { kind: 'sensor'; expectedVersion: number | null; entity: Sensor };

type Kind = EntityWrite['kind'];
type EntityOf<K extends Kind> = Extract<EntityWrite, { kind: K }>['entity'];

/**
 * A change being decided: the entities it writes and the log events it appends, in order. One decision may move
 * an entity more than once (a reassignment returns the case, then dispatches it again): the commit writes each
 * entity once, in its last state, checked against the version it had when it was read.
 */
export class ChangeSet {
  readonly events: NewLogEvent[] = [];
  private readonly staged = new Map<string, EntityWrite>();

  /** Stages `next`, which replaces `before` (as read from Redis, or as staged earlier; undefined: a new entity). */
  put<K extends Kind>(kind: K, before: EntityOf<K> | undefined, next: EntityOf<K>): EntityOf<K> {
    const key = `${kind}:${next.id}`;
    const first = this.staged.get(key);
    const expectedVersion = first ? first.expectedVersion : before ? before.version : null;
    this.staged.set(key, { kind, expectedVersion, entity: next } as EntityWrite);
    return next;
  }

  log(event: NewLogEvent): void {
    this.events.push(event);
  }

  get writes(): EntityWrite[] {
    return [...this.staged.values()];
  }
}
