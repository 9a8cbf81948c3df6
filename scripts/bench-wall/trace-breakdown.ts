/**
 * A Chrome trace's page main thread broken down by what it did (bench:wall's `BENCH_WALL_TRACE`): each event's self
 * thread time (its own, less its children's), put in a bucket by its name — script by what called it (an animation
 * frame, a timer, a WebSocket message, a microtask), GC, compiling, style and layout, paint and compositing, the
 * WebGL calls and the GPU command buffer, and the task machinery around them. Pure: events in, figures out.
 */

/** One Chrome trace event (the fields this reads). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** Wall clock, µs. */
  ts: number;
  dur?: number;
  /** Thread clock, µs. */
  tts?: number;
  tdur?: number;
  cat?: string;
  args?: {
    name?: string;
    data?: { type?: string; functionName?: string; url?: string };
    chrome_mojo_event_info?: { mojo_interface_tag?: string };
  };
}

export interface Breakdown {
  /** Main thread time in tasks, by the thread's clock (CPU) and the wall's (ms). */
  threadMs: number;
  wallMs: number;
  /** Thread time of whole tasks by what they were for (ms) and how many, largest first (`taskKind`). */
  tasks: [string, { ms: number; count: number }][];
  /** Self thread time per bucket (ms), largest first. */
  buckets: [string, number][];
  /** Self thread time per event name (ms), largest first. */
  names: [string, number][];
}

interface Span {
  e: TraceEvent;
  start: number;
  end: number;
  thread: number;
  parent: Span | null;
  childThread: number;
}

const GC = /GC|Scavenge|MarkCompact|MinorMS|MajorGC|MinorGC|Sweep|Marking|HeapProfiler/i;
const COMPILE = /Compile|Parse|Deserialize|OptimizeCode|Turbofan|Maglev|Sparkplug|LazyCompile|BaselineBatch/i;
const STYLE =
  /^(UpdateLayoutTree|Layout|RecalculateStyles|ScheduleStyleRecalculation|InvalidateLayout|HitTest|IntersectionObserverController|ResizeObserverController)/;
const PAINT =
  /^(Paint|PrePaint|Layerize|UpdateLayer|UpdateLayerTree|CompositeLayers|Commit|PaintImage|Document::|LocalFrameView|ProxyMain|BeginMainFrame|LayerTreeHost|cc::|PaintController|AnimationFrame::Render|Animation Frame)/;
const GPU =
  /CommandBuffer|GLES2|Gpu|GPU|WebGL|SharedImage|DrawingBuffer|ReadPixels|glFlush|glFinish|SwapBuffers|Canvas|RasterDecoder|gl[A-Z]/;
const SCRIPT =
  /^(FunctionCall|EvaluateScript|v8\.|V8\.|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|FireIdleCallback|ParseHTML|XHRReadyStateChange|v8::|BlinkScheduler|ScriptWrappable|ExecuteScript|RunTask.*Script)/;
const TASK = /RunTask|ThreadController|TaskQueue|SequenceManager|MessageLoop|Scheduler|ThreadPool/;

/** What called a script's self time: the nearest entry among its ancestors (or itself). */
function entryOf(s: Span | null): string {
  for (let p = s; p; p = p.parent) {
    const n = p.e.name;
    if (n === 'FireAnimationFrame') return 'script: animation frames (deck.gl draw, Svelte effects)';
    if (n === 'TimerFire') return 'script: timers';
    if (n === 'RunMicrotasks') return 'script: microtasks (promises, Svelte effects)';
    if (n === 'EventDispatch') {
      const type = p.e.args?.data?.type ?? '?';
      return type === 'message' ? 'script: messages (WebSocket frames and events)' : `script: DOM event ${type}`;
    }
  }
  return 'script: other';
}

function bucketOf(s: Span): string {
  const n = s.e.name;
  if (GC.test(n)) return 'GC';
  if (COMPILE.test(n)) return 'compile';
  if (STYLE.test(n)) return 'style & layout';
  if (PAINT.test(n)) return 'paint & composite (Blink, cc)';
  if (GPU.test(n) || s.e.cat?.includes('gpu')) return 'WebGL calls & GPU command buffer';
  if (SCRIPT.test(n)) return entryOf(s);
  if (TASK.test(n)) return 'task machinery (unattributed native)';
  return `other: ${n}`;
}

/**
 * What a whole task was for, by what ran in it: an animation frame (deck.gl's loop: its looks and its draws, and
 * Blink's frame), the WebSocket (Chromium's network messages carrying the socket's bytes, and the page's message
 * handlers), microtasks (Svelte's effects), timers, the compositor's messages, DevTools and tracing (the measurement
 * itself), else other.
 */
function taskKind(names: Set<string>, interfaces: Set<string>): string {
  if (names.has('FireAnimationFrame') || names.has('ProxyMain::BeginMainFrame'))
    return 'animation frames (deck.gl loop and draws, Blink frame)';
  if (
    interfaces.has('network.mojom.WebSocketClient') ||
    names.has('ws.onmessage') ||
    names.has('SimpleWatcher::OnHandleReady')
  )
    return 'WebSocket (network messages, ws.onmessage: frames received)';
  if ([...interfaces].some((i) => i.startsWith('blink.mojom.DevTools') || i.startsWith('tracing.')))
    return 'DevTools and tracing (the measurement)';
  if (names.has('TimerFire')) return 'timers';
  if (names.has('RunMicrotasks')) return 'microtasks (Svelte effects, promises)';
  if ([...interfaces].some((i) => i.startsWith('viz.') || i.startsWith('gpu.'))) return 'compositor and GPU messages';
  if (names.has('FunctionCall')) return 'other script';
  return 'other native';
}

/** The renderer main thread that was busiest (the page under measurement), as `pid:tid`. */
function busiestRendererMain(events: TraceEvent[]): string | null {
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const busy = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key) && e.ph === 'X') busy.set(key, (busy.get(key) ?? 0) + (e.tdur ?? e.dur ?? 0));
  }
  let best: string | null = null;
  for (const [key, t] of busy) if (best === null || t > busy.get(best)!) best = key;
  return best;
}

/** Complete spans of one thread: 'X' events, and 'B'/'E' pairs matched by nesting. */
function spansOf(events: TraceEvent[], key: string): Span[] {
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === key);
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of mine.filter((x) => x.ph === 'X' || x.ph === 'B' || x.ph === 'E').sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X')
      spans.push({
        e,
        start: e.ts,
        end: e.ts + (e.dur ?? 0),
        thread: (e.tdur ?? e.dur ?? 0) / 1000,
        parent: null,
        childThread: 0,
      });
    else if (e.ph === 'B') open.push(e);
    else {
      const b = open.pop();
      if (!b) continue;
      const thread = b.tts !== undefined && e.tts !== undefined ? e.tts - b.tts : e.ts - b.ts;
      spans.push({ e: b, start: b.ts, end: e.ts, thread: thread / 1000, parent: null, childThread: 0 });
    }
  }
  // Parents first: earlier start, then longer.
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The page's main thread in `events`, broken down (see the file's comment). */
export function mainThreadBreakdown(events: TraceEvent[]): Breakdown {
  const key = busiestRendererMain(events);
  if (!key) return { threadMs: 0, wallMs: 0, tasks: [], buckets: [], names: [] };
  const spans = spansOf(events, key);
  const stack: Span[] = [];
  let threadMs = 0;
  let wallMs = 0;
  /** Each top-level task with the names and mojo interfaces of what ran in it. */
  const roots = new Map<Span, { names: Set<string>; interfaces: Set<string> }>();
  const rootOf = (s: Span): Span => (s.parent ? rootOf(s.parent) : s);
  for (const s of spans) {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= s.start) stack.pop();
    const parent = stack[stack.length - 1] ?? null;
    if (parent && s.end <= parent.end) {
      s.parent = parent;
      parent.childThread += s.thread;
      const root = roots.get(rootOf(s));
      if (root) {
        root.names.add(s.e.name === 'FunctionCall' ? (s.e.args?.data?.functionName ?? '') : s.e.name);
        if (s.e.name === 'FunctionCall') root.names.add('FunctionCall');
        const tag = s.e.args?.chrome_mojo_event_info?.mojo_interface_tag;
        if (tag) root.interfaces.add(tag);
      }
    } else if (!parent || s.start >= parent.end) {
      threadMs += s.thread;
      wallMs += (s.end - s.start) / 1000;
      roots.set(s, { names: new Set(), interfaces: new Set() });
    }
    stack.push(s);
  }
  const tasks = new Map<string, { ms: number; count: number }>();
  for (const [root, seen] of roots) {
    const kind = taskKind(seen.names, seen.interfaces);
    const t = tasks.get(kind) ?? { ms: 0, count: 0 };
    t.ms += root.thread;
    t.count++;
    tasks.set(kind, t);
  }
  const buckets = new Map<string, number>();
  const names = new Map<string, number>();
  for (const s of spans) {
    const self = Math.max(0, s.thread - s.childThread);
    if (self === 0) continue;
    const b = bucketOf(s);
    buckets.set(b, (buckets.get(b) ?? 0) + self);
    names.set(s.e.name, (names.get(s.e.name) ?? 0) + self);
  }
  const desc = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    threadMs,
    wallMs,
    tasks: [...tasks].sort((a, b) => b[1].ms - a[1].ms),
    buckets: desc(buckets),
    names: desc(names),
  };
}

/** The breakdown as lines: totals, then each bucket (ms, ms per redraw, share), then the top event names. */
export function formatBreakdown(b: Breakdown, redraws: number): string {
  const per = (ms: number) => (redraws > 0 ? `${(ms / redraws).toFixed(1).padStart(6)} ms/redraw` : '');
  const pct = (ms: number) => `${((100 * ms) / Math.max(1e-9, b.threadMs)).toFixed(0).padStart(3)} %`;
  const lines = [
    `    main thread in tasks: ${b.threadMs.toFixed(0)} ms thread time (${per(b.threadMs).trim()}), ${b.wallMs.toFixed(0)} ms wall clock; ${redraws} redraws`,
  ];
  lines.push('    whole tasks by what they were for:');
  for (const [kind, { ms, count }] of b.tasks)
    lines.push(`    ${ms.toFixed(0).padStart(6)} ms ${per(ms)} ${pct(ms)}  ${kind} (${count} tasks)`);
  lines.push('    self time by kind:');
  for (const [name, ms] of b.buckets.filter(([, ms]) => ms >= 1).slice(0, 16))
    lines.push(`    ${ms.toFixed(0).padStart(6)} ms ${per(ms)} ${pct(ms)}  ${name}`);
  lines.push('    top events by self time:');
  for (const [name, ms] of b.names.slice(0, 20)) lines.push(`    ${ms.toFixed(0).padStart(6)} ms ${per(ms)}  ${name}`);
  return lines.join('\n');
}
