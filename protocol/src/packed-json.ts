/**
 * Packed JSON: the same value as JSON, without repeating what every entity repeats. The replay wall's seek answer
 * (`GET /api/replay/screen`, docs/replay.md) is tens of thousands of cases and tasks late in a long storm, each
 * spelling out the same keys (`"reportedAt"`, `"history"`, `"actor"` …) and the same strings (category codes and
 * names, statuses, districts, actors). Packed, each object's keys are written once per shape and each distinct
 * string once; what is left is arrays of numbers, which the browser's native JSON parser reads fastest.
 *
 * Lossless for any JSON value (what `JSON.parse` can return): `unpackJson(packJson(v))` deep-equals `v`, keys in
 * the same order — so the world the display builds from it is the world the hub sent, field for field, including
 * fields added to an entity later (nothing here knows the entities' schemas).
 *
 * Encoding. Every value has a kind: `n` a number, boolean or null (written as itself), `s` a string (its index in
 * `strings`), `o` an object (`[shape, …values]`: `shapes[shape]` holds its keys and each value's kind), `a` an array
 * (`[kinds, …values]`: one kind for all its values, or one per value).
 */

/** A packed value, as sent (JSON). */
export interface PackedJson {
  /** Format version: a reader refuses one it does not know. */
  v: 1;
  /** Every distinct string, keys not included. */
  strings: string[];
  /** Each shape: its keys, then one kind letter per key (`shapes[i] = [...keys, kinds]`). */
  shapes: string[][];
  /** The root's kind and packed value. */
  kind: Kind;
  root: unknown;
}

type Kind = 'n' | 's' | 'o' | 'a';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const kindOf = (v: unknown): Kind =>
  typeof v === 'string' ? 's' : Array.isArray(v) ? 'a' : v !== null && typeof v === 'object' ? 'o' : 'n';

/** Packs a JSON value (one `JSON.parse` could return: no undefined, functions or class instances). */
export function packJson(value: unknown): PackedJson {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();

  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const pack = (v: unknown, kind: Kind): unknown => {
    if (kind === 'n') return v;
    if (kind === 's') return str(v as string);
    if (kind === 'a') {
      const items = v as unknown[];
      const kinds = items.map(kindOf);
      const same = kinds.every((k) => k === kinds[0]);
      const out: unknown[] = [same ? (kinds[0] ?? 'n') : kinds.join('')];
      for (let i = 0; i < items.length; i++) out.push(pack(items[i], kinds[i]!));
      return out;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    let kinds = '';
    for (const k of keys) kinds += kindOf(obj[k]);
    // A key list and its kinds joined by characters no key of ours holds in that place: one shape per combination.
    const id = `${keys.join('\u0000')}\u0001${kinds}`;
    let shape = shapeIndex.get(id);
    if (shape === undefined) {
      shape = shapes.length;
      shapes.push([...keys, kinds]);
      shapeIndex.set(id, shape);
    }
    const out: unknown[] = [shape];
    for (let i = 0; i < keys.length; i++) out.push(pack(obj[keys[i]!], kinds[i] as Kind));
    return out;
  };
  const kind = kindOf(value);
  const root = pack(value, kind);
  return { v: 1, strings, shapes, kind, root };
}

/** The value `packJson` packed. Throws on a version or a reference it does not know (a corrupt answer). */
export function unpackJson<T = Json>(packed: PackedJson): T {
  if (packed.v !== 1) throw new Error(`packed JSON: unknown version ${String(packed.v)}`);
  const { strings, shapes } = packed;
  const shapeKeys = shapes.map((s) => s.slice(0, -1));
  const shapeKinds = shapes.map((s) => s.at(-1) ?? '');
  const unpack = (v: unknown, kind: string): unknown => {
    switch (kind) {
      case 'n':
        return v;
      case 's': {
        const s = strings[v as number];
        if (s === undefined) throw new Error(`packed JSON: no string ${String(v)}`);
        return s;
      }
      case 'a': {
        const items = v as unknown[];
        const kinds = items[0] as string;
        const out = new Array<unknown>(items.length - 1);
        if (kinds.length === 1) for (let i = 1; i < items.length; i++) out[i - 1] = unpack(items[i], kinds);
        else for (let i = 1; i < items.length; i++) out[i - 1] = unpack(items[i], kinds[i - 1]!);
        return out;
      }
      case 'o': {
        const items = v as unknown[];
        const shape = items[0] as number;
        const keys = shapeKeys[shape];
        const kinds = shapeKinds[shape];
        if (keys === undefined || kinds === undefined) throw new Error(`packed JSON: no shape ${String(shape)}`);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const value = unpack(items[i + 1], kinds[i]!);
          // As JSON.parse does: an own property named __proto__, never the object's prototype.
          if (key === '__proto__')
            Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
          else out[key] = value;
        }
        return out;
      }
      default:
        throw new Error(`packed JSON: unknown kind ${kind}`);
    }
  };
  return unpack(packed.root, packed.kind) as T;
}
