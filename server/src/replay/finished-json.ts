import {
  encodeReplayFinished,
  FINISHED_COLUMNS_LAYOUT,
  FINISHED_COLUMNS_VERSION,
  type FinishedColumnField,
  type ReplayFinished,
} from '@egret/protocol';

/**
 * The finished part of a seek (`/api/replay/state?part=finished`) as the JSON text `encodeReplayFinished` gives,
 * byte for byte, at a fraction of its cost (issue #19). Late in the 72-hour typhoon the part holds ~80,000 rows:
 * the protocol's encoder looks at every field of every row on every answer — a type check, a `JSON.stringify` of
 * each category and actor to find it in the object table, a string-keyed map per string — ~150–250 ms of the hub's
 * one thread. Almost all of those rows are cold (cold.ts): immutable once written, shared by every answer, and kept
 * parsed by the cold index. So each row is *compiled* once — its strings and flat objects turned into numbers in one
 * table kept here, its times made relative to its own report time — and an answer only lays the compiled rows out:
 * typed-array lookups where the encoder hashed strings, no per-row `JSON.stringify`.
 *
 * Why keeping them is safe: a compiled row is kept only as long as the row object it was compiled from (a WeakMap),
 * and a row object is never changed once made (the cold index shares its parsed rows: "never change one"; a touched
 * row is parsed anew for each answer). A row the compiled form cannot hold exactly (a field of another type, a key
 * the layout does not name: what the encoder puts in its extras) sends the whole answer through
 * `encodeReplayFinished` itself. The table of strings grows with the ids it meets; past `MAX_SYMBOLS` it is dropped
 * with everything compiled against it and rebuilt as answers come.
 */
export const MAX_SYMBOLS = 1_000_000;

type Layout = { fields: readonly FinishedColumnField[]; anchor: string };

const E6 = 1e6;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const e6 = (v: unknown): number | undefined => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const i = Math.round(v * E6);
  return Number.isSafeInteger(i) && i / E6 === v ? i : undefined;
};
const isFlat = (v: unknown): v is Record<string, string | number | boolean> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string' || typeof x === 'boolean' || Number.isFinite(x));

/**
 * A row compiled: per field of its layout, in order, the tokens its cell is made of (`null`: the field is absent) —
 * raw: the string's symbol and, when it ends with the row's own id, the rest's symbol (else -1); str: a symbol;
 * int, bool (0/1), seq (the anchor itself), rel (minus the anchor): the number; obj: an object's number; pos: lon and
 * lat ×1e6; steps: 0, or five numbers a step (to's symbol, at minus the anchor, actor's object, action's and
 * reason's symbols or -1).
 */
type Compiled = Array<number | null | number[]>;

/** Interned strings and flat objects, shared by every compiled row. */
class Symbols {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  readonly objects: object[] = [];
  private readonly objectIndex = new Map<string, number>();

  /** Each string's JSON text as UTF-8, made when first asked (`raw` cells name the same ids answer after answer). */
  private readonly quotes: Array<Buffer | undefined> = [];

  quoted(k: number): Buffer {
    return (this.quotes[k] ??= Buffer.from(JSON.stringify(this.strings[k]!)));
  }

  str(v: string): number {
    let i = this.index.get(v);
    if (i === undefined) this.index.set(v, (i = this.strings.push(v) - 1));
    return i;
  }

  obj(v: Record<string, string | number | boolean>): number {
    const key = JSON.stringify(v);
    let i = this.objectIndex.get(key);
    if (i === undefined) this.objectIndex.set(key, (i = this.objects.push({ ...v }) - 1));
    return i;
  }
}

/** A row's tokens, or undefined when a cell would not be what the columns hold (the encoder's extras). */
function compile(row: object, layout: Layout, sym: Symbols): Compiled | undefined {
  const rec = row as Record<string, unknown>;
  const anchor = rec[layout.anchor];
  if (!isInt(anchor)) return undefined;
  const id = rec.id;
  const out: Compiled = [];
  let known = 0;
  for (const f of layout.fields) {
    const v = rec[f.key];
    if (v === undefined) {
      out.push(null);
      if (f.kind === 'raw' || f.kind === 'pos') out.push(null);
      continue;
    }
    known++;
    switch (f.kind) {
      case 'raw':
        if (typeof v !== 'string') return undefined;
        out.push(
          sym.str(v),
          f.key !== 'id' && typeof id === 'string' && id !== '' && v.length > id.length && v.endsWith(id)
            ? sym.str(v.slice(0, -id.length))
            : -1,
        );
        break;
      case 'str':
        if (typeof v !== 'string') return undefined;
        out.push(sym.str(v));
        break;
      case 'int':
        if (!isInt(v)) return undefined;
        out.push(v);
        break;
      case 'bool':
        if (typeof v !== 'boolean') return undefined;
        out.push(v ? 1 : 0);
        break;
      case 'obj':
        if (!isFlat(v)) return undefined;
        out.push(sym.obj(v));
        break;
      case 'seq':
        out.push(anchor);
        break;
      case 'rel':
        if (!isInt(v)) return undefined;
        out.push(v - anchor);
        break;
      case 'pos': {
        const lon = Array.isArray(v) && v.length === 2 ? e6(v[0]) : undefined;
        const lat = Array.isArray(v) && v.length === 2 ? e6(v[1]) : undefined;
        if (lon === undefined || lat === undefined) return undefined;
        out.push(lon, lat);
        break;
      }
      case 'steps': {
        if (!Array.isArray(v)) return undefined;
        if (v.length === 0) {
          out.push(0);
          break;
        }
        const steps: number[] = [];
        for (const step of v as unknown[]) {
          if (typeof step !== 'object' || step === null) return undefined;
          const s = step as Record<string, unknown>;
          if (Object.keys(s).some((k) => !FINISHED_COLUMNS_LAYOUT.stepKeys.has(k) || s[k] === undefined))
            return undefined;
          if (typeof s.to !== 'string' || !isInt(s.at) || !isFlat(s.actor)) return undefined;
          if (
            (s.action !== undefined && typeof s.action !== 'string') ||
            (s.reason !== undefined && typeof s.reason !== 'string')
          )
            return undefined;
          steps.push(
            sym.str(s.to),
            s.at - anchor,
            sym.obj(s.actor),
            s.action === undefined ? -1 : sym.str(s.action),
            s.reason === undefined ? -1 : sym.str(s.reason),
          );
        }
        out.push(steps);
        break;
      }
    }
  }
  // A key the layout does not name would go to the extras.
  let keys = 0;
  for (const k in rec) if (rec[k] !== undefined) keys++;
  return keys === known ? out : undefined;
}

/** One answer's tables: the symbols met so far, numbered in the order the encoder meets them. */
class Answer {
  readonly s: string[] = [];
  readonly o: object[] = [];
  private readonly sAt: Int32Array;
  private readonly oAt: Int32Array;
  /** A raw string's first meeting, numbered (the encoder's `raws`), by symbol. */
  private readonly rawAt: Int32Array;
  private raws = 0;

  constructor(private readonly sym: Symbols) {
    this.sAt = new Int32Array(sym.strings.length).fill(-1);
    this.oAt = new Int32Array(sym.objects.length).fill(-1);
    this.rawAt = new Int32Array(sym.strings.length).fill(-1);
  }

  str(k: number): number {
    let i = this.sAt[k]!;
    if (i < 0) this.sAt[k] = i = this.s.push(this.sym.strings[k]!) - 1;
    return i;
  }

  obj(k: number): number {
    let i = this.oAt[k]!;
    if (i < 0) this.oAt[k] = i = this.o.push(this.sym.objects[k]!) - 1;
    return i;
  }

  table(rows: readonly Compiled[], layout: Layout) {
    const fields = layout.fields;
    const nf = fields.length;
    const kinds = fields.map((f) => f.kind);
    const cols: Array<Array<unknown>> = fields.map(() => []);
    const lastRef = new Array<number>(nf).fill(0);
    let lastAnchor = 0;
    let lastLon = 0;
    let lastLat = 0;
    let anchorAt = 0;
    // The anchor's token: its field's place among the tokens (raw and pos take two).
    for (let fi = 0, j = 0; fi < nf; fi++) {
      if (fields[fi]!.key === layout.anchor) anchorAt = j;
      j += kinds[fi] === 'raw' || kinds[fi] === 'pos' ? 2 : 1;
    }
    for (const row of rows) {
      const anchor = row[anchorAt] as number;
      let j = 0;
      for (let fi = 0; fi < nf; fi++) {
        const col = cols[fi]!;
        const kind = kinds[fi]!;
        const v = row[j++]!;
        if (kind === 'raw' || kind === 'pos') {
          const w = row[j++]!;
          if (v === null) {
            if (kind === 'pos') col.push(null, null);
            else col.push(null);
            continue;
          }
          if (kind === 'pos') {
            col.push((v as number) - lastLon, (w as number) - lastLat);
            lastLon = v as number;
            lastLat = w as number;
            continue;
          }
          const k = this.rawAt[v as number]!;
          if (k < 0) {
            this.rawAt[v as number] = this.raws++;
            col.push((w as number) >= 0 ? [this.str(w as number)] : this.sym.strings[v as number]);
          } else {
            col.push(k - lastRef[fi]!);
            lastRef[fi] = k;
          }
          continue;
        }
        if (v === null) {
          col.push(null);
          continue;
        }
        switch (kind) {
          case 'str':
            col.push(this.str(v as number));
            break;
          case 'obj':
            col.push(this.obj(v as number));
            break;
          case 'seq':
            col.push(anchor - lastAnchor);
            lastAnchor = anchor;
            break;
          case 'steps': {
            if (v === 0) {
              col.push(0);
              break;
            }
            const st = v as number[];
            const cell: unknown[] = [];
            for (let i = 0; i < st.length; i += 5)
              cell.push([
                this.str(st[i]!),
                st[i + 1],
                this.obj(st[i + 2]!),
                st[i + 3]! < 0 ? null : this.str(st[i + 3]!),
                st[i + 4]! < 0 ? null : this.str(st[i + 4]!),
              ]);
            col.push(cell);
            break;
          }
          default: // int, bool, rel: as compiled
            col.push(v);
        }
      }
    }
    const out: Record<string, unknown[]> = {};
    fields.forEach((f, fi) => (out[f.key] = cols[fi]!));
    return { n: rows.length, cols: out, x: {} };
  }

  /**
   * `JSON.stringify(table(rows, layout))` as UTF-8 bytes, each column written into its own bytes as the rows are read
   * (the same reading order, so the same numbering of strings, objects and raw ids): no arrays of cells, no
   * stringify of them, no encoding of one large string.
   */
  tableBytes(rows: readonly Compiled[], layout: Layout): Buffer[] {
    const fields = layout.fields;
    const nf = fields.length;
    const kinds = fields.map((f) => f.kind);
    const cols = fields.map(() => new ByteWriter(rows.length * 4));
    const lastRef = new Array<number>(nf).fill(0);
    let lastAnchor = 0;
    let lastLon = 0;
    let lastLat = 0;
    let anchorAt = 0;
    for (let fi = 0, j = 0; fi < nf; fi++) {
      if (fields[fi]!.key === layout.anchor) anchorAt = j;
      j += kinds[fi] === 'raw' || kinds[fi] === 'pos' ? 2 : 1;
    }
    let first = true;
    for (const row of rows) {
      const anchor = row[anchorAt] as number;
      let j = 0;
      for (let fi = 0; fi < nf; fi++) {
        const col = cols[fi]!;
        const kind = kinds[fi]!;
        const v = row[j++]!;
        if (!first) col.byte(COMMA);
        if (kind === 'raw' || kind === 'pos') {
          const w = row[j++]!;
          if (v === null) {
            col.null();
            if (kind === 'pos') {
              col.byte(COMMA);
              col.null();
            }
            continue;
          }
          if (kind === 'pos') {
            col.int((v as number) - lastLon);
            col.byte(COMMA);
            col.int((w as number) - lastLat);
            lastLon = v as number;
            lastLat = w as number;
            continue;
          }
          const k = this.rawAt[v as number]!;
          if (k < 0) {
            this.rawAt[v as number] = this.raws++;
            if ((w as number) >= 0) {
              col.byte(OPEN);
              col.int(this.str(w as number));
              col.byte(CLOSE);
            } else col.bytes(this.sym.quoted(v as number));
          } else {
            col.int(k - lastRef[fi]!);
            lastRef[fi] = k;
          }
          continue;
        }
        if (v === null) {
          col.null();
          continue;
        }
        switch (kind) {
          case 'str':
            col.int(this.str(v as number));
            break;
          case 'obj':
            col.int(this.obj(v as number));
            break;
          case 'seq':
            col.int(anchor - lastAnchor);
            lastAnchor = anchor;
            break;
          case 'steps': {
            if (v === 0) {
              col.byte(ZERO);
              break;
            }
            const st = v as number[];
            col.byte(OPEN);
            for (let i = 0; i < st.length; i += 5) {
              if (i) col.byte(COMMA);
              col.byte(OPEN);
              col.int(this.str(st[i]!));
              col.byte(COMMA);
              col.int(st[i + 1]!);
              col.byte(COMMA);
              col.int(this.obj(st[i + 2]!));
              col.byte(COMMA);
              if (st[i + 3]! < 0) col.null();
              else col.int(this.str(st[i + 3]!));
              col.byte(COMMA);
              if (st[i + 4]! < 0) col.null();
              else col.int(this.str(st[i + 4]!));
              col.byte(CLOSE);
            }
            col.byte(CLOSE);
            break;
          }
          default: // int, bool, rel: as compiled
            col.int(v as number);
        }
      }
      first = false;
    }
    const out: Buffer[] = [Buffer.from(`{"n":${rows.length},"cols":{`)];
    fields.forEach((f, fi) => {
      out.push(Buffer.from(`${fi ? ',' : ''}${JSON.stringify(f.key)}:[`), cols[fi]!.bytes_(), Buffer.from(']'));
    });
    out.push(Buffer.from('},"x":{}}'));
    return out;
  }
}

const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const ZERO = 0x30;
const MINUS = 0x2d;
const NULL = Buffer.from('null');

/** JSON text written as bytes into a buffer that grows: integers in decimal, as `JSON.stringify` writes them. */
class ByteWriter {
  private buf: Buffer;
  private len = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, size));
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  null(): void {
    this.bytes(NULL);
  }

  /** A safe integer (every cell here is one), as `JSON.stringify` gives it: -0 as 0. */
  int(v: number): void {
    if (v < 0 && v > -2_147_483_648) {
      this.byte(MINUS);
      v = -v;
    } else if (v < 0 || v >= 2_147_483_648) {
      this.bytes(Buffer.from(JSON.stringify(v)));
      return;
    }
    this.room(10);
    if (v < 10) {
      this.buf[this.len++] = ZERO + v;
      return;
    }
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.len + digits;
    this.len = at;
    for (let x = v; ;) {
      const q = Math.floor(x / 10);
      this.buf[--at] = ZERO + (x - q * 10);
      if (q === 0) break;
      x = q;
    }
  }

  /** What was written (a view, not a copy). */
  bytes_(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * Encodes finished parts, keeping every row it compiles for as long as the row object lives (see above). One per
 * reader: its rows are the cold index's, shared across answers.
 */
export class FinishedJson {
  private sym = new Symbols();
  private compiled = new WeakMap<object, Compiled | null>();
  /** Answers sent through `encodeReplayFinished` because a row did not fit the compiled form (for tests, metrics). */
  fallbacks = 0;
  /** Times the symbol table was dropped for growing past its bound. */
  resets = 0;

  /**
   * `text` (the default): each column written straight into its own bytes as the rows are read, the string table
   * encoded apart (`Answer.tableBytes`) — not built as arrays of cells for one `JSON.stringify` of the whole part and
   * one encoding of its ~6 MB two-byte text (late in the 72-h typhoon ~224 → ~69 ms an answer: docs/performance.md).
   * false: as before (the bench's baseline). The same bytes either way.
   */
  constructor(
    private readonly maxSymbols = MAX_SYMBOLS,
    private readonly text = true,
  ) {}

  /** `JSON.stringify(encodeReplayFinished(f))`, as UTF-8 bytes. */
  encode(f: ReplayFinished): Buffer {
    if (this.sym.strings.length > this.maxSymbols) {
      this.sym = new Symbols();
      this.compiled = new WeakMap();
      this.resets++;
    }
    const cases = this.rows(f.world.cases, FINISHED_COLUMNS_LAYOUT.cases);
    const tasks = cases && this.rows(f.world.tasks, FINISHED_COLUMNS_LAYOUT.tasks);
    if (!cases || !tasks) {
      this.fallbacks++;
      return Buffer.from(JSON.stringify(encodeReplayFinished(f)));
    }
    const answer = new Answer(this.sym);
    if (this.text) {
      const c = answer.tableBytes(cases, FINISHED_COLUMNS_LAYOUT.cases);
      const t = answer.tableBytes(tasks, FINISHED_COLUMNS_LAYOUT.tasks);
      // The string table apart: its addresses make it a two-byte string, slow to encode as one with the rest.
      return Buffer.concat([
        Buffer.from(
          `{"t":${JSON.stringify(f.t)},"world":{"seq":${JSON.stringify(f.world.seq)},"at":` +
            `${JSON.stringify(f.world.at)}},"columns":{"v":${FINISHED_COLUMNS_VERSION},"s":`,
        ),
        Buffer.from(JSON.stringify(answer.s)),
        Buffer.from(`,"o":${JSON.stringify(answer.o)},"cases":`),
        ...c,
        Buffer.from(',"tasks":'),
        ...t,
        Buffer.from('}}'),
      ]);
    }
    const c = answer.table(cases, FINISHED_COLUMNS_LAYOUT.cases);
    const t = answer.table(tasks, FINISHED_COLUMNS_LAYOUT.tasks);
    return Buffer.from(
      JSON.stringify({
        t: f.t,
        world: { seq: f.world.seq, at: f.world.at },
        columns: { v: FINISHED_COLUMNS_VERSION, s: answer.s, o: answer.o, cases: c, tasks: t },
      }),
    );
  }

  /** Compiles rows ahead of any answer (a hub warming its kept cold rows). */
  warm(rows: readonly object[], kind: 'cases' | 'tasks'): void {
    this.rows(rows, FINISHED_COLUMNS_LAYOUT[kind]);
  }

  private rows(rows: readonly object[], layout: Layout): Compiled[] | undefined {
    const out: Compiled[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      let c = this.compiled.get(row);
      if (c === undefined) {
        c = compile(row, layout, this.sym) ?? null;
        this.compiled.set(row, c);
      }
      if (c === null) return undefined;
      out[i] = c;
    }
    return out;
  }
}
