import {
  caseBrief,
  caseFinishedAt,
  isCaseOpen,
  isTaskFinished,
  type Case,
  type KpiAccumulator,
  type KpiCaseRecord,
  type Task,
  type WorldState,
} from '@egret/protocol';

/**
 * Hot and cold. A city after three days of typhoon holds tens of thousands of closed cases and finished tasks; they
 * never change again, yet every snapshot of the whole world would carry them, and every seek would decode them.
 * So a replay snapshot holds only the *hot* part — units, open cases, active tasks, and the KPI fold without the
 * finished cases' records — and every entity that became final since the previous snapshot is written once, as a
 * *cold delta* keyed by that snapshot's seq. The world at a snapshot is its hot part plus every cold delta up to it
 * (a later one, or the hot part, wins for an id written twice). Cold entities are kept as their JSON text: a seek
 * answers them without parsing them.
 */
export const isColdCase = (c: Case) => !isCaseOpen(c);
export const isColdTask = (t: Task) => isTaskFinished(t);

/** Merged cold entities: id → JSON text. */
export interface ColdView {
  cases: Map<string, string>;
  tasks: Map<string, string>;
  kpi: Map<string, string>;
}

export const emptyColdView = (): ColdView => ({ cases: new Map(), tasks: new Map(), kpi: new Map() });

/**
 * Splits off what became final since the last snapshot: returns the cold delta's text (empty when nothing did) and
 * marks those ids in `cold` (`c:<id>`, `t:<id>`). The caller drops an id from `cold` when an event touches it again.
 */
export function takeColdDelta(world: WorldState, kpi: KpiAccumulator, cold: Set<string>): string {
  const lines: string[] = [];
  for (const c of world.cases.values()) {
    if (!isColdCase(c) || cold.has(`c:${c.id}`)) continue;
    cold.add(`c:${c.id}`);
    lines.push(`c\t${c.id}\t${JSON.stringify(c)}`);
    const r = kpi.cases.get(c.id);
    if (r) lines.push(`k\t${c.id}\t${JSON.stringify(r)}`);
  }
  for (const t of world.tasks.values()) {
    if (!isColdTask(t) || cold.has(`t:${t.id}`)) continue;
    cold.add(`t:${t.id}`);
    lines.push(`t\t${t.id}\t${JSON.stringify(t)}`);
  }
  return lines.join('\n');
}

/** Adds a cold delta's lines to a view (a later delta overrides an earlier one). */
export function mergeColdDelta(view: ColdView, text: string): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab1 = text.indexOf('\t', start);
    const tab2 = text.indexOf('\t', tab1 + 1);
    if (tab1 > start && tab2 > tab1 && tab2 < end) {
      const kind = text.slice(start, tab1);
      const id = text.slice(tab1 + 1, tab2);
      const json = text.slice(tab2 + 1, end);
      if (kind === 'c') view.cases.set(id, json);
      else if (kind === 't') view.tasks.set(id, json);
      else if (kind === 'k') view.kpi.set(id, json);
    }
    start = end + 1;
  }
}

/** A cold case's KPI record, for the rare event that touches a final case again. */
export function coldKpiRecord(view: ColdView, id: string): KpiCaseRecord | undefined {
  const text = view.kpi.get(id);
  return text === undefined ? undefined : (JSON.parse(text) as KpiCaseRecord);
}

type Kind = 'cases' | 'tasks' | 'kpi';

/**
 * One kind of entity of one delta: their JSON texts back to back, comma-separated, ready to be sent; with, for the
 * screen rule (protocol screen-view.ts), when each entity finished (`since`: a case's close, a task's last update)
 * and what it points at (`link`: a case's task, a task's case).
 */
interface DeltaPart {
  buf: Buffer;
  ids: string[];
  starts: number[];
  ends: number[];
  /** Cases only: their briefs (protocol case-brief.ts) back to back, made once when the delta is read. */
  brief?: { buf: Buffer; starts: number[]; ends: number[] };
  since: Float64Array;
  links: Array<string | undefined>;
  /** Bounds of `since`: a part wholly before or after a screen's horizon is kept or dropped without a look inside. */
  minSince: number;
  maxSince: number;
}

/**
 * Parsed rows of the finished part kept per reader (`ColdIndex.rows`): the 72-hour typhoon's deltas hold ~82,000
 * (42,305 cases, ~40,000 tasks); a brief or a task parsed takes ~300 bytes of heap, so the bound is ~45 MB.
 */
export const FINISHED_ROWS_KEPT = 150_000;

/** What a screen keeps of the finished entities (protocol screen-view.ts): those that finished at or after `before`,
 * and of older ones those `old` still wants (a finished task its kept case points at). */
export interface ScreenHorizon {
  before: number;
  old?: (id: string, link: string | undefined) => boolean;
}

interface Delta {
  seq: number;
  parts: Record<Kind, DeltaPart>;
}

const COMMA = Buffer.from(',');

/**
 * When a cold entity finished and what it points at, and a case's brief: parsed once, when its delta is read
 * (deltas never change).
 */
function finish(kind: Kind, json: string): { since: number; link?: string; brief?: string } {
  if (kind === 'cases') {
    const c = JSON.parse(json) as Case;
    return { since: caseFinishedAt(c), link: c.taskId, brief: JSON.stringify(caseBrief(c)) };
  }
  if (kind === 'tasks') {
    const t = JSON.parse(json) as Task;
    return { since: t.updatedAt, link: t.caseId };
  }
  return { since: Number.POSITIVE_INFINITY }; // KPI records are never sent to screens
}

function part(kind: Kind, rows: Array<[string, string]>): DeltaPart {
  const ids: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const since = new Float64Array(rows.length);
  const links: Array<string | undefined> = [];
  const briefs: string[] = [];
  const brief = { starts: [] as number[], ends: [] as number[] };
  let o = 0;
  let b = 0;
  let minSince = Number.POSITIVE_INFINITY;
  let maxSince = Number.NEGATIVE_INFINITY;
  for (const [id, json] of rows) {
    if (ids.length) o += 1; // the comma
    const f = finish(kind, json);
    since[ids.length] = f.since;
    links.push(f.link);
    minSince = Math.min(minSince, f.since);
    maxSince = Math.max(maxSince, f.since);
    ids.push(id);
    starts.push(o);
    o += Buffer.byteLength(json);
    ends.push(o);
    if (f.brief !== undefined) {
      if (briefs.length) b += 1;
      briefs.push(f.brief);
      brief.starts.push(b);
      b += Buffer.byteLength(f.brief);
      brief.ends.push(b);
    }
  }
  return {
    buf: Buffer.from(rows.map((r) => r[1]).join(',')),
    ids,
    starts,
    ends,
    ...(kind === 'cases' && { brief: { buf: Buffer.from(briefs.join(',')), ...brief } }),
    since,
    links,
    minSince,
    maxSince,
  };
}

/**
 * Every cold delta read so far, kept as the UTF-8 bytes they will be sent as, and indexed by entity: id → its cold
 * versions (almost always one). The cold entities under any snapshot S are then the deltas up to S, sent as they
 * are — except for the rare ids written twice, or hot again at S, which are left out of the older deltas. Deltas
 * must be added in seq order (they are read from the stream in order).
 */
export class ColdIndex {
  private readonly deltas: Delta[] = [];
  private readonly versions: Record<Kind, Map<string, Array<{ d: number; i: number }>>> = {
    cases: new Map(),
    tasks: new Map(),
    kpi: new Map(),
  };
  /** Ids with more than one cold version. */
  private readonly multi: Record<Kind, Set<string>> = { cases: new Set(), tasks: new Set(), kpi: new Set() };
  /** Highest delta seq added. */
  top = 0;
  /** Parsed rows by delta and kind (`rows`), least recently used first. */
  private readonly parsed = new Map<string, unknown[]>();
  private parsedCount = 0;

  /** `maxRows`: parsed rows kept for the finished part (`rows`); 0 keeps none. */
  constructor(readonly maxRows = FINISHED_ROWS_KEPT) {}

  add(seq: number, text: string): void {
    if (seq <= this.top) return;
    this.top = seq;
    const view = emptyColdView();
    mergeColdDelta(view, text);
    const d = this.deltas.length;
    const delta: Delta = {
      seq,
      parts: {
        cases: part('cases', [...view.cases]),
        tasks: part('tasks', [...view.tasks]),
        kpi: part('kpi', [...view.kpi]),
      },
    };
    this.deltas.push(delta);
    for (const kind of ['cases', 'tasks', 'kpi'] as const) {
      delta.parts[kind].ids.forEach((id, i) => {
        const list = this.versions[kind].get(id);
        if (list) {
          list.push({ d, i });
          this.multi[kind].add(id);
        } else this.versions[kind].set(id, [{ d, i }]);
      });
    }
  }

  private text(kind: Kind, v: { d: number; i: number }): string {
    const p = this.deltas[v.d]!.parts[kind];
    return p.buf.toString('utf8', p.starts[v.i], p.ends[v.i]);
  }

  /** The JSON of an entity as cold under snapshot S, if it is. */
  at(kind: Kind, id: string, seq: number): string | undefined {
    const list = this.versions[kind].get(id);
    if (!list) return undefined;
    for (let k = list.length - 1; k >= 0; k--)
      if (this.deltas[list[k]!.d]!.seq <= seq) return this.text(kind, list[k]!);
    return undefined;
  }

  /** When an entity cold under snapshot S finished and what it points at (see DeltaPart), if it is cold there. */
  finishAt(kind: 'cases' | 'tasks', id: string, seq: number): { since: number; link: string | undefined } | undefined {
    const list = this.versions[kind].get(id);
    if (!list) return undefined;
    for (let k = list.length - 1; k >= 0; k--) {
      const v = list[k]!;
      const p = this.deltas[v.d]!;
      if (p.seq <= seq) return { since: p.parts[kind].since[v.i]!, link: p.parts[kind].links[v.i] };
    }
    return undefined;
  }

  /** Calls `visit` with the JSON of every entity of a kind that is cold under snapshot S (parses nothing). */
  each(kind: 'cases' | 'tasks', seq: number, visit: (id: string, json: string) => void): void {
    for (const [id, list] of this.versions[kind]) {
      if (this.deltas[list[0]!.d]!.seq > seq) continue;
      visit(id, this.at(kind, id, seq)!);
    }
  }

  /**
   * The JSON of every entity of a kind cold under snapshot S that points at `link` (a case's tasks), in the order
   * `each` visits them. Parses nothing: the links were read with the deltas.
   */
  linkedTo(kind: 'cases' | 'tasks', link: string, seq: number): Array<{ id: string; json: string }> {
    const out: Array<{ id: string; json: string }> = [];
    for (const [id, list] of this.versions[kind]) {
      for (let k = list.length - 1; k >= 0; k--) {
        const v = list[k]!;
        const p = this.deltas[v.d]!;
        if (p.seq > seq) continue;
        if (p.parts[kind].links[v.i] === link) out.push({ id, json: this.text(kind, v) });
        break;
      }
    }
    return out;
  }

  /**
   * Which cold entities of a kind under snapshot S a screen gets (`chunks`, `rows`): per delta, all of it (`true`) or
   * the indexes kept — leaving out the ids `hot` holds (an entity touched again after it became final) and older
   * versions of ids written twice; with a horizon, only what a screen keeps.
   */
  private select(
    kind: 'cases' | 'tasks',
    seq: number,
    hot: Iterable<string>,
    horizon: ScreenHorizon | undefined,
    visit: (d: number, p: DeltaPart, keep: true | number[]) => void,
  ): void {
    const skip = new Map<number, Set<number>>();
    const drop = (v: { d: number; i: number }) => {
      let set = skip.get(v.d);
      if (!set) skip.set(v.d, (set = new Set()));
      set.add(v.i);
    };
    const upTo = (list: Array<{ d: number; i: number }>) => list.filter((v) => this.deltas[v.d]!.seq <= seq);
    for (const id of hot) for (const v of upTo(this.versions[kind].get(id) ?? [])) drop(v);
    for (const id of this.multi[kind]) {
      const list = upTo(this.versions[kind].get(id)!);
      for (const v of list.slice(0, -1)) drop(v);
    }
    this.deltas.forEach((delta, d) => {
      if (delta.seq > seq) return;
      const p = delta.parts[kind];
      if (!p.ids.length) return;
      if (horizon && !horizon.old && p.maxSince < horizon.before) return;
      const left = skip.get(d);
      const recent = !horizon || p.minSince >= horizon.before;
      if (!left && recent) {
        visit(d, p, true);
        return;
      }
      const keep: number[] = [];
      p.ids.forEach((id, i) => {
        if (left?.has(i)) return;
        if (!recent && p.since[i]! < horizon!.before && !horizon!.old?.(id, p.links[i])) return;
        keep.push(i);
      });
      if (keep.length) visit(d, p, keep);
    });
  }

  /**
   * The cold entities of a kind under snapshot S as comma-separated JSON chunks, leaving out the ids `hot` holds
   * (an entity touched again after it became final) and older versions of ids written twice; with a horizon, only
   * what a screen keeps; `brief`: cases as their briefs (`caseBrief`).
   */
  chunks(
    kind: 'cases' | 'tasks',
    seq: number,
    hot: Iterable<string>,
    horizon?: ScreenHorizon,
    brief = false,
  ): Buffer[] {
    const out: Buffer[] = [];
    this.select(kind, seq, hot, horizon, (_d, p, keep) => {
      const text = brief && p.brief ? p.brief : p;
      if (keep === true) {
        out.push(text.buf);
        return;
      }
      const parts: Buffer[] = [];
      for (const i of keep) {
        if (parts.length) parts.push(COMMA);
        parts.push(text.buf.subarray(text.starts[i], text.ends[i]));
      }
      out.push(Buffer.concat(parts));
    });
    return out;
  }

  /**
   * The same entities as `chunks` (cases as their briefs) parsed: what `JSON.parse` of the chunks gives, row for
   * row — each delta's rows parsed once and kept (deltas never change), up to `maxRows` rows over all deltas, the
   * least recently used let go beyond (and parsed again when next wanted). The finished part of a seek lays them out
   * as columns without parsing its tens of thousands of rows again. The rows are shared: never change one.
   */
  rows(kind: 'cases' | 'tasks', seq: number, hot: Iterable<string>, horizon?: ScreenHorizon): unknown[] {
    const out: unknown[] = [];
    this.select(kind, seq, hot, horizon, (d, p, keep) => {
      const rows = this.parsedRows(`${d}:${kind}`, kind === 'cases' && p.brief ? p.brief : p, p.ids.length);
      if (keep === true) for (const r of rows) out.push(r);
      else for (const i of keep) out.push(rows[i]);
    });
    return out;
  }

  /**
   * The deltas' rows to parse ahead of any seek (`warmRows`): the newest deltas' cases and tasks, as many as the bound
   * holds besides what is kept already, oldest first (so the newest are the last let go).
   */
  warmPlan(): Array<{ d: number; kind: 'cases' | 'tasks' }> {
    const plan: Array<{ d: number; kind: 'cases' | 'tasks' }> = [];
    let room = this.maxRows - this.parsedCount;
    for (let d = this.deltas.length - 1; d >= 0; d--) {
      for (const kind of ['tasks', 'cases'] as const) {
        if (this.parsed.has(`${d}:${kind}`)) continue;
        const n = this.deltas[d]!.parts[kind].ids.length;
        if (n > room) return plan.reverse();
        room -= n;
        plan.push({ d, kind });
      }
    }
    return plan.reverse();
  }

  /** Delta `d`'s rows of a kind (cases as their briefs) parsed and kept as `rows` keeps them, ahead of any seek. */
  warmRows(d: number, kind: 'cases' | 'tasks'): unknown[] {
    const p = this.deltas[d]!.parts[kind];
    return this.parsedRows(`${d}:${kind}`, kind === 'cases' && p.brief ? p.brief : p, p.ids.length);
  }

  /** Rows kept parsed now (never more than `maxRows`). */
  get keptRows(): number {
    return this.parsedCount;
  }

  private parsedRows(key: string, text: { buf: Buffer; starts: number[]; ends: number[] }, n: number): unknown[] {
    const hit = this.parsed.get(key);
    if (hit) {
      this.parsed.delete(key); // most recently used last
      this.parsed.set(key, hit);
      return hit;
    }
    const rows: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = JSON.parse(text.buf.toString('utf8', text.starts[i], text.ends[i]));
    if (n > this.maxRows) return rows;
    this.parsed.set(key, rows);
    this.parsedCount += n;
    for (const [k, v] of this.parsed) {
      if (this.parsedCount <= this.maxRows) break;
      this.parsed.delete(k);
      this.parsedCount -= v.length;
    }
    return rows;
  }
}
