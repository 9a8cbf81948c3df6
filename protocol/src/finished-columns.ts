import type { CaseBrief } from './case-brief.ts';
import type { Task } from './entities.ts';
import type { ReplayFinished } from './replay.ts';

/**
 * The finished part of a replay seek (`/api/replay/state?part=finished`) as columns (issue #19). Late in a three-day
 * storm a screen holds ~36,000 finished cases as briefs and as many ended tasks: as an array of objects their keys
 * repeat in every row and their times are 13-digit numbers, which brotli packs to ~48 and ~21 bytes a row. As
 * columns — one array per field — repeated strings become indexes into one string table, positions fixed-point
 * integers (×1e6) as differences from the previous row, the report (a task's creation) time a difference from the
 * previous row's and every other time a difference from the row's own report time: small numbers in long runs of
 * one kind, ~30 % fewer bytes on the wire after brotli for the same rows.
 *
 * Lossless: `decodeFinishedColumns(encodeFinishedColumns(c, t))` gives the same rows in the same order, field for
 * field — an optional field absent stays absent. A value its column cannot hold exactly (a position with more than
 * six decimals, a time that is not an integer, a key the table does not name, a history of another shape) goes whole
 * into the row's `x` (extras), which the decoder lays over the columns; so the codec never changes what is sent,
 * only how.
 */
export const FINISHED_COLUMNS_VERSION = 1;

/** How a field is held in its column (see `FinishedColumns`). */
export type FinishedColumnKind =
  /**
   * a string met for the first time in the answer's `raw` columns as it is (ids: unique per row); met again (a task's
   * id is its case's `taskId`, its `caseId` a case's id), the number of that first meeting in the answer's order of
   * reading (row by row, field by field, cases first) as the difference from the column's previous such number;
   * a new string that ends with the row's own id (a case's task `T-<case id>`) as `[the rest's string index]`
   */
  | 'raw'
  /** an index into the string table */
  | 'str'
  | 'int'
  /** 1 or 0 */
  | 'bool'
  /** an index into the object table (flat objects that repeat: categories, actors) */
  | 'obj'
  /** [lon, lat] as two ints ×1e6, each a difference from the previous row's */
  | 'pos'
  /** an integer time, the difference from the previous row's (the table's anchor) */
  | 'seq'
  /** an integer time, the difference from the row's anchor */
  | 'rel'
  /** a case history (a brief keeps at most its finishing step): `0` for none, else one tuple a step */
  | 'steps';

type Kind = FinishedColumnKind;

/** A column: its row field and how it is held (the layouts below are the wire format: order matters). */
export interface FinishedColumnField {
  key: string;
  kind: Kind;
}
type Field = FinishedColumnField;

const CASE_FIELDS: readonly Field[] = [
  { key: 'id', kind: 'raw' },
  { key: 'category', kind: 'obj' },
  { key: 'source', kind: 'str' },
  { key: 'urgency', kind: 'str' },
  { key: 'position', kind: 'pos' },
  { key: 'address', kind: 'str' },
  { key: 'district', kind: 'str' },
  { key: 'grid', kind: 'str' },
  { key: 'status', kind: 'str' },
  { key: 'reportedAt', kind: 'seq' },
  { key: 'deadline', kind: 'rel' },
  { key: 'closedAt', kind: 'rel' },
  { key: 'filedAt', kind: 'rel' },
  { key: 'taskId', kind: 'raw' },
  { key: 'squadId', kind: 'str' },
  { key: 'supervised', kind: 'bool' },
  { key: 'supervisedAt', kind: 'rel' },
  { key: 'extensions', kind: 'int' },
  { key: 'returns', kind: 'int' },
  { key: 'reworks', kind: 'int' },
  { key: 'history', kind: 'steps' },
  { key: 'steps', kind: 'int' },
  { key: 'version', kind: 'int' },
];
const CASE_ANCHOR = 'reportedAt';

const TASK_FIELDS: readonly Field[] = [
  { key: 'id', kind: 'raw' },
  { key: 'caseId', kind: 'raw' },
  { key: 'unitId', kind: 'str' },
  { key: 'squadId', kind: 'str' },
  { key: 'status', kind: 'str' },
  { key: 'createdAt', kind: 'seq' },
  { key: 'updatedAt', kind: 'rel' },
  { key: 'actor', kind: 'obj' },
  { key: 'reason', kind: 'str' },
  { key: 'note', kind: 'str' },
  { key: 'version', kind: 'int' },
];
const TASK_ANCHOR = 'createdAt';

type Cell = string | number | null | Cell[];

/** One table: `n` rows, a column per field (null: the field is absent, or held in `x`), extras by row. */
export interface ColumnTable {
  n: number;
  cols: Record<string, Cell[]>;
  /** Row index → the fields its columns could not hold exactly, whole. */
  x: Record<string, Record<string, unknown>>;
}

/** The wire form (JSON) of a finished part's cases and tasks. */
export interface FinishedColumns {
  v: number;
  /** The string table (`str` columns and the steps' strings index into it). */
  s: string[];
  /** The object table (`obj` columns index into it): flat objects of strings, numbers and booleans. */
  o: Array<Record<string, string | number | boolean>>;
  cases: ColumnTable;
  tasks: ColumnTable;
}

export class FinishedColumnsError extends Error {}

const E6 = 1e6;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isFlat = (v: unknown): v is Record<string, string | number | boolean> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string' || typeof x === 'boolean' || Number.isFinite(x));
/** A coordinate held exactly as an integer of millionths. */
const e6 = (v: unknown): number | undefined => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const i = Math.round(v * E6);
  return Number.isSafeInteger(i) && i / E6 === v ? i : undefined;
};
const STEP_KEYS = new Set(['to', 'at', 'actor', 'action', 'reason']);

class Encoder {
  readonly s: string[] = [];
  readonly o: FinishedColumns['o'] = [];
  private readonly sIndex = new Map<string, number>();
  private readonly oIndex = new Map<string, number>();
  /** Every string a `raw` column has sent, by the order it was first sent in. */
  private readonly raws = new Map<string, number>();

  str(v: string): number {
    let i = this.sIndex.get(v);
    if (i === undefined) this.sIndex.set(v, (i = this.s.push(v) - 1));
    return i;
  }

  obj(v: Record<string, string | number | boolean>): number {
    const key = JSON.stringify(v);
    let i = this.oIndex.get(key);
    if (i === undefined) this.oIndex.set(key, (i = this.o.push({ ...v }) - 1));
    return i;
  }

  /** A history as step tuples [to, at − anchor, actor, action, reason], or undefined when one does not fit. */
  private steps(v: unknown, anchor: number | undefined): Cell | undefined {
    if (!Array.isArray(v)) return undefined;
    if (v.length === 0) return 0;
    if (anchor === undefined) return undefined;
    const out: Cell[] = [];
    for (const step of v as unknown[]) {
      if (typeof step !== 'object' || step === null) return undefined;
      const s = step as Record<string, unknown>;
      if (Object.keys(s).some((k) => !STEP_KEYS.has(k) || s[k] === undefined)) return undefined;
      if (typeof s.to !== 'string' || !isInt(s.at) || !isFlat(s.actor)) return undefined;
      if (
        (s.action !== undefined && typeof s.action !== 'string') ||
        (s.reason !== undefined && typeof s.reason !== 'string')
      )
        return undefined;
      out.push([
        this.str(s.to),
        s.at - anchor,
        this.obj(s.actor),
        s.action === undefined ? null : this.str(s.action),
        s.reason === undefined ? null : this.str(s.reason),
      ]);
    }
    return out;
  }

  table(rows: readonly object[], fields: readonly Field[], anchorKey: string): ColumnTable {
    const cols: Record<string, Cell[]> = {};
    for (const f of fields) cols[f.key] = [];
    const x: ColumnTable['x'] = {};
    const known = new Set(fields.map((f) => f.key));
    let lastAnchor = 0;
    let lastLon = 0;
    let lastLat = 0;
    const lastRef = new Map<string, number>();
    rows.forEach((row, r) => {
      const rec = row as Record<string, unknown>;
      const extra: Record<string, unknown> = {};
      const a = rec[anchorKey];
      const anchor = isInt(a) ? a : undefined;
      for (const f of fields) {
        const v = rec[f.key];
        const col = cols[f.key]!;
        let cell: Cell | undefined = null;
        if (v !== undefined)
          switch (f.kind) {
            case 'raw': {
              if (typeof v !== 'string') {
                cell = undefined;
                break;
              }
              const k = this.raws.get(v);
              const id = rec.id;
              if (k === undefined) {
                this.raws.set(v, this.raws.size);
                cell =
                  f.key !== 'id' && typeof id === 'string' && id !== '' && v.length > id.length && v.endsWith(id)
                    ? [this.str(v.slice(0, -id.length))]
                    : v;
              } else {
                cell = k - (lastRef.get(f.key) ?? 0);
                lastRef.set(f.key, k);
              }
              break;
            }
            case 'str':
              cell = typeof v === 'string' ? this.str(v) : undefined;
              break;
            case 'int':
              cell = isInt(v) ? v : undefined;
              break;
            case 'bool':
              cell = typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
              break;
            case 'obj':
              cell = isFlat(v) ? this.obj(v) : undefined;
              break;
            case 'seq':
              cell = anchor !== undefined ? anchor - lastAnchor : undefined;
              if (anchor !== undefined) lastAnchor = anchor;
              break;
            case 'rel':
              cell = isInt(v) && anchor !== undefined ? v - anchor : undefined;
              break;
            case 'steps':
              cell = this.steps(v, anchor);
              break;
            case 'pos': {
              const lon = Array.isArray(v) && v.length === 2 ? e6(v[0]) : undefined;
              const lat = Array.isArray(v) && v.length === 2 ? e6(v[1]) : undefined;
              if (lon !== undefined && lat !== undefined) {
                col.push(lon - lastLon, lat - lastLat);
                lastLon = lon;
                lastLat = lat;
                continue;
              }
              col.push(null, null);
              extra[f.key] = v;
              continue;
            }
          }
        if (cell === undefined) {
          extra[f.key] = v;
          cell = null;
        }
        if (f.kind === 'pos') col.push(null, null);
        else col.push(cell);
      }
      for (const k of Object.keys(rec)) if (!known.has(k) && rec[k] !== undefined) extra[k] = rec[k];
      if (Object.keys(extra).length) x[r] = extra;
    });
    return { n: rows.length, cols, x };
  }
}

/** The finished cases (as briefs) and ended tasks as columns (pure; the rows are not changed). */
export function encodeFinishedColumns(cases: readonly CaseBrief[], tasks: readonly Task[]): FinishedColumns {
  const enc = new Encoder();
  const c = enc.table(cases, CASE_FIELDS, CASE_ANCHOR);
  const t = enc.table(tasks, TASK_FIELDS, TASK_ANCHOR);
  return { v: FINISHED_COLUMNS_VERSION, s: enc.s, o: enc.o, cases: c, tasks: t };
}

function decodeTable(
  what: string,
  table: ColumnTable,
  fields: readonly Field[],
  anchorKey: string,
  s: readonly string[],
  o: FinishedColumns['o'],
  /** The strings the `raw` columns sent so far (shared by the tables, in the order they are read). */
  raws: string[],
): Array<Record<string, unknown>> {
  const bad = (msg: string) => new FinishedColumnsError(`${what}: ${msg}`);
  if (typeof table !== 'object' || table === null) throw bad('missing');
  const { n, cols, x } = table;
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`row count ${String(n)}`);
  if (typeof cols !== 'object' || cols === null) throw bad('no columns');
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad('no extras');
  for (const f of fields) {
    const col = cols[f.key];
    const len = f.kind === 'pos' ? 2 * n : n;
    if (!Array.isArray(col) || col.length !== len)
      throw bad(`column ${f.key} has ${Array.isArray(col) ? col.length : 'no'} cells, expected ${len}`);
  }
  const int = (v: Cell, key: string): number => {
    if (!isInt(v)) throw bad(`${key}: ${JSON.stringify(v)} is not an integer`);
    return v;
  };
  const at = <T>(list: readonly T[], i: Cell, key: string): T => {
    if (!isInt(i) || i < 0 || i >= list.length) throw bad(`${key}: index ${JSON.stringify(i)} out of ${list.length}`);
    return list[i]!;
  };
  // The columns and kinds looked up once, not per row (the loop runs over tens of thousands of rows per seek).
  const nf = fields.length;
  const colOf = fields.map((f) => cols[f.key]!);
  const keyOf = fields.map((f) => f.key);
  const kindOf = fields.map((f) => f.kind);
  const anchors = cols[anchorKey]!;
  /** A `raw` column's last reference (by field): the next is a difference from it. */
  const lastRef = new Array<number>(nf).fill(0);
  /**
   * The object table's rows as the screen keeps them: one frozen copy each, shared by the rows that name it (a
   * category, an actor: flat, and replaced, never changed, with the entity), not a copy a row.
   */
  const shared = new Array<Readonly<Record<string, unknown>> | undefined>(o.length);
  const obj = (i: Cell, key: string) => {
    if (!isInt(i) || i < 0 || i >= o.length) throw bad(`${key}: index ${JSON.stringify(i)} out of ${o.length}`);
    return (shared[i] ??= Object.freeze({ ...o[i]! }));
  };
  const rows: Array<Record<string, unknown>> = new Array(n);
  let lastAnchor = 0;
  let lastLon = 0;
  let lastLat = 0;
  for (let r = 0; r < n; r++) {
    const row: Record<string, unknown> = {};
    const a = anchors[r]!;
    const anchor = a === null ? undefined : (lastAnchor += int(a, anchorKey));
    for (let fi = 0; fi < nf; fi++) {
      const col = colOf[fi]!;
      const key = keyOf[fi]!;
      const kind = kindOf[fi]!;
      if (kind === 'pos') {
        const dLon = col[2 * r]!;
        const dLat = col[2 * r + 1]!;
        if (dLon === null || dLat === null) continue;
        lastLon += int(dLon, key);
        lastLat += int(dLat, key);
        row[key] = [lastLon / E6, lastLat / E6];
        continue;
      }
      const v = col[r]!;
      if (v === null) continue;
      switch (kind) {
        case 'raw':
          if (typeof v === 'string') {
            raws.push(v);
            row[key] = v;
          } else if (Array.isArray(v)) {
            if (v.length !== 1 || typeof row.id !== 'string' || key === 'id')
              throw bad(`${key}: ${JSON.stringify(v)} is not a prefix of the row's id`);
            const whole = at(s, v[0]!, key) + row.id;
            raws.push(whole);
            row[key] = whole;
          } else {
            const k = lastRef[fi]! + int(v, key);
            row[key] = at(raws, k, key);
            lastRef[fi] = k;
          }
          break;
        case 'str':
          row[key] = at(s, v, key);
          break;
        case 'int':
          row[key] = int(v, key);
          break;
        case 'bool':
          if (v !== 0 && v !== 1) throw bad(`${key}: ${JSON.stringify(v)} is not 0 or 1`);
          row[key] = v === 1;
          break;
        case 'obj':
          row[key] = obj(v, key);
          break;
        case 'seq':
          row[key] = anchor;
          break;
        case 'rel':
          if (anchor === undefined) throw bad(`${key}: a time relative to a missing ${anchorKey}`);
          row[key] = anchor + int(v, key);
          break;
        case 'steps': {
          if (v === 0) {
            row[key] = [];
            break;
          }
          if (!Array.isArray(v) || anchor === undefined) throw bad(`${key}: ${JSON.stringify(v)} is not a history`);
          row[key] = v.map((step) => {
            if (!Array.isArray(step) || step.length !== 5) throw bad(`${key}: step ${JSON.stringify(step)}`);
            const [to, dt, actor, action, reason] = step;
            return {
              to: at(s, to!, key),
              at: anchor + int(dt!, key),
              actor: obj(actor!, key),
              ...(action !== null && { action: at(s, action!, key) }),
              ...(reason !== null && { reason: at(s, reason!, key) }),
            };
          });
          break;
        }
      }
    }
    const extra = x[r];
    if (extra !== undefined) {
      if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw bad(`extras of row ${r}`);
      for (const [k, v] of Object.entries(extra)) {
        if (k === '__proto__') throw bad(`extras of row ${r}: key __proto__`);
        row[k] = v;
      }
    }
    rows[r] = row;
  }
  for (const k of Object.keys(x))
    if (!/^(0|[1-9]\d*)$/.test(k) || Number(k) >= n) throw bad(`extras for row ${k} of ${n}`);
  return rows;
}

/**
 * The cases and tasks back from their columns, in their order, exactly as encoded. Checks the shape (every column
 * as long as the table, indexes within their tables, integers where integers go) and throws `FinishedColumnsError`
 * with what is wrong; the rows' fields are not validated here (`CaseBrief`, `Task` do that where input is checked).
 */
export function decodeFinishedColumns(cols: FinishedColumns): { cases: CaseBrief[]; tasks: Task[] } {
  if (typeof cols !== 'object' || cols === null) throw new FinishedColumnsError('finished columns: not an object');
  if (cols.v !== FINISHED_COLUMNS_VERSION)
    throw new FinishedColumnsError(`finished columns version ${String(cols.v)}, expected ${FINISHED_COLUMNS_VERSION}`);
  if (!Array.isArray(cols.s) || !cols.s.every((x) => typeof x === 'string'))
    throw new FinishedColumnsError('finished columns: the string table is not a list of strings');
  if (!Array.isArray(cols.o) || !cols.o.every(isFlat))
    throw new FinishedColumnsError('finished columns: the object table is not a list of flat objects');
  const raws: string[] = [];
  return {
    cases: decodeTable('cases', cols.cases, CASE_FIELDS, CASE_ANCHOR, cols.s, cols.o, raws) as CaseBrief[],
    tasks: decodeTable('tasks', cols.tasks, TASK_FIELDS, TASK_ANCHOR, cols.s, cols.o, raws) as unknown as Task[],
  };
}

/**
 * `GET /api/replay/state?t=&part=finished` as sent: the state's seq and time, and its finished cases and tasks as
 * columns. `decodeReplayFinished` gives the screen's `ReplayFinished`.
 */
export interface ReplayFinishedColumns {
  t: number;
  world: { seq: number; at: number };
  columns: FinishedColumns;
}

export function encodeReplayFinished(f: ReplayFinished): ReplayFinishedColumns {
  return {
    t: f.t,
    world: { seq: f.world.seq, at: f.world.at },
    columns: encodeFinishedColumns(f.world.cases, f.world.tasks),
  };
}

export function decodeReplayFinished(wire: ReplayFinishedColumns): ReplayFinished {
  const { t, world } = wire;
  if (
    typeof t !== 'number' ||
    typeof world !== 'object' ||
    world === null ||
    !isInt(world.seq) ||
    typeof world.at !== 'number'
  )
    throw new FinishedColumnsError('finished part: t, world.seq and world.at expected');
  return { t, world: { seq: world.seq, at: world.at, ...decodeFinishedColumns(wire.columns) } };
}

/**
 * The columns' layout, for an encoder that must give the same bytes as `encodeFinishedColumns` (the hub's, which
 * keeps immutable rows compiled: server/src/replay/finished-json.ts): each table's fields in wire order and its
 * anchor, and the keys a history step may hold.
 */
export const FINISHED_COLUMNS_LAYOUT = {
  cases: { fields: CASE_FIELDS, anchor: CASE_ANCHOR },
  tasks: { fields: TASK_FIELDS, anchor: TASK_ANCHOR },
  stepKeys: STEP_KEYS as ReadonlySet<string>,
} as const;
