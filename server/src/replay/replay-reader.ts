import {
  applyEvent,
  applyKpiEvent,
  caseBrief,
  caseFinishedBefore,
  encodeFrame,
  encodeReplayFinished,
  kpiFigures,
  SCREEN_KEEPS_FINISHED_MS,
  taskFinishedBefore,
  withinReplayTime,
  type Case,
  type CaseBrief,
  type KpiAccumulator,
  type KpiCaseRecord,
  type KpiReport,
  type LogEvent,
  type Task,
  type ReplayHistogram,
  type ReplayPeriod,
  type ReplayCase,
  type ReplayFinished,
  type ReplayRange,
  type ReplayStatePart,
  type SlotFix,
  type WorldState,
} from '@egret/protocol';
import { ColdIndex, isColdCase, isColdTask, type ScreenHorizon } from './cold.ts';
import { readEventBytes, readEventTexts, type EventBytes, type EventText } from './event-pages.ts';
import type { HistoryPart } from './history-part.ts';
import { minuteOf, positionsAt, type PositionSample, type PositionSegment } from './position-segment.ts';
import { RedisHistory, type PeriodStart, type SnapshotRef } from './redis-history.ts';
import { FinishedJson } from './finished-json.ts';
import { kpiFromJson } from './kpi-codec.ts';
import { emptyReplaySnapshot, lazyFromSnapshot, type LazySnapshot } from './replay-snapshot.ts';
import { KeptSegments, SEGMENTS_KEPT_BYTES } from './kept-segments.ts';

/** Log events read per page while folding forward from a snapshot. */
const PAGE = 1_000;
/** How far back a seek looks for a position segment when its own minute has none (the hub was down, say). */
export const POSITION_LOOKBACK_MINUTES = 15;

/** Asked for a time before the oldest history still kept (in Redis or on disk). */
export class BeforeHistoryError extends Error {}

export interface ReplayReaderDeps {
  /** Where history is kept, most recent first: Redis, then the archive on disk. */
  parts: HistoryPart[];
  /** Scenario runs as recorded (they are few and never trimmed). */
  periods: () => Promise<PeriodStart[]>;
  /** The live mirror's seq and running world time: the end of history. */
  live: () => { seq: number; at: number };
  /** Whether any history lies in the archive (reported by the range). */
  archived?: () => Promise<boolean>;
  /** Decoded snapshots kept in memory (hot parts: units, open cases, active tasks). */
  cacheSize?: number;
  /** Time spent in each phase of a seek (for benchmarks and metrics). */
  onPhase?: (phase: 'snapshot' | 'fold' | 'json', ms: number) => void;
  /** Cold deltas (cold.ts) with seq in [from, to], oldest first; none when absent. */
  cold?: (fromSeq: number, toSeq: number) => Promise<Array<{ seq: number; text: string }>>;
  /** IANA time zone of the KPI days, for a seek from the start of the log (the city's; default Asia/Shanghai). */
  timeZone?: string;
  /**
   * Cold rows kept parsed for the finished part (`ColdIndex.rows`; default `FINISHED_ROWS_KEPT`); 0: none, the
   * part's text is built and parsed whole per answer, as before.
   */
  finishedRowsKept?: number;
  /**
   * Lay the finished part out from rows compiled once (finished-json.ts; default true); false: through the
   * protocol's `encodeReplayFinished` per answer, as before (the same bytes; the bench's baseline).
   */
  compiledFinished?: boolean;
  /**
   * The compiled finished part's columns written straight into bytes (finished-json.ts `FinishedJson`; default
   * true); false: built as arrays for one `JSON.stringify`, as before (the same bytes; the bench's baseline).
   */
  finishedAsText?: boolean;
  /**
   * Join the open part's stored cases and tasks from their stored bytes (`LazySnapshot.rowBytes`; default true);
   * false: from the snapshot's text, encoded again per answer, as before (the same bytes; the bench's baseline).
   */
  openFromBytes?: boolean;
  /**
   * Bytes of decoded position segments kept (`SEGMENTS_KEPT_BYTES`; 0: none, each read and decoded per answer as
   * before). A minute's segment never changes once written: a seek near an earlier one (the arrow keys, the time bar
   * dragged, playback) reads only the minutes its tracks' window adds.
   */
  segmentsKeptBytes?: number;
  /** Parse a page of the log only as far as a fold goes (default true); false: each page whole, as before (the bench's baseline). */
  lazyFold?: boolean;
}

/** A seek's result: the hot world folded to T, its KPI fold, and the snapshot whose cold entities lie under it. */
interface Seek {
  world: WorldState;
  kpi: KpiAccumulator;
  coldSeq: number;
  /** The snapshot's hot cases and tasks, as stored: those no event touched are sent as they are. */
  snap: LazySnapshot;
}

/** The case a log event concerns, for the KPI fold (task.created names its case). */
function kpiCaseOf(e: LogEvent): string | undefined {
  if (e.type === 'case.reported' || e.type === 'case.transitioned' || e.type === 'case.amended') return e.case.id;
  if (e.type === 'task.created') return e.task.caseId;
  return undefined;
}

/** Where a fold starts: a snapshot (or the empty world at seq 0). */
interface Start {
  ref: SnapshotRef;
  load: () => Promise<LazySnapshot>;
}

/** A snapshot's case or task: the text it was stored as, or its UTF-8 bytes, or parsed (from a file). */
type Stored<T> = string | Buffer | T;

const isText = <T>(v: Stored<T>): v is string | Buffer => typeof v === 'string' || Buffer.isBuffer(v);
const textOf = (v: string | Buffer): string => (typeof v === 'string' ? v : v.toString('utf8'));
const COMMA = Buffer.from(',');

/**
 * The rows of one kind a state part holds besides the cold ones: the entities touched since the snapshot, then the
 * snapshot's own not touched since — as the text or bytes they were stored as, or parsed (touched, or from a file).
 */
function* hotRows<T>(
  touched: Map<string, T>,
  stored: Map<string, Stored<T>>,
  keep: (v: Stored<T>) => boolean,
  inPart: (v: Stored<T>) => boolean,
): Generator<Stored<T>> {
  for (const x of touched.values()) if (keep(x) && inPart(x)) yield x;
  for (const [id, v] of stored) if (!touched.has(id) && keep(v) && inPart(v)) yield v;
}

/** Every id of one kind the hot state names, touched first: where the cold index's versions stop. */
function* hotIds(touched: Map<string, unknown>, stored: Map<string, unknown>): Generator<string> {
  yield* touched.keys();
  yield* stored.keys();
}

/**
 * Reads history to answer replay questions. "The state at T" is the log prefix up to the last seq whose running
 * maximum of event time is ≤ T (protocol replay.ts): found from the nearest snapshot whose `at` is ≤ T, then the
 * events after it through the shared reducer until the next one would pass T.
 */
export class ReplayReader {
  private readonly cache = new Map<string, Promise<LazySnapshot>>();
  /** Every cold delta read so far (they never change). */
  private readonly cold: ColdIndex;
  private coldLoadedTo = 0;
  private readonly cacheSize: number;
  private readonly finishedJson?: FinishedJson;
  /**
   * The last fold `stateJson` made. The wall asks a seek's open part, then its finished part at the same t: the log
   * is folded once for both. Shared only while the log's end has not moved (the live seq): the state at t is then
   * what it was; `stateJson` only reads a fold, never changes it. One entry: another t replaces it.
   */
  private lastFold?: { t: number; liveSeq: number; seek: Promise<Seek> };
  /** Decoded segments kept between answers (`segmentsKeptBytes` bounds them). */
  private readonly keptSegments: KeptSegments;

  constructor(private readonly d: ReplayReaderDeps) {
    this.cacheSize = d.cacheSize ?? 4;
    this.cold = new ColdIndex(d.finishedRowsKept);
    if (d.compiledFinished !== false) this.finishedJson = new FinishedJson(undefined, d.finishedAsText !== false);
    this.keptSegments = new KeptSegments(d.segmentsKeptBytes ?? SEGMENTS_KEPT_BYTES);
  }

  /**
   * The nearest snapshot's hot part folded forward to t, with the cold entities under it. An event that touches a
   * cold case again (rare) brings that case's KPI record back into the fold first, as the live fold had it.
   */
  private async seek(t: number): Promise<Seek> {
    const t0 = performance.now();
    const start = await this.startFor(t);
    const snap = await start.load();
    // The reducer folds into a world holding the units and only what events touch: case and task events carry the
    // whole entity, so nothing else needs parsing (a unit event keeps the unit's position: units are all parsed).
    const world: WorldState = {
      seq: snap.world.seq,
      at: snap.world.at,
      clock: snap.world.clock,
      mode: snap.world.mode,
      units: new Map(snap.world.units.map((u) => [u.id, u])),
      cases: new Map(),
      tasks: new Map(),
      storms: new Map((snap.world.storms ?? []).map((s) => [s.id, s])),
      sensors: new Map((snap.world.sensors ?? []).map((s) => [s.id, s])),
      focus: snap.world.focus ?? null,
      layers: snap.world.layers ?? null,
      cameras: new Map((snap.world.cameras ?? []).map((c) => [c.id, c])),
      videos: snap.world.videos ?? [],
      // Plans' state is small beside the cases (one activation per plan, a round's inspections): kept whole.
      plans: new Map((snap.world.plans ?? []).map((p) => [p.planId, p])),
      inspections: new Map((snap.world.inspections ?? []).map((i) => [i.id, i])),
      prepositions: new Map((snap.world.prepositions ?? []).map((o) => [o.id, o])),
      supervisions: snap.world.supervisions ?? [],
    };
    const kpi = kpiFromJson(snap.kpi);
    const coldSeq = start.ref.seq;
    const cold = await this.coldIndex(coldSeq);
    const t1 = performance.now();
    this.d.onPhase?.('snapshot', t1 - t0);
    await this.walk(world.seq, world.at, t, (e) => {
      const id = kpiCaseOf(e);
      if (id !== undefined && !kpi.cases.has(id)) {
        const r = cold.at('kpi', id, coldSeq);
        if (r !== undefined) kpi.cases.set(id, JSON.parse(r) as KpiCaseRecord);
      }
      applyEvent(world, e);
      applyKpiEvent(kpi, e);
    });
    this.d.onPhase?.('fold', performance.now() - t1);
    return { world, kpi, coldSeq, snap };
  }

  /** `seek(t)` for `stateJson`, shared with the one before it when that was at the same t (see `lastFold`). */
  private sharedSeek(t: number): Promise<Seek> {
    const liveSeq = this.d.live().seq;
    const last = this.lastFold;
    if (last && last.t === t && last.liveSeq === liveSeq) return last.seek;
    const seek = this.seek(t);
    this.lastFold = { t, liveSeq, seek };
    seek.catch(() => {
      if (this.lastFold?.seek === seek) this.lastFold = undefined;
    });
    return seek;
  }

  /** The whole world and KPI fold at world time t, fresh (the caller may mutate them). Parses every cold entity. */
  async stateAt(t: number): Promise<{ world: WorldState; kpi: KpiAccumulator }> {
    const { world, kpi, coldSeq, snap } = await this.seek(t);
    const obj = <T>(v: string | T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
    for (const [id, v] of snap.cases) if (!world.cases.has(id)) world.cases.set(id, obj<Case>(v));
    for (const [id, v] of snap.tasks) if (!world.tasks.has(id)) world.tasks.set(id, obj<Task>(v));
    this.cold.each('cases', coldSeq, (id, json) => {
      if (!world.cases.has(id)) world.cases.set(id, JSON.parse(json) as Case);
    });
    this.cold.each('tasks', coldSeq, (id, json) => {
      if (!world.tasks.has(id)) world.tasks.set(id, JSON.parse(json) as Task);
    });
    return { world, kpi };
  }

  /**
   * One case as it stands at t, with its tasks (`ReplayCase`: a case opened on the replay screen, whose steps its
   * brief leaves out), or undefined when there is no such case at t. The same as `stateAt`'s case and tasks, in the
   * same order, but parses only this case and the hot tasks: a late seek's tens of thousands of cold entities stay text.
   */
  async caseAt(t: number, id: string): Promise<ReplayCase | undefined> {
    const { world, coldSeq, snap } = await this.seek(t);
    const obj = <T>(v: Stored<T>): T => (isText(v) ? (JSON.parse(textOf(v)) as T) : v);
    // The snapshot's rows as stored bytes where it has them: its whole text is not decoded for one case.
    const storedCases: Map<string, Stored<Case>> = snap.rowBytes?.cases ?? snap.cases;
    const storedTasks: Map<string, Stored<Task>> = snap.rowBytes?.tasks ?? snap.tasks;
    const stored = world.cases.get(id) ?? storedCases.get(id) ?? this.cold.at('cases', id, coldSeq);
    if (stored === undefined) return undefined;
    const tasks: Task[] = [];
    for (const x of world.tasks.values()) if (x.caseId === id) tasks.push(x);
    for (const [taskId, v] of storedTasks) {
      if (world.tasks.has(taskId)) continue;
      const x = obj<Task>(v);
      if (x.caseId === id) tasks.push(x);
    }
    for (const cold of this.cold.linkedTo('tasks', id, coldSeq))
      if (!world.tasks.has(cold.id) && !storedTasks.has(cold.id)) tasks.push(JSON.parse(cold.json) as Task);
    return { case: obj<Case>(stored), tasks };
  }

  /** Cold rows kept parsed for the finished part now (`finishedRowsKept` bounds them). */
  get keptFinishedRows(): number {
    return this.cold.keptRows;
  }

  /** The KPI table at t (no world needed: cold entities are not touched). */
  async kpiAt(t: number): Promise<KpiReport> {
    return kpiFigures((await this.seek(t)).kpi, t);
  }

  /**
   * `ReplayState` at t as UTF-8 JSON, for the API: what a live screen held at t — everything open, and what
   * finished within the screens' horizon (protocol screen-view.ts: `screenSnapshot` of the world at t) — so replay
   * shows what the wall showed, and a seek late in a long typhoon does not carry three days of closed cases. The
   * touched entities are stringified, the others sent as the text they were stored as: a city's tens of thousands
   * of closed cases are never parsed to be sent — but for `part=finished`, whose briefs are parsed once more to go
   * out as columns (`ReplayFinishedColumns`).
   */
  async stateJson(t: number, part: ReplayStatePart = 'all'): Promise<Buffer> {
    const { world, kpi, coldSeq, snap } = await this.sharedSeek(t);
    // The snapshot's untouched cases and tasks as their stored bytes where it was read from bytes: copied into the
    // answer as they are (the same bytes as their text encoded again; its `cases`/`tasks` text is then not decoded).
    const bytes = this.d.openFromBytes === false ? undefined : snap.rowBytes;
    const storedCases: Map<string, Stored<Case>> = bytes?.cases ?? snap.cases;
    const storedTasks: Map<string, Stored<Task>> = bytes?.tasks ?? snap.tasks;
    // `open`: what is still in the loop (and everything but the cases and tasks); `finished`: the rest of the cases
    // and tasks — closed or rejected cases, ended tasks — with the cold ones. Together exactly `all` (`isColdCase`,
    // `isColdTask`: the entities a hot snapshot leaves to the cold deltas, so a stored hot one is always open).
    const wanted = <T extends Case | Task>(cold: (x: T) => boolean) =>
      part === 'all' ? () => true : (v: Stored<T>) => (isText(v) ? part === 'open' : cold(v) === (part === 'finished'));
    const t0 = performance.now();
    const before = world.at - SCREEN_KEEPS_FINISHED_MS;
    const obj = <T>(v: Stored<T>): T => (isText(v) ? (JSON.parse(textOf(v)) as T) : v);
    // A hot snapshot holds only open cases and active tasks (a snapshot's final ones went into its cold delta), so
    // the untouched ones stored as text are all kept; a parsed one (from a file) is judged like a touched one.
    const keepCase = (v: Stored<Case>) => isText(v) || !caseFinishedBefore(v, before);
    /** The task a case the screen keeps points at (as a case for `taskFinishedBefore`), or undefined if not kept. */
    const keptCase = (id: string): Pick<Case, 'taskId'> | undefined => {
      const hot = world.cases.get(id) ?? storedCases.get(id);
      if (hot !== undefined) return keepCase(hot) ? obj<Case>(hot) : undefined;
      const cold = this.cold.finishAt('cases', id, coldSeq);
      if (!cold || cold.since < before) return undefined;
      return cold.link === undefined ? {} : { taskId: cold.link };
    };
    const keepTask = (v: Stored<Task>) => isText(v) || !taskFinishedBefore(v, before, keptCase);
    const oldTaskKept = (id: string, caseId: string | undefined) =>
      caseId !== undefined && keptCase(caseId)?.taskId === id;
    const out: Buffer[] = [];
    const text = (x: string) => out.push(Buffer.from(x));
    const list = <T extends Case | Task>(
      kind: 'cases' | 'tasks',
      touched: Map<string, T>,
      stored: Map<string, Stored<T>>,
      keep: (v: Stored<T>) => boolean,
      horizon: ScreenHorizon,
      inPart: (v: Stored<T>) => boolean,
    ) => {
      // The finished part carries cases as their briefs (protocol case-brief.ts): their steps come with /case.
      const brief = part === 'finished' && kind === 'cases';
      const json = (x: T) => JSON.stringify(brief ? caseBrief(x as Case) : x);
      // Rows as text are joined and encoded in runs; rows as stored bytes go in as they are, between commas.
      let rows = 0;
      let run: string[] = [];
      const flush = () => {
        if (run.length) text(`${rows > run.length ? ',' : ''}${run.join(',')}`);
        run = [];
      };
      text('[');
      for (const v of hotRows(touched, stored, keep, inPart)) {
        if (Buffer.isBuffer(v)) {
          flush();
          if (rows > 0) out.push(COMMA);
          out.push(v);
        } else run.push(typeof v === 'string' ? v : json(v));
        rows++;
      }
      flush();
      const chunks = part === 'open' ? [] : this.cold.chunks(kind, coldSeq, hotIds(touched, stored), horizon, brief);
      chunks.forEach((c, i) => {
        if (rows || i > 0) text(',');
        out.push(c);
      });
      text(']');
    };
    if (part === 'finished' && this.cold.maxRows > 0) {
      // The same rows as the text below parsed whole, without parsing it: the touched and hot ones through their
      // JSON (what parsing the text gives), the cold ones as the cold index keeps them parsed.
      const rows = <T extends Case | Task>(
        kind: 'cases' | 'tasks',
        touched: Map<string, T>,
        stored: Map<string, Stored<T>>,
        keep: (v: Stored<T>) => boolean,
        horizon: ScreenHorizon,
        inPart: (v: Stored<T>) => boolean,
      ) => {
        const json = (x: T) => JSON.stringify(kind === 'cases' ? caseBrief(x as Case) : x);
        const out: unknown[] = [];
        for (const v of hotRows(touched, stored, keep, inPart)) out.push(JSON.parse(isText(v) ? textOf(v) : json(v)));
        for (const r of this.cold.rows(kind, coldSeq, hotIds(touched, stored), horizon)) out.push(r);
        return out;
      };
      const finished = {
        t,
        world: {
          seq: world.seq,
          at: world.at,
          cases: rows('cases', world.cases, storedCases, keepCase, { before }, wanted(isColdCase)) as CaseBrief[],
          tasks: rows(
            'tasks',
            world.tasks,
            storedTasks,
            keepTask,
            { before, old: oldTaskKept },
            wanted(isColdTask),
          ) as Task[],
        },
      };
      const json = this.finishedJson
        ? this.finishedJson.encode(finished)
        : Buffer.from(JSON.stringify(encodeReplayFinished(finished)));
      this.d.onPhase?.('json', performance.now() - t0);
      return json;
    }
    if (part === 'finished') {
      text(`{"t":${JSON.stringify(t)},"world":{"seq":${world.seq},"at":${world.at},"cases":`);
      list('cases', world.cases, storedCases, keepCase, { before }, wanted(isColdCase));
      text(`,"tasks":`);
      list('tasks', world.tasks, storedTasks, keepTask, { before, old: oldTaskKept }, wanted(isColdTask));
      text('}}');
      // Sent as columns (protocol finished-columns.ts): the same rows, ~40 % fewer bytes after brotli.
      const rows = JSON.parse(Buffer.concat(out).toString('utf8')) as ReplayFinished;
      const json = Buffer.from(JSON.stringify(encodeReplayFinished(rows)));
      this.d.onPhase?.('json', performance.now() - t0);
      return json;
    }
    const head = JSON.stringify({
      seq: world.seq,
      at: world.at,
      clock: world.clock,
      mode: world.mode,
      focus: world.focus,
      layers: world.layers,
      cameras: [...world.cameras.values()],
      videos: world.videos,
      // The plans as they stood (issue #17): small beside the cases, sent whole, so replay shows the plan panel.
      plans: [...world.plans.values()],
      inspections: [...world.inspections.values()],
      prepositions: [...world.prepositions.values()],
      supervisions: world.supervisions,
    });
    text(`{"t":${JSON.stringify(t)},"world":${head.slice(0, -1)},"cases":`);
    list('cases', world.cases, storedCases, keepCase, { before }, wanted(isColdCase));
    text(
      `,"units":${JSON.stringify([...world.units.values()])},"storms":${JSON.stringify([...world.storms.values()])}`,
    );
    text(`,"sensors":${JSON.stringify([...world.sensors.values()])},"tasks":`);
    list('tasks', world.tasks, storedTasks, keepTask, { before, old: oldTaskKept }, wanted(isColdTask));
    text(`},"kpi":${JSON.stringify(kpiFigures(kpi, t))}}`);
    const json = Buffer.concat(out);
    this.d.onPhase?.('json', performance.now() - t0);
    return json;
  }

  /**
   * Reads every cold delta kept into the cold index ahead of any seek (a hub calls it once after it starts, in the
   * background): a fresh hub's first seek otherwise reads and indexes them all — every cold case and task parsed
   * once — while a commander waits. One delta at a time, yielding to live work after each; a seek meanwhile reads
   * what is left itself (deltas are added in seq order, each once). Stops early once `stopped` (the hub stopping:
   * its shutdown need not wait for every delta; the next call, or a seek, goes on). Returns the deltas added.
   */
  async prepare(stopped: () => boolean = () => false): Promise<number> {
    if (!this.d.cold) return 0;
    let added = 0;
    for (const d of await this.d.cold(this.cold.top + 1, Number.MAX_SAFE_INTEGER)) {
      if (stopped()) break;
      if (d.seq <= this.cold.top) continue; // a seek read it meanwhile
      this.cold.add(d.seq, d.text);
      this.coldLoadedTo = Math.max(this.coldLoadedTo, d.seq);
      added++;
      await new Promise<void>((r) => setImmediate(r));
    }
    if (!stopped()) await this.warmFinished(stopped);
    return added;
  }

  /**
   * The newest cold deltas' rows parsed and compiled for the finished part (`ColdIndex.rows`, finished-json.ts), as
   * far as the rows' bound goes without letting any go (`ColdIndex.warmPlan`): a late seek's finished part is mostly
   * the newest deltas' rows, and the first one after a start then need not parse and compile ~70,000 rows (~0.6 s of
   * the typhoon's). One delta's kind at a time, yielding to live work after each.
   */
  private async warmFinished(stopped: () => boolean): Promise<void> {
    if (!this.finishedJson || this.cold.maxRows === 0) return;
    for (const { d, kind } of this.cold.warmPlan()) {
      if (stopped()) return;
      this.finishedJson.warm(this.cold.warmRows(d, kind) as object[], kind);
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** The cold index, with every cold delta up to `seq` read into it (deltas never change: read once, kept). */
  private async coldIndex(seq: number): Promise<ColdIndex> {
    if (this.d.cold && seq > this.coldLoadedTo) {
      for (const d of await this.d.cold(this.cold.top + 1, Number.MAX_SAFE_INTEGER)) this.cold.add(d.seq, d.text);
      this.coldLoadedTo = Math.max(seq, this.cold.top);
    }
    return this.cold;
  }

  /** The seq of the state at t (and the running world time there), without building the state. */
  async seqAt(t: number): Promise<{ seq: number; at: number }> {
    const start = await this.startFor(t);
    let seq = start.ref.seq;
    let at = start.ref.at;
    await this.walk(seq, at, t, (e) => {
      seq = e.seq;
      at = Math.max(at, e.at);
    });
    return { seq, at };
  }

  /** The events (afterSeq, toSeq], at most `limit`, in seq order. */
  eventsBetween(afterSeq: number, toSeq: number, limit: number): Promise<LogEvent[]> {
    return this.between(afterSeq, toSeq, limit, (from, count) => this.read(from, count));
  }

  /** The same events as the text they are stored as (event-pages.ts): the API sends them without parsing them. */
  eventTextsBetween(afterSeq: number, toSeq: number, limit: number): Promise<EventText[]> {
    return this.between(afterSeq, toSeq, limit, (from, count) =>
      this.readFrom(from, (part) => readEventTexts(part, from, count)),
    );
  }

  /** `eventTextsBetween` as the stored UTF-8 bytes (the log's pages are joined from them). */
  eventBytesBetween(afterSeq: number, toSeq: number, limit: number): Promise<EventBytes[]> {
    return this.between(afterSeq, toSeq, limit, (from, count) =>
      this.readFrom(from, (part) => readEventBytes(part, from, count)),
    );
  }

  private async between<T extends { seq: number }>(
    afterSeq: number,
    toSeq: number,
    limit: number,
    read: (fromSeq: number, count: number) => Promise<T[]>,
  ): Promise<T[]> {
    const out: T[] = [];
    let next = afterSeq + 1;
    while (next <= toSeq && out.length < limit) {
      const page = await read(next, Math.min(PAGE, limit - out.length, toSeq - next + 1));
      if (page.length === 0) break;
      for (const e of page) {
        if (e.seq > toSeq || out.length >= limit) break;
        out.push(e);
      }
      next = page.at(-1)!.seq + 1;
    }
    return out;
  }

  /** Calls `visit` for every event of the window (state at `from`, state at `to`], in seq order. */
  async forEachEvent(
    from: number,
    to: number,
    visit: (e: LogEvent) => void,
  ): Promise<{ afterSeq: number; toSeq: number }> {
    const a = await this.seqAt(from);
    let toSeq = a.seq;
    await this.walk(a.seq, a.at, to, (e) => {
      toSeq = e.seq;
      visit(e);
    });
    return { afterSeq: a.seq, toSeq };
  }

  /** Every unit's position at world time t, as a keyframe (protocol frame codec), or undefined without history. */
  async positionsFrame(t: number): Promise<Uint8Array | undefined> {
    const sample = await this.positionsAt(t);
    if (!sample) return undefined;
    const fixes: SlotFix[] = [];
    // Segments keep positions, not fix times: every unit is sent as placed at t (age 0), as replay has always drawn it.
    for (let i = 0; i < sample.slots.length; i++)
      fixes.push({ slot: sample.slots[i]!, lon: sample.lonE6[i]! / 1e6, lat: sample.latE6[i]! / 1e6, at: t });
    return encodeFrame(0, t, true, fixes);
  }

  async positionsAt(t: number): Promise<PositionSample | undefined> {
    const segment = await this.segmentFor(t);
    return segment && positionsAt(segment, t);
  }

  /** The segment holding the positions at t: the newest one whose keyframe is at or before t. */
  async segmentFor(t: number): Promise<PositionSegment | undefined> {
    let minute = minuteOf(t);
    const notBefore = minute - POSITION_LOOKBACK_MINUTES;
    while (minute >= notBefore) {
      let found: PositionSegment | undefined;
      for (const part of this.d.parts) {
        const s = await part.segmentAtOrBefore(minute, notBefore);
        if (s && (!found || s.minute > found.minute)) found = s;
      }
      if (!found) return undefined;
      if (found.key.at <= t) return found;
      minute = found.minute - 1; // recording began after t within that minute: the minute before holds t
    }
    return undefined;
  }

  /** Bytes of decoded segments kept now (tests, metrics). */
  get keptSegmentsBytes(): number {
    return this.keptSegments.bytes;
  }

  /**
   * Position segments of the minutes [from, to] from every part (Redis wins where both hold a minute), those kept
   * from an earlier answer not read again (./kept-segments.ts).
   */
  segments(fromMinute: number, toMinute: number): Promise<PositionSegment[]> {
    return this.keptSegments.between(fromMinute, toMinute, (from, to) => this.readSegments(from, to));
  }

  private async readSegments(fromMinute: number, toMinute: number): Promise<PositionSegment[]> {
    const byMinute = new Map<number, PositionSegment>();
    for (const part of [...this.d.parts].reverse())
      for (const s of await part.segments(fromMinute, toMinute)) byMinute.set(s.minute, s);
    return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
  }

  /** Case reports per bin over [from, to), by each report's own time (minute resolution). */
  async histogram(from: number, to: number, bins: number): Promise<ReplayHistogram> {
    const binMs = Math.max(1, (to - from) / bins);
    const counts = new Array<number>(bins).fill(0);
    const merged = new Map<number, number>();
    for (const part of [...this.d.parts].reverse())
      for (const [m, n] of await part.reports(minuteOf(from), minuteOf(to - 1))) merged.set(m, n);
    for (const [m, n] of merged) {
      const i = Math.floor((m * 60_000 - from) / binMs);
      counts[Math.min(bins - 1, Math.max(0, i))]! += n;
    }
    return { from, to, binMs, counts };
  }

  /** What can be replayed: from the first event still kept to the live end, and the scenario runs. */
  async range(): Promise<ReplayRange> {
    const live = this.d.live();
    const first = await this.firstAt();
    const starts = await this.d.periods();
    const periods: ReplayPeriod[] = [];
    starts.forEach((p, i) => {
      if (!p.scenario) return;
      const next = starts[i + 1];
      periods.push({ scenario: p.scenario, from: p.at, to: next ? next.at : live.at, fromSeq: p.seq, open: !next });
    });
    return {
      first: first ?? null,
      last: live.seq > 0 ? live.at : null,
      lastSeq: live.seq,
      periods: first === undefined ? periods : periods.filter((p) => p.to >= first),
      archived: (await this.d.archived?.()) ?? false,
    };
  }

  /** World time of the oldest state that can be rebuilt, or undefined without history. */
  private async firstAt(): Promise<number | undefined> {
    const [e1] = await this.read(1, 1);
    if (e1?.seq === 1) return e1.at;
    let oldest: SnapshotRef | undefined;
    for (const part of this.d.parts) {
      const o = await part.oldestSnapshot();
      if (o && (!oldest || o.at < oldest.at)) oldest = o;
    }
    return oldest?.at;
  }

  /** The nearest snapshot at or before t from any part, or the empty world when history starts at seq 1. */
  private async startFor(t: number): Promise<Start> {
    let best: { ref: SnapshotRef; part: HistoryPart } | undefined;
    for (const part of this.d.parts) {
      const ref = await part.snapshotAtOrBefore(t);
      if (ref && (!best || ref.seq > best.ref.seq)) best = { ref, part };
    }
    if (best) {
      const { ref, part } = best;
      return {
        ref,
        load: () =>
          this.cached(`${ref.seq}`, async () => {
            const s = await part.loadSnapshot(ref.seq);
            if (!s) throw new Error(`replay snapshot at seq ${ref.seq} vanished (trimmed meanwhile?)`);
            return s;
          }),
      };
    }
    const [e1] = await this.read(1, 1);
    if (e1?.seq !== 1) throw new BeforeHistoryError(`no history is kept for world time ${new Date(t).toISOString()}`);
    return {
      ref: { seq: 0, at: 0 },
      load: () => this.cached('empty', async () => lazyFromSnapshot(emptyReplaySnapshot(this.d.timeZone))),
    };
  }

  /**
   * Visits the events after `seq` in order while the running maximum of their time stays ≤ t. Throws when the
   * kept history has a hole (a part of the log neither Redis nor the archive holds).
   */
  private async walk(seq: number, at: number, t: number, visit: (e: LogEvent) => void): Promise<void> {
    const state = { at };
    for (;;) {
      const page =
        this.d.lazyFold === false
          ? (await this.read(seq + 1, PAGE)).map((e) => () => e)
          : await this.readLazily(seq + 1, PAGE);
      if (page.length === 0) return;
      for (const next of page) {
        const e = next();
        if (e.seq !== seq + 1) throw new Error(`replay: the kept log jumps from seq ${seq} to ${e.seq}`);
        if (!withinReplayTime(state, e, t)) return;
        visit(e);
        seq = e.seq;
        state.at = Math.max(state.at, e.at);
      }
    }
  }

  /**
   * `read`, each event parsed only when asked for: a walk stops at the first event past t, and the rest of its page
   * (up to `PAGE` events, each carrying a whole case) is then never parsed. Redis's entries as their stored text.
   */
  private readLazily(fromSeq: number, count: number): Promise<Array<() => LogEvent>> {
    return this.readFrom(fromSeq, async (part) =>
      part instanceof RedisHistory
        ? (await readEventTexts(part, fromSeq, count)).map(({ seq, text }) =>
            Object.assign(() => JSON.parse(text) as LogEvent, { seq }),
          )
        : (await part.readEvents(fromSeq, count)).map((e) => Object.assign(() => e, { seq: e.seq })),
    );
  }

  /** Events from `fromSeq` from whichever part holds that seq. */
  private read(fromSeq: number, count: number): Promise<LogEvent[]> {
    return this.readFrom(fromSeq, (part) => part.readEvents(fromSeq, count));
  }

  private async readFrom<T extends { seq: number }>(
    fromSeq: number,
    get: (part: HistoryPart) => Promise<T[]>,
  ): Promise<T[]> {
    let fallback: T[] = [];
    for (const part of this.d.parts) {
      const events = await get(part);
      if (events[0]?.seq === fromSeq) return events;
      if (events.length && (!fallback.length || events[0]!.seq < fallback[0]!.seq)) fallback = events;
    }
    return fallback;
  }

  private cached(key: string, load: () => Promise<LazySnapshot>): Promise<LazySnapshot> {
    let hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // most recently used last
      this.cache.set(key, hit);
      return hit;
    }
    hit = load();
    hit.catch(() => this.cache.delete(key));
    this.cache.set(key, hit);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return hit;
  }
}
