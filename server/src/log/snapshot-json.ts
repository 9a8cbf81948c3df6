import { ENTITY_KINDS } from '../domain/store.ts';

/**
 * The world's entity lists whose items the reducer never edits: every change to a case, unit, task … sets a new
 * object (`applyEvent`), so an object's JSON text stays right for as long as the object is in the world.
 */
const ENTITY_LISTS: ReadonlySet<string> = new Set(ENTITY_KINDS);

/**
 * JSON text of world entities, kept per object. A snapshot every few thousand events used to stringify the whole
 * world each time — at 100,000 units or 40,000 cases that was most of a hub's time per event; now only the
 * entities that changed since the last snapshot are. Entries go when their objects do (a WeakMap).
 */
export class EntityJson {
  private readonly texts = new WeakMap<object, string>();

  of = (entity: object): string => {
    let text = this.texts.get(entity);
    if (text === undefined) {
      text = JSON.stringify(entity);
      this.texts.set(entity, text);
    }
    return text;
  };

  /**
   * `JSON.stringify(o)`, byte for byte, for an object whose entity lists (`ENTITY_LISTS`) are read from memory:
   * a world snapshot, or one without some of its lists.
   */
  object(o: object): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(o)) {
      if (value === undefined || typeof value === 'function') continue; // JSON.stringify leaves these keys out
      const text =
        ENTITY_LISTS.has(key) && Array.isArray(value)
          ? `[${value.map((v: unknown) => (v !== null && typeof v === 'object' ? this.of(v) : (JSON.stringify(v) ?? 'null'))).join(',')}]`
          : JSON.stringify(value);
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
}
