import {
  emptyWorld,
  fromSnapshot,
  toSnapshot,
  type Case,
  type KpiAccumulator,
  type Task,
  type WorldSnapshot,
  type WorldState,
} from '@egret/protocol';
import { createKpiAccumulator } from '@egret/protocol';
import { EntityJson } from '../log/snapshot-json.ts';
import { kpiFromJson, kpiToJson, type KpiAccumulatorJson } from './kpi-codec.ts';

/** A starting point for seeks: the world and the KPI fold at one log seq. */
export interface ReplaySnapshot {
  world: WorldSnapshot;
  kpi: KpiAccumulatorJson;
}

/**
 * The snapshot of a world and its KPI fold; with `cold` (ids `c:<id>`, `t:<id>` split off into cold deltas, see
 * cold.ts), only the hot part.
 */
export function takeReplaySnapshot(world: WorldState, kpi: KpiAccumulator, cold?: ReadonlySet<string>): ReplaySnapshot {
  const s = toSnapshot(world);
  if (!cold) return { world: s, kpi: kpiToJson(kpi) };
  return {
    world: {
      ...s,
      cases: s.cases.filter((c) => !cold.has(`c:${c.id}`)),
      tasks: s.tasks.filter((t) => !cold.has(`t:${t.id}`)),
    },
    kpi: kpiToJson(kpi, (id) => cold.has(`c:${id}`)),
  };
}

/** The empty history: what a seek starts from when the log starts at seq 1 (`timeZone`: the city's, for the KPI days). */
export function emptyReplaySnapshot(timeZone?: string): ReplaySnapshot {
  return takeReplaySnapshot(emptyWorld(), createKpiAccumulator(timeZone !== undefined ? { timeZone } : {}));
}

/**
 * A fresh, mutable world and KPI fold from a snapshot. The snapshot itself stays untouched (entities are treated
 * as immutable values by the reducer, and the KPI records are copied), so one decoded snapshot serves many seeks.
 */
export function restoreReplaySnapshot(s: ReplaySnapshot): { world: WorldState; kpi: KpiAccumulator } {
  return { world: fromSnapshot(s.world), kpi: kpiFromJson(s.kpi) };
}

/**
 * A snapshot as stored: one JSON line with everything but the cases and tasks (units, clock, mode, the KPI fold),
 * then one line per case (`c TAB id TAB json`) and per task (`t …`). A seek parses the first line and splits the
 * rest; the cases and tasks no event touches are sent on as the text they are stored as. The history writer passes
 * its `entityJson`, so that the entities unchanged since its last snapshot are not stringified again.
 */
export function encodeSnapshotText(s: ReplaySnapshot, entityJson = new EntityJson()): string {
  const { cases, tasks, ...world } = s.world;
  const lines = [`{"world":${entityJson.object(world)},"kpi":${JSON.stringify(s.kpi)}}`];
  for (const c of cases) lines.push(`c\t${c.id}\t${entityJson.of(c)}`);
  for (const t of tasks) lines.push(`t\t${t.id}\t${entityJson.of(t)}`);
  return lines.join('\n');
}

/** A snapshot with its cases and tasks left as text (or objects, when it came from a file already parsed). */
export interface LazySnapshot {
  world: Omit<WorldSnapshot, 'cases' | 'tasks'>;
  kpi: KpiAccumulatorJson;
  cases: Map<string, string | Case>;
  tasks: Map<string, string | Task>;
  /**
   * The same cases and tasks as the UTF-8 bytes they were stored as (views into the decompressed snapshot), in the
   * same order, when the snapshot was read from bytes (`decodeSnapshotBytes`): the open part of a seek is joined
   * from them without decoding the text and encoding it again. `cases` and `tasks` are then decoded on first use.
   */
  rowBytes?: { cases: Map<string, Buffer>; tasks: Map<string, Buffer> };
}

export function decodeSnapshotText(text: string): LazySnapshot {
  const nl = text.indexOf('\n');
  const head = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as Pick<LazySnapshot, 'world' | 'kpi'>;
  const out: LazySnapshot = { world: head.world, kpi: head.kpi, cases: new Map(), tasks: new Map() };
  let start = nl < 0 ? text.length : nl + 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab1 = start + 1;
    const tab2 = text.indexOf('\t', tab1 + 1);
    const id = text.slice(tab1 + 1, tab2);
    (text[start] === 'c' ? out.cases : out.tasks).set(id, text.slice(tab2 + 1, end));
    start = end + 1;
  }
  return out;
}

/**
 * `decodeSnapshotText` of the stored UTF-8 bytes, without decoding them: the head is parsed, each case and task kept
 * as a view of its bytes (`rowBytes`), split where the text's '\n' and '\t' are (ASCII: never inside a multi-byte
 * character, so the rows and ids are the text's). `cases` and `tasks` as text are decoded on first use, once:
 * a seek's open part needs only the bytes (issue #19: at the typhoon's landfall the 12 MB snapshot's decoding and
 * its rows' encoding again were ~70 ms of the open part's ~240).
 */
export function decodeSnapshotBytes(bytes: Buffer): LazySnapshot {
  const nl = bytes.indexOf(10);
  const head = JSON.parse(bytes.toString('utf8', 0, nl < 0 ? bytes.length : nl)) as Pick<LazySnapshot, 'world' | 'kpi'>;
  const rowBytes = { cases: new Map<string, Buffer>(), tasks: new Map<string, Buffer>() };
  let start = nl < 0 ? bytes.length : nl + 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const tab1 = start + 1;
    const tab2 = bytes.indexOf(9, tab1 + 1);
    const id = bytes.toString('utf8', tab1 + 1, tab2);
    (bytes[start] === 0x63 ? rowBytes.cases : rowBytes.tasks).set(id, bytes.subarray(tab2 + 1, end));
    start = end + 1;
  }
  let text: LazySnapshot | undefined;
  const decoded = () => (text ??= decodeSnapshotText(bytes.toString('utf8')));
  return {
    world: head.world,
    kpi: head.kpi,
    get cases() {
      return decoded().cases;
    },
    get tasks() {
      return decoded().tasks;
    },
    rowBytes,
  };
}

export function lazyFromSnapshot(s: ReplaySnapshot): LazySnapshot {
  const { cases, tasks, ...world } = s.world;
  return {
    world,
    kpi: s.kpi,
    cases: new Map(cases.map((c) => [c.id, c])),
    tasks: new Map(tasks.map((t) => [t.id, t])),
  };
}

export function fullSnapshot(l: LazySnapshot): ReplaySnapshot {
  const obj = <T>(v: string | T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return {
    world: { ...l.world, cases: [...l.cases.values()].map(obj<Case>), tasks: [...l.tasks.values()].map(obj<Task>) },
    kpi: l.kpi,
  };
}
