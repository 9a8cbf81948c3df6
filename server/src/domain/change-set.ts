import type { NewLogEvent } from '@egret/protocol';
import type { EntityWrite } from './change.ts';

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

  /** Stages `next`, which replaces `before` (as read from the store, or as staged earlier; undefined: a new entity). */
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
