/**
 * The browser phase of `npm run bench:replay`: the real replay wall in Chromium (Debian's, software GL as the tests
 * run it) against a real hub over the bench's history, seeking to late instants as a commander would.
 *
 * Per seek, from Chromium's own accounts (CDP):
 *   - bytes on the wire: `Network.loadingFinished.encodedDataLength` of every request the seek made (state,
 *     positions, then the events and trails it loads ahead) — compressed, as the browser got them;
 *   - main-thread work: `Performance.getMetrics` (thread-time domain) TaskDuration and ScriptDuration, from the
 *     seek's start until the map has drawn its result;
 *   - seek → state applied (the session's own moments, `__egretReplay.lastSeek`) and seek → drawn (the first frame
 *     the map drew after the state was applied whose layers are the ones handed over: `map.drawnLayers()`), then →
 *     tracks drawn (the first frame with the units' tracks loaded for the seek: they come after the state, by their
 *     own request) — the next seek starts after it, so it never waits behind the last seek's tracks;
 *   - the map's last draw's cost (its pacer), and the last seek's track points at a few zooms' detail;
 *   - CPU of Chromium's GPU process (SwiftShader) from the seek until everything is drawn: the draw's real cost, which
 *     the page's main thread only waits for (in the read-back after the frame).
 * `EGRET_BENCH_TRACE=<file>` writes the last seek's Chrome trace per page (`<file>-<page>.json`; DevTools opens it),
 * the seek marked `bench-seek`.
 * Each variant (`?snapshot=` of the replay page: the split seek — open first, finished after — and the one JSON
 * answer it replaced) is measured over the same instants in the same browser, one page each.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import pino from 'pino';
import { decodeReplayFinished, type ReplayFinishedColumns } from '@egret/protocol';
import type { CDPSession, Page, Request } from 'playwright-core';
import type { EgretConfig } from '@egret/config';
import { launchChromium } from '../../e2e/support/chromium.ts';
import { openApp } from '../src/app.ts';
import { chromiumCpu } from '../../scripts/bench-wall/process-cpu.ts';

export interface BrowserSeek {
  t: number;
  wireBytes: number;
  requests: number;
  taskMs: number;
  scriptMs: number;
  /** Of the main thread's task time: style and layout (the panels), the rest being script and waits on the GPU. */
  layoutMs: number;
  /**
   * CPU of Chromium's GPU process (SwiftShader's draws and uploads, every thread) from the seek until everything was
   * drawn, ms (Linux /proc; −1 elsewhere): the page's main thread only waits for it.
   */
  gpuMs: number;
  /** Seek → what is open applied, and drawn (a split seek; the whole state's moments for the one-answer seek). */
  openAppliedMs: number;
  firstDrawnMs: number;
  appliedMs: number;
  drawnMs: number;
  /** Seek → the first frame drawn with the units' tracks loaded for it (−1: no unit moved, nothing to draw). */
  tracksDrawnMs: number;
  /** The map's draws from the seek until everything it shows for the instant was drawn. */
  draws: number;
  /** The map's last draw's cost, ms, once the tracks were drawn (the map's pacer). */
  drawMs: number;
  caseCount: number;
  /** The longest main-thread task (ms, wall clock: the Long Tasks API) from the seek to the map's drawing of it. */
  longestTaskMs: number;
  /**
   * Per kind of request (`state?part=open`, `positions`, `trails`, `events` …): bytes on the wire, and ms from the
   * request sent to its last byte (the longest such request of the kind).
   */
  byRequest?: Record<string, { kb: number; ms: number; n: number }>;
}

interface PageSeek {
  openApplied: number;
  firstDrawn: number;
  applied: number;
  drawn: number;
  tracksDrawn: number;
  /** The map's draws from the seek until everything was drawn. */
  draws: number;
  /** The map's last draw's cost when the seek was done (ms; the tracks drawn in it). */
  drawMs: number;
  caseCount: number;
  longestTask: number;
  error: string | null;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/** p50 / p95 / max of each figure over the seeks. */
export function summarise(seeks: BrowserSeek[]) {
  const of = (f: (s: BrowserSeek) => number) => {
    const xs = seeks.map(f);
    return { p50: r1(pct(xs, 0.5)), p95: r1(pct(xs, 0.95)), max: r1(Math.max(...xs)) };
  };
  return {
    n: seeks.length,
    wireKB: of((s) => s.wireBytes / 1024),
    mainThreadTaskMs: of((s) => s.taskMs),
    mainThreadScriptMs: of((s) => s.scriptMs),
    gpuProcessMs: of((s) => s.gpuMs),
    longestTaskMs: of((s) => s.longestTaskMs),
    seekToOpenAppliedMs: of((s) => s.openAppliedMs),
    seekToFirstDrawnMs: of((s) => s.firstDrawnMs),
    seekToAppliedMs: of((s) => s.appliedMs),
    seekToDrawnMs: of((s) => s.drawnMs),
    seekToTracksDrawnMs: of((s) => s.tracksDrawnMs),
    drawsPerSeek: of((s) => s.draws),
    drawMs: of((s) => s.drawMs),
    casesShown: of((s) => s.caseCount),
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions the main thread spent most time in (self time, ms), from a CDP CPU profile. */
function topFunctions(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, n = 15) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const f = node.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...self.entries()]
    .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${Math.round(v)} ms ${k}`);
}

export interface VariantFigures {
  seeks: BrowserSeek[];
  summary: ReturnType<typeof summarise>;
  /** Top self-time functions of the last seek (EGRET_BENCH_PROFILE=1). */
  profile?: string[];
}

async function metrics(cdp: CDPSession): Promise<{ task: number; script: number; layout: number }> {
  const { metrics: m } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const get = (name: string) => m.find((x) => x.name === name)?.value ?? 0;
  return {
    task: get('TaskDuration') * 1000,
    script: get('ScriptDuration') * 1000,
    layout: (get('LayoutDuration') + get('RecalcStyleDuration')) * 1000,
  };
}

/**
 * A Chrome trace of what follows (the timeline's tasks, V8's, the GPU process's, user-timing marks), written to a file
 * as `{ traceEvents }` on `stop` (chrome://tracing or DevTools' Performance panel open it).
 */
async function startTrace(cdp: CDPSession): Promise<{ stop(file: string): Promise<void> }> {
  const events: unknown[] = [];
  const collect = (e: { value: unknown[] }) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'v8.execute',
        'v8',
        'blink.user_timing',
        'gpu',
        'toplevel',
        'loading',
        'netlog',
      ],
    },
  });
  return {
    async stop(file) {
      const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await complete;
      cdp.off('Tracing.dataCollected', collect);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, JSON.stringify({ traceEvents: events }));
    },
  };
}

/**
 * Bytes received per URL since the last call (Resource Timing's `transferSize`: the body as sent, compressed, and
 * the headers), from the page and its workers (the replay reads its answers in one: display replay/worker-fetch.ts),
 * in the order asked. `seen` counts the entries already read per target; each target's buffer is raised from the
 * default 250 entries the first time. A string to evaluate: the workers have no `__name` helper for tsx's output.
 */
async function transferSizes(page: Page, seen: Map<unknown, number>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const targets: { evaluate(expression: string): Promise<unknown> }[] = [page, ...page.workers()];
  for (const target of targets) {
    const from = seen.get(target) ?? 0;
    const rows = (await target.evaluate(`(() => {
      if (${from} === 0) performance.setResourceTimingBufferSize(100000);
      return performance.getEntriesByType('resource').slice(${from}).map((e) => [e.name, e.transferSize]);
    })()`)) as [string, number][];
    seen.set(target, from + rows.length);
    for (const [name, size] of rows) {
      const list = out.get(name) ?? [];
      list.push(size);
      out.set(name, list);
    }
  }
  return out;
}

/** Seeks in the page and waits, in the page, until the state is applied and the map has drawn it. */
function seekInPage(page: Page, t: number, timeoutMs: number): Promise<PageSeek> {
  return page.evaluate(
    ({ t, timeoutMs }) =>
      new Promise<PageSeek>((resolve) => {
        interface Layer {
          id: string;
          length: number;
          visible: boolean;
        }
        const hook = (
          globalThis as unknown as {
            __egretReplay: {
              seeks: number;
              loading: boolean;
              error: string | null;
              caseCount: number;
              redraws: number;
              trailPaths: number;
              drawMs: number;
              lastSeek: {
                askedAt: number;
                openAt: number;
                appliedAt: number;
                drawsAtOpen: number;
                drawsAtApplied: number;
              } | null;
              map: { layers(): Layer[]; drawnLayers(): Layer[] } | null;
              picture(): Layer[];
              seek(t: number): void;
            };
          }
        ).__egretReplay;
        const seeks = hook.seeks;
        const drawsBefore = hook.redraws;
        // A frame is the seek's when the map drew it after the state was applied (the session counts the draws
        // then: counting from the moment a poll saw it applied missed a draw hurried out before that poll, and a
        // quiet map draws nothing more).
        const start = performance.now();
        // The longest task the seek put on the main thread (a software-GL draw counts: the page waits on it).
        let longestTask = 0;
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) longestTask = Math.max(longestTask, e.duration);
        });
        observer.observe({ type: 'longtask' as 'mark' }); // Node's types know no long tasks; the page's do
        const finish = (r: PageSeek) => {
          for (const e of observer.takeRecords()) longestTask = Math.max(longestTask, e.duration);
          observer.disconnect();
          resolve({ ...r, longestTask });
        };
        // A commander seeks with a click or a key: the map hurries after a user's input (map/draw-pacer.ts).
        const page = globalThis as unknown as {
          document: { dispatchEvent(e: unknown): void };
          KeyboardEvent: new (type: string, init: { key: string }) => unknown;
        };
        page.document.dispatchEvent(new page.KeyboardEvent('keydown', { key: 'Shift' }));
        // The seek's start in a trace (EGRET_BENCH_TRACE): the user-timing mark `bench-seek`.
        performance.mark('bench-seek');
        hook.seek(t);
        // The seek's picture: the layers drawn from its state. The units' tracks load after it (their own request),
        // and moving units change no row count.
        const state = (layers: Layer[]) =>
          JSON.stringify(
            layers
              .filter((l) => !['replay-trails', 'unit-trail'].includes(l.id))
              .map((l) => [l.id, l.length, l.visible]),
          );
        // The map's picture as the screen has it now (drawn or not yet): what "drawn" compares the drawn layers with.
        const picture = () => hook.picture();
        const all = (layers: Layer[]) => JSON.stringify(layers.map((l) => [l.id, l.length, l.visible]));
        let firstDrawn = -1;
        let drawn = -1;
        let lastMoved = '';
        const poll = () => {
          const now = performance.now();
          if (hook.error || now - start > timeoutMs) {
            const error = hook.error ?? 'timed out';
            finish({
              openApplied: -1,
              firstDrawn: -1,
              applied: -1,
              drawn: -1,
              tracksDrawn: -1,
              draws: -1,
              drawMs: -1,
              caseCount: hook.caseCount,
              longestTask: 0,
              error,
            });
            return;
          }
          // The layers are compared only when something they depend on moved (a draw, a part applied, the tracks
          // in): a poll that described every layer every 10 ms cost the page main-thread time of its own, the more
          // the longer a seek took.
          const moved = `${hook.redraws}|${hook.seeks}|${hook.loading}|${hook.trailPaths}|${hook.lastSeek?.openAt}`;
          if (moved === lastMoved && !(drawn >= 0 && hook.trailPaths === 0)) {
            setTimeout(poll, 10);
            return;
          }
          lastMoved = moved;
          const open = hook.lastSeek && hook.lastSeek.askedAt >= start && hook.lastSeek.openAt > 0;
          if (open && firstDrawn < 0) {
            const map = hook.map;
            if (map && hook.redraws > hook.lastSeek!.drawsAtOpen && state(map.layers()) === state(map.drawnLayers()))
              firstDrawn = performance.now() - start;
          }
          if (hook.seeks > seeks && !hook.loading && hook.lastSeek) {
            const map = hook.map;
            // The whole state drawn: a frame drawn since what is open was applied, and the layers drawn (tracks
            // aside) are the screen's picture now. The finished part need not cost a draw of its own: when it
            // changes nothing the map shows, the frame that drew what was open shows the whole state.
            const same = map && state(picture()) === state(map.drawnLayers());
            if (map && drawn < 0 && hook.redraws > hook.lastSeek.drawsAtOpen && same) drawn = performance.now() - start;
            // Then everything the map shows for the instant: its tracks too (a seek's state clears the last seek's
            // tracks in the same step, so tracks drawn after a frame of the seek are its own) and the picture as
            // it stands, every layer's rows alike.
            const trails = (layers: Layer[]) => layers.find((l) => l.id === 'replay-trails')?.length ?? 0;
            const tracksDrawn =
              map &&
              drawn >= 0 &&
              hook.trailPaths > 0 &&
              trails(map.drawnLayers()) === hook.trailPaths &&
              all(picture()) === all(map.drawnLayers())
                ? performance.now() - start
                : // No unit moved in the window: no tracks to wait for.
                  drawn >= 0 && hook.trailPaths === 0 && performance.now() - start - drawn > 20_000
                  ? -1
                  : null;
            if (drawn >= 0 && tracksDrawn !== null) {
              const applied = hook.lastSeek.appliedAt - start;
              finish({
                longestTask: 0,
                openApplied: hook.lastSeek.openAt > 0 ? hook.lastSeek.openAt - start : applied,
                firstDrawn: firstDrawn >= 0 ? firstDrawn : drawn,
                applied,
                drawn,
                tracksDrawn,
                draws: hook.redraws - drawsBefore,
                drawMs: hook.drawMs,
                caseCount: hook.caseCount,
                error: null,
              });
              return;
            }
          }
          setTimeout(poll, 10);
        };
        poll();
      }),
    { t, timeoutMs },
  );
}

/**
 * `EGRET_BENCH_BROWSER_PAGES=<query>;<query>…`: the pages measured instead of the bench's variants, each named by its
 * query (empty: the page as built), e.g. `tracks=full;tracks=full&hide=replay-trails;` — a layer's cost by leaving it
 * out (display/src/map/hidden-layers.ts), the tracks at every sample (display/src/map/track-detail.ts).
 */
export function pagesFromEnv(raw: string | undefined): { name: string; query: string }[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  return raw.split(';').map((q) => ({ name: q.trim() === '' ? 'as built' : q.trim(), query: q.trim() }));
}

/**
 * Opens a hub over the bench's Redis and namespace and the replay wall on it, and seeks to each instant once per
 * variant. `variants` are query strings added to the page's URL (e.g. `snapshot=json` for the old path).
 */
export async function browserPhase(opts: {
  redisUrl: string;
  ns: string;
  config: EgretConfig;
  displayDir: string;
  from: number;
  to: number;
  instants: number[];
  variants: { name: string; query: string }[];
  say: (line: string) => void;
  viewport?: { width: number; height: number };
}): Promise<Record<string, VariantFigures>> {
  const { say } = opts;
  const opened = performance.now();
  const app = await openApp({
    redisUrl: opts.redisUrl,
    config: opts.config,
    ns: opts.ns,
    hubId: 'bench-replay-browser',
    displayDir: opts.displayDir,
    logger: pino({ level: 'warn' }),
  });
  const port = await app.listen(0, '127.0.0.1');
  say(`hub over the history listening in ${Math.round(performance.now() - opened)} ms`);
  // Both hubs closed whatever fails below (a hub left open keeps the bench, and the bench lock, for ever).
  let baseline: { app: Awaited<ReturnType<typeof openApp>>; port: number } | undefined;
  try {
    return await pagesOnHubs();
  } finally {
    await app.close();
    await baseline?.app.close();
  }

  async function pagesOnHubs(): Promise<Record<string, VariantFigures>> {
    // A page whose query names `hub=arrays` is served by a second hub over the same history whose finished part is laid
    // out as before (EGRET_REPLAY_FINISHED=arrays, read as it opens: server/src/replay/index.ts): the same bytes, the
    // hub's old cost — before and after in one run, pages interleaved.
    const pages = pagesFromEnv(process.env.EGRET_BENCH_BROWSER_PAGES) ?? opts.variants;
    if (pages.some((v) => hubArrays(v.query))) {
      const was = process.env.EGRET_REPLAY_FINISHED;
      process.env.EGRET_REPLAY_FINISHED = 'arrays';
      try {
        const other = await openApp({
          redisUrl: opts.redisUrl,
          config: opts.config,
          ns: opts.ns,
          hubId: 'bench-replay-browser-arrays',
          displayDir: opts.displayDir,
          logger: pino({ level: 'warn' }),
        });
        baseline = { app: other, port: await other.listen(0, '127.0.0.1') };
      } finally {
        if (was === undefined) delete process.env.EGRET_REPLAY_FINISHED;
        else process.env.EGRET_REPLAY_FINISHED = was;
      }
      say('a second hub (the finished part as arrays, as before) for the pages that name hub=arrays');
    }
    // EGRET_BENCH_DUMP=<dir>: the last instant's state parts as sent (uncompressed), to see which fields weigh.
    const dump = process.env.EGRET_BENCH_DUMP;
    if (dump) {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(dump, { recursive: true });
      const t = opts.instants.at(-1)!;
      for (const part of ['open', 'finished'])
        writeFileSync(
          `${dump}/state-${part}.json`,
          await (
            await fetch(`http://127.0.0.1:${port}/api/replay/state?t=${t}&part=${part}`, {
              headers: { 'accept-encoding': 'identity' },
            })
          ).text(),
        );
      say(`state parts at ${new Date(t).toISOString()} written to ${dump}`);
    }
    await finishedByFormat(port, opts.instants, say);
    if (baseline) await finishedByFormat(baseline.port, opts.instants, say);
    const browser = await launchChromium(opts.viewport ?? { width: 1920, height: 1080 });
    const out: Record<string, VariantFigures> = {};
    try {
      for (const variant of pages) {
        const pagePort = baseline && hubArrays(variant.query) ? baseline.port : port;
        const page = await browser.context.newPage();
        // tsx keeps functions' names with an `__name` helper that the page does not have.
        await page.addInitScript('globalThis.__name = (f) => f;');
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Network.enable');
        // Each seek as a first visit: the same instants are asked by every variant.
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        // Each replay request is the current seek's (what it asked for, and what it then loaded ahead). Playwright's
        // request events, not CDP's on the page: the page reads its answers in a worker (display replay/worker-fetch.ts),
        // whose requests the page's CDP session does not see.
        let current = -1;
        const seekOf = new Map<Request, number>();
        const bytesOf: number[] = [];
        const requestsOf: number[] = [];
        const kindOf = new Map<Request, { kind: string; sentAt: number }>();
        const byRequestOf: Array<Record<string, { kb: number; ms: number; n: number }>> = [];
        page.on('request', (r) => {
          if (current < 0 || !r.url().includes('/api/replay/')) return;
          seekOf.set(r, current);
          pending.add(r);
          requestsOf[current] = (requestsOf[current] ?? 0) + 1;
          const url = new URL(r.url());
          const part = url.searchParams.get('part') ?? url.searchParams.get('snapshot');
          const kind = url.pathname.replace('/api/replay/', '') + (part ? `?${part}` : '');
          kindOf.set(r, { kind, sentAt: performance.now() });
        });
        const pending = new Set<Request>();
        let settled: (() => void) | null = null;
        const done = (r: Request) => {
          pending.delete(r);
          if (pending.size === 0) settled?.();
        };
        // Finished requests wait for their bytes: Resource Timing's, read from the page and its workers (`account`).
        const unaccounted: { r: Request; i: number; ms: number }[] = [];
        page.on('requestfinished', (r) => {
          const i = seekOf.get(r);
          if (i !== undefined) unaccounted.push({ r, i, ms: performance.now() - kindOf.get(r)!.sentAt });
          done(r);
        });
        const seen = new Map<unknown, number>();
        const account = async () => {
          const sizes = await transferSizes(page, seen);
          for (const { r, i, ms } of unaccounted.splice(0)) {
            const bytes = sizes.get(r.url())?.shift() ?? 0;
            bytesOf[i] = (bytesOf[i] ?? 0) + bytes;
            const k = kindOf.get(r)!;
            const per = (byRequestOf[i] ??= {});
            const row = (per[k.kind] ??= { kb: 0, ms: 0, n: 0 });
            row.kb = Math.round(row.kb + bytes / 1024);
            row.ms = Math.max(row.ms, Math.round(ms));
            row.n++;
          }
        };
        page.on('requestfailed', (r) => done(r));
        const q = variant.query ? `&${variant.query}` : '';
        // The first instant opens the page (not measured: the page loads its code, the city, the first state).
        await page.goto(`http://127.0.0.1:${pagePort}/replay?from=${opts.from}&to=${opts.to}&t=${opts.from}${q}`);
        await page.waitForFunction(
          () => {
            const e = (globalThis as unknown as { __egretReplay?: { seeks: number; loading: boolean } }).__egretReplay;
            return !!e && e.seeks > 0 && !e.loading;
          },
          undefined,
          { timeout: 180_000, polling: 100 },
        );
        // One seek unmeasured first: the hub reads every cold delta once, the page builds its layers once.
        const warm = await seekInPage(page, opts.instants[0]!, 300_000);
        if (warm.error) throw new Error(`${variant.name}: the warm-up seek failed: ${warm.error}`);
        const seeks: BrowserSeek[] = [];
        let profile: string[] = [];
        for (const t of opts.instants) {
          // The last seek is profiled too (EGRET_BENCH_PROFILE=1): where its main-thread time went.
          // EGRET_BENCH_PROFILE_SEEKS=<i,j…>: those seeks instead (0-based over the instants).
          const profiled =
            process.env.EGRET_BENCH_PROFILE === '1' &&
            chosenSeeks(opts.instants.length, process.env.EGRET_BENCH_PROFILE_SEEKS).has(seeks.length);
          // EGRET_BENCH_TRACE=<file>: the last seek's Chrome trace (main thread, GPU, V8), one file per page.
          // EGRET_BENCH_TRACE_SEEKS=<i,j…>: those seeks' traces instead (0-based over the instants: the slow ones).
          const traced =
            process.env.EGRET_BENCH_TRACE &&
            chosenSeeks(opts.instants.length, process.env.EGRET_BENCH_TRACE_SEEKS).has(seeks.length)
              ? await startTrace(cdp)
              : null;
          if (profiled) {
            await cdp.send('Profiler.enable');
            await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
            await cdp.send('Profiler.start');
          }
          // The worker's asks are not under the page's cache switch: the browser's cache emptied instead (the
          // warm-up seek asked the first instant already).
          await cdp.send('Network.clearBrowserCache');
          await account(); // what the last seek loaded ahead is its own, not this one's
          const before = await metrics(cdp);
          const gpuBefore = chromiumCpu()?.gpu ?? Number.NaN;
          current = seeks.length;
          const r = await seekInPage(page, t, 180_000);
          const gpuMs = (chromiumCpu()?.gpu ?? Number.NaN) - gpuBefore;
          if (profiled) {
            const { profile: p } = (await cdp.send('Profiler.stop')) as {
              profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] };
            };
            profile = topFunctions(p);
            for (const line of profile) say(`    ${line}`);
          }
          if (traced) {
            const which = process.env.EGRET_BENCH_TRACE_SEEKS ? `-${seeks.length}` : '';
            const file = `${process.env.EGRET_BENCH_TRACE}-${variant.name.replace(/[^a-z0-9]+/gi, '-')}${which}.json`;
            await traced.stop(file);
            say(`    trace of the last seek: ${file}`);
          }
          if (r.error) throw new Error(`${variant.name}: seek to ${new Date(t).toISOString()} failed: ${r.error}`);
          const after = await metrics(cdp);
          await account();
          const wire = bytesOf[current] ?? 0;
          const seek: BrowserSeek = {
            t,
            wireBytes: wire,
            requests: requestsOf[current] ?? 0,
            taskMs: after.task - before.task,
            scriptMs: after.script - before.script,
            layoutMs: after.layout - before.layout,
            gpuMs: Number.isFinite(gpuMs) ? gpuMs : -1,
            openAppliedMs: r.openApplied,
            firstDrawnMs: r.firstDrawn,
            appliedMs: r.applied,
            drawnMs: r.drawn,
            tracksDrawnMs: r.tracksDrawn,
            draws: r.draws,
            drawMs: r.drawMs,
            caseCount: r.caseCount,
            longestTaskMs: r.longestTask,
          };
          seeks.push(seek);
          say(
            `  ${variant.name} seek ${new Date(t).toISOString()}: ${Math.round(wire / 1024)} KB by drawn, GPU process ` +
              `${Math.round(seek.gpuMs)} ms, main thread ` +
              `${Math.round(seek.taskMs)} ms (script ${Math.round(seek.scriptMs)}, style and layout ` +
              `${Math.round(seek.layoutMs)}, longest task ` +
              `${Math.round(seek.longestTaskMs)}), open applied ` +
              `${Math.round(r.openApplied)} ms, first drawn ${Math.round(r.firstDrawn)} ms, all applied ` +
              `${Math.round(r.applied)} ms, drawn ${Math.round(r.drawn)} ms, everything drawn (tracks, heat) ` +
              `${Math.round(r.tracksDrawn)} ms in ${r.draws} draws (last draw ${r.drawMs} ms), ${r.caseCount} cases`,
          );
        }
        // The last seek's tracks: points handed to the map, every sample and at the detail of a few zooms.
        const levels = [null, 10, 10.5, 11, 12];
        const points = await page.evaluate(
          (ls) =>
            ls.map((l) =>
              (
                globalThis as unknown as { __egretReplay: { trailPoints(l: number | null): number } }
              ).__egretReplay.trailPoints(l),
            ),
          levels,
        );
        say(
          `  ${variant.name} the last seek's tracks, points: ` +
            levels.map((l, i) => `${l === null ? 'every sample' : `zoom ${l}`} ${points[i]}`).join(', '),
        );
        // EGRET_BENCH_SHOTS=<dir>: the last seek as drawn, one screenshot a page (the tracks must still read).
        const shots = process.env.EGRET_BENCH_SHOTS;
        if (shots) {
          const { mkdirSync, writeFileSync } = await import('node:fs');
          mkdirSync(shots, { recursive: true });
          const file = `${shots}/replay-${variant.name.replace(/[^a-z0-9]+/gi, '-')}.png`;
          writeFileSync(file, await page.screenshot({ timeout: 120_000 }));
          say(`  ${variant.name}: ${file}`);
        }
        // What each seek loaded ahead after it was drawn (events, trails) counts as its own.
        if (pending.size) await new Promise<void>((resolve) => (settled = resolve));
        await account();
        seeks.forEach((s, i) => {
          s.wireBytes = bytesOf[i] ?? 0;
          s.requests = requestsOf[i] ?? 0;
          s.byRequest = byRequestOf[i] ?? {};
          say(
            `  ${variant.name} ${new Date(s.t).toISOString()} by request: ` +
              Object.entries(s.byRequest)
                .map(([k, r]) => `${k} ${r.kb} KB ${r.ms} ms${r.n > 1 ? ` (×${r.n})` : ''}`)
                .join(', '),
          );
        });
        out[variant.name] = { seeks, summary: summarise(seeks), ...(profile.length ? { profile } : {}) };
        await page.close();
      }
    } finally {
      await browser.close();
    }
    return out;
  }
}

/** A page for the baseline hub (`hub=arrays` in its query; the page itself ignores it). */
function hubArrays(query: string): boolean {
  return new URLSearchParams(query).get('hub') === 'arrays';
}

/** The seeks to trace or profile (`named`: 0-based, comma-separated; the last one by default). */
function chosenSeeks(n: number, named: string | undefined): Set<number> {
  if (!named) return new Set([n - 1]);
  return new Set(named.split(',').map((s) => Number(s.trim())));
}

/**
 * The finished part at each instant as sent (columns, protocol finished-columns.ts) beside the rows it replaced (the
 * same briefs and tasks as an array of objects, as sent before): KB after brotli at the hub's quality (4), and the
 * hub's time to answer it (uncompressed, by fetch). Before and after in one run, over the same state.
 */
async function finishedByFormat(port: number, instants: number[], say: (line: string) => void): Promise<void> {
  const br = (text: string) =>
    brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).byteLength / 1024;
  const rows: number[] = [];
  const cols: number[] = [];
  const ms: number[] = [];
  for (const t of instants) {
    const t0 = performance.now();
    const url = `http://127.0.0.1:${port}/api/replay/state?t=${t}&part=finished`;
    const ask = async () => (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).text();
    // Asked once more if the ask fails: two runs at load 7+ stopped here on undici's "fetch failed" (its cause not
    // printed then; it is now), before any page was measured.
    const text = await ask().catch((err: unknown) => {
      say(`  finished part at ${new Date(t).toISOString()}: ${String((err as Error).cause ?? err)}; asked again`);
      return ask();
    });
    ms.push(performance.now() - t0);
    const fin = decodeReplayFinished(JSON.parse(text) as ReplayFinishedColumns);
    cols.push(br(text));
    rows.push(br(JSON.stringify(fin)));
    say(
      `  finished part at ${new Date(t).toISOString()}: ${fin.world.cases.length} briefs, ${fin.world.tasks.length} ` +
        `tasks — rows ${Math.round(rows.at(-1)!)} KB, columns ${Math.round(cols.at(-1)!)} KB brotli q4; hub ` +
        `${Math.round(ms.at(-1)!)} ms`,
    );
  }
  const f = (xs: number[]) => `${Math.round(pct(xs, 0.5))} / ${Math.round(pct(xs, 0.95))}`;
  say(`  finished part p50 / p95: rows ${f(rows)} KB, columns ${f(cols)} KB; hub answer ${f(ms)} ms`);
}
