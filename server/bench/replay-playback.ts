/**
 * Replay's playback at 3600× through the hub: a screen playing the storm's busiest hours forward asks the replay
 * API for the events ahead of its clock, and this measures how many events per second the hub hands over, against
 * the 72,479 per real second the typhoon's peak hour needs at 3600× (docs/performance.md, "Playback at 3600×").
 *
 * The replay routes run as the hub serves them (`replayRoutes`: Express, the API's compression, a real
 * `ReplayReader` over the Redis history) on a local port; the client asks as the replay screen does, with
 * Chromium's `Accept-Encoding`, one ask after the other. Per variant, the time from each ask to its last byte is
 * summed (the client's own decompression and parsing between asks is not the hub's and is left out):
 *   - before: `/events?from=&to=&afterSeq=` windows of 2 × the screen's lookahead, 20,000 events an answer, by the
 *     handler as it was (every event parsed, stringified again, compressed per answer: kept here, `oldEvents`);
 *   - window, stored text: the same asks to today's handler (events copied as stored, compressed per answer);
 *   - pages, cold: `/events?page=N` with an empty page cache (each page read and compressed once), first with no
 *     page built ahead (the CPU figure is each page's whole cost), then as the hub runs (the next page built while
 *     the client reads this one: its CPU then falls partly outside the asks, so read only the wall time);
 *   - pages, warm: the same pages again (another screen, a second replay): from the cache;
 *   - a cold page's steps (read, JSON join, hash, brotli), per page over the stretch;
 *   - pages on a restarted hub (as createReplay makes them: each kept page checked against the log before it is
 *     sent again): played while the hub builds its whole history in the background (`EventPages.backfill`), then
 *     the backfill on its own — its CPU, bytes, and the event loop's delay meanwhile (what live work waits) beside
 *     the same sampling idle — then played again once it is done.
 * With `EGRET_PLAYBACK_STEPS=1` it also times the old path's steps over the whole log (XRANGE, parse, the display's
 * fold, JSON, brotli), as its first version did.
 *
 *   npx tsx server/bench/replay-playback.ts redis://127.0.0.1:<port> [namespace, default bench-replay]
 *   EGRET_BENCH_PLAYBACK=only EGRET_BENCH_HOURS=30 npm run bench:replay      # builds the typhoon's log itself
 *
 * EGRET_PLAYBACK_HOURS (3): world hours played from the start of the busiest hour.
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import express from 'express';
import {
  applyEvent,
  applyKpiEvent,
  createKpiAccumulator,
  emptyWorld,
  EVENT_PAGE_SIZE,
  eventPageAfter,
  redisKeys,
  type LogEvent,
  type RedisKeys,
  type ReplayEventPage,
  type ReplayEvents,
} from '@egret/protocol';
import { compress } from '../src/http/compress.ts';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { EventPages, logEntryAt, pageJson, writerHorizon } from '../src/replay/event-pages.ts';
import { RedisHistory } from '../src/replay/redis-history.ts';
import { ReplayReader } from '../src/replay/replay-reader.ts';
import { EVENTS_LIMIT, replayRoutes } from '../src/replay/replay-routes.ts';

const HOUR = 3_600_000;
/** The replay screen's lookahead at 3600× (display replay-clock.ts `lookaheadMs`: 8 real seconds of play). */
const AHEAD_MS = 3600 * 8_000;
/** What Chromium sends. */
const ACCEPT = 'gzip, deflate, br, zstd';

interface Took {
  ms: number;
  /** CPU time of this process (the hub's routes, zlib's pool threads, the client's socket) while the ask ran. */
  cpuMs: number;
  bytes: number;
  body: Buffer;
  encoding: string | undefined;
}

function ask(url: string): Promise<Took> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': ACCEPT } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode} ${body.toString().slice(0, 200)}`));
        else {
          const c = process.cpuUsage(c0);
          resolve({
            ms: performance.now() - t0,
            cpuMs: (c.user + c.system) / 1000,
            bytes: body.length,
            body,
            encoding: res.headers['content-encoding'],
          });
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function json<T>(t: Took): T {
  const text = t.encoding === 'br' ? brotliDecompressSync(t.body) : t.encoding === 'gzip' ? gunzipSync(t.body) : t.body;
  return JSON.parse(text.toString('utf8')) as T;
}

/** `/api/replay/events` as the hub answered it before issue #19's pages: parsed events through `res.json`. */
function oldEvents(reader: ReplayReader): express.Router {
  const router = express.Router();
  router.use('/api/replay', compress());
  router.get('/api/replay/events', (req, res, next) => {
    void (async () => {
      const from = Number(req.query.from);
      const to = Number(req.query.to);
      const afterSeq = Number(req.query.afterSeq);
      const end = await reader.seqAt(to);
      const events = await reader.eventsBetween(afterSeq, end.seq, EVENTS_LIMIT);
      const body: ReplayEvents = {
        from,
        to,
        afterSeq,
        toSeq: end.seq,
        events,
        truncated: (events.at(-1)?.seq ?? afterSeq) < end.seq,
      };
      res.json(body);
    })().catch(next);
  });
  return router;
}

/** One way of playing: asks, events, time to the last byte and CPU summed over the asks, and what that gives. */
interface Tally {
  asks: number;
  events: number;
  ms: number;
  cpuMs: number;
  bytes: number;
}

const tally = (): Tally => ({ asks: 0, events: 0, ms: 0, cpuMs: 0, bytes: 0 });
const add = (t: Tally, took: Took, events: number) => {
  t.asks++;
  t.events += events;
  t.ms += took.ms;
  t.cpuMs += took.cpuMs;
  t.bytes += took.bytes;
};

/**
 * Events per second of wall time (what one screen got, on this machine as loaded) and per second of the hub's CPU
 * (what a core gives when nothing else runs), each beside the 3600× need.
 */
const figure = (t: Tally, needed: number) => {
  const perS = (ms: number) => Math.round(t.events / (ms / 1000));
  return {
    asks: t.asks,
    events: t.events,
    ms: Math.round(t.ms),
    cpuMs: Math.round(t.cpuMs),
    eventsPerS: perS(t.ms),
    headroom: Math.round((perS(t.ms) / needed) * 100) / 100,
    eventsPerCpuS: perS(t.cpuMs),
    headroomPerCpu: Math.round((perS(t.cpuMs) / needed) * 100) / 100,
    wireBytesPerEvent: Math.round((t.bytes / t.events) * 10) / 10,
  };
};
type Figure = ReturnType<typeof figure>;

/** The busiest world hour, from the replay snapshots' index (seq and running time every ~2,000 events). */
async function busiestHour(redis: Redis, keys: RedisKeys): Promise<{ from: number; events: number }> {
  const snaps = (await redis.zRangeWithScores(keys.replaySnapshotIndex, 0, -1)).map((h) => ({
    seq: Number(h.value),
    at: h.score,
  }));
  let best = { from: snaps[0]?.at ?? 0, events: 0 };
  for (let i = 0, j = 0; i < snaps.length; i++) {
    while (j < snaps.length - 1 && snaps[j]!.at < snaps[i]!.at + HOUR) j++;
    const span = snaps[j]!.at - snaps[i]!.at;
    if (span <= 0) continue;
    const perHour = ((snaps[j]!.seq - snaps[i]!.seq) / span) * HOUR;
    if (perHour > best.events) best = { from: snaps[i]!.at, events: Math.round(perHour) };
  }
  return best;
}

/** Plays `hours` world hours from the busiest one through the replay routes, each way; figures per variant. */
export async function measurePlayback(deps: {
  redis: Redis;
  keys: RedisKeys;
  hours?: number;
  say?: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { redis, keys } = deps;
  const say = deps.say ?? (() => {});
  const hours = deps.hours ?? Number(process.env.EGRET_PLAYBACK_HOURS ?? 3);
  const load0 = loadavg().map((x) => Math.round(x * 10) / 10);
  const history = new RedisHistory(redis, keys);
  const last = await history.newestSnapshot();
  const reader = new ReplayReader({
    parts: [history],
    periods: () => history.periods(),
    live: () => ({ seq: last?.seq ?? 0, at: last?.at ?? 0 }),
    cold: (a, b) => history.coldDeltas(a, b),
  });
  const peak = await busiestHour(redis, keys);
  const from = Math.floor(peak.from / 60_000) * 60_000;
  const to = Math.min(from + hours * HOUR, last?.at ?? from);
  const start = (await reader.seqAt(from)).seq;
  const end = (await reader.seqAt(to)).seq;
  const peakHour = (await reader.seqAt(from + HOUR)).seq - start;
  // 3600×: a world hour a real second, so the peak hour's events are needed every second.
  const needed = peakHour;
  say(`playing ${new Date(from).toISOString()} + ${hours} h: seqs ${start}–${end}; peak hour ${peakHour} events`);

  const newPages = (readAhead = true, checked = false) =>
    new EventPages({
      readAhead,
      // As a hub reads them (pagesOf): the stored bytes, not decoded.
      read: (fromSeq, count) => reader.eventBytesBetween(fromSeq - 1, Number.MAX_SAFE_INTEGER, count),
      horizon: () => writerHorizon(history),
      // As a hub makes them (createReplay): a kept page checked against the log before it is sent again.
      ...(checked && { entry: (seq: number) => logEntryAt(history, seq) }),
    });
  let pages = newPages();
  const app = express();
  app.use('/old', oldEvents(reader));
  app.use(replayRoutes({ reader: () => reader, displayDir: '/nonexistent', pages: () => pages }));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** The screen's window asks: `from` the clock's loaded time, `to` two lookaheads on, 20,000 events an answer. */
  const windows = async (prefix: string): Promise<Figure> => {
    let loadedTo = from;
    let lastSeq = start;
    const t = tally();
    while (loadedTo < to) {
      const until = Math.min(to, loadedTo + 2 * AHEAD_MS);
      const took = await ask(`${base}${prefix}/api/replay/events?from=${loadedTo}&to=${until}&afterSeq=${lastSeq}`);
      const res = json<ReplayEvents>(took);
      add(t, took, res.events.length);
      if (res.events.length) lastSeq = res.events.at(-1)!.seq;
      if (!res.truncated) loadedTo = until;
    }
    return figure(t, needed);
  };

  /** The screen's page asks: the page after the last event queued, until the queued events settle `to`. */
  const paged = async (): Promise<Figure & { complete: number }> => {
    let lastSeq = start;
    const t = tally();
    let complete = 0;
    while (lastSeq < end) {
      const took = await ask(`${base}/api/replay/events?page=${eventPageAfter(lastSeq)}`);
      const page = json<ReplayEventPage>(took);
      if (page.complete) complete++;
      const fresh = page.events.filter((e) => e.seq > lastSeq);
      add(t, took, fresh.length);
      if (!fresh.length) break;
      lastSeq = fresh.at(-1)!.seq;
    }
    return { ...figure(t, needed), complete };
  };

  try {
    // A warm-up ask of each kind: the reader's snapshot cache, Express and zlib loaded, as in a running hub.
    await ask(`${base}/old/api/replay/events?from=${from}&to=${from + 60_000}&afterSeq=${start}`);
    say('before: the handler that parsed and stringified every event');
    const before = await windows('/old');
    say(`  ${before.eventsPerS} events/s`);
    say('window asks, events copied as stored');
    const window = await windows('');
    say(`  ${window.eventsPerS} events/s`);
    // Cold, one page built per ask (what each page costs the hub), then cold as the hub runs: the next page built
    // while the client reads this one.
    pages = newPages(false);
    say('pages, cold, none built ahead');
    const coldOneByOne = await paged();
    say(`  ${coldOneByOne.eventsPerS} events/s`);
    pages = newPages();
    say('pages, cold');
    const cold = await paged();
    say(`  ${cold.eventsPerS} events/s`);
    // What a hub spends building every final page as the history writer passes them (EventPages.warm), per event.
    const ahead = newPages(false);
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await ahead.warm('br', Number.MAX_SAFE_INTEGER);
    const cpu = process.cpuUsage(c0);
    const builtAhead = {
      pages: ahead.entries,
      ms: Math.round(performance.now() - w0),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      cpuUsPerEvent: Math.round(((cpu.user + cpu.system) / (ahead.entries * ahead.pageSize)) * 100) / 100,
    };
    say(`  built ahead: ${JSON.stringify(builtAhead)}`);
    say('pages, warm');
    const warm = await paged();
    say(`  ${warm.eventsPerS} events/s`);
    // Where a cold page's time goes, page by page over the stretch (brotli timed in this thread; a hub runs it on
    // libuv's pool).
    const coldPage = await coldPageSteps(reader, start, end);
    say(`  a cold page's steps: ${JSON.stringify(coldPage)}`);
    // A restarted hub (createReplay): pages checked against the log, the older history built in the background
    // (EventPages.backfill, as the hub's timer runs it from its start) while a screen plays the stretch at once.
    say('pages, restarted hub, played while it builds its history');
    pages = newPages(true, true);
    const backfilling = pages.backfill();
    const restartedDuring = await paged();
    await backfilling;
    say(`  ${restartedDuring.eventsPerS} events/s`);
    // The same on its own, timed: what it costs and how long live work (socket fan-out, ingest) waits meanwhile —
    // the event loop's delay, sampled every 10 ms, against the same sampling while the process is idle.
    const idleLag = await loopDelay(() => new Promise<void>((r) => setTimeout(r, 2_000)));
    pages = newPages(true, true);
    const fresh = pages;
    const c1 = process.cpuUsage();
    const w1 = performance.now();
    const lag = await loopDelay(async () => void (await fresh.backfill()));
    const cpu1 = process.cpuUsage(c1);
    const backfill = {
      pages: fresh.entries,
      ms: Math.round(performance.now() - w1),
      cpuMs: Math.round((cpu1.user + cpu1.system) / 1000),
      bytes: fresh.bytes,
      maxBytes: fresh.maxBytes,
      full: fresh.full,
      loopDelayMs: lag,
      idleLoopDelayMs: idleLag,
    };
    say(`  backfill on its own: ${JSON.stringify(backfill)}`);
    say('pages, restarted hub, once it has built its history (each kept page checked against the log)');
    const restartedAfter = await paged();
    say(`  ${restartedAfter.eventsPerS} events/s`);
    say('the finished part of late seeks (/state?part=finished): parsed whole per answer, and from rows kept parsed');
    const finishedPart = await finishedPartFigures(history, last?.at ?? to);
    say(`  ${JSON.stringify(finishedPart)}`);
    return {
      machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      loadAverage: { atStart: load0, atEnd: loadavg().map((x) => Math.round(x * 10) / 10) },
      window: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        events: end - start,
        neededPerS: needed,
      },
      before,
      windowStoredText: window,
      pagesColdNoneAhead: coldOneByOne,
      pagesCold: cold,
      pagesWarm: warm,
      pagesBuiltAhead: builtAhead,
      coldPage,
      pagesRestartedWhileBuilding: restartedDuring,
      pagesRestartedBuilt: restartedAfter,
      backfill,
      finishedPart,
      pageCache: { bytes: pages.bytes, pages: pages.entries, maxBytes: pages.maxBytes },
    };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

/**
 * The hub's CPU for the finished part of seeks at four late instants (the last 18 hours), on a fresh reader each
 * way: the part's text parsed whole per answer (`finishedRowsKept: 0`, as before) and laid out from the cold rows
 * kept parsed (the default), then on a reader that read the cold deltas ahead (`prepare`, as a hub does once it has
 * started). The first answer of a fresh reader otherwise reads every cold delta. The answers must be the same bytes.
 */
async function finishedPartFigures(history: RedisHistory, endAt: number): Promise<Record<string, unknown>> {
  const instants = [3, 2, 1, 0].map((k) => endAt - k * 6 * HOUR - 60_000);
  const out: Record<string, unknown> = {};
  const answers: string[][] = [];
  for (const [name, kept, prepare] of [
    ['parsedWhole', 0, false],
    ['rowsKept', undefined, false],
    ['rowsKeptPrepared', undefined, true],
  ] as const) {
    const reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      live: () => ({ seq: Number.MAX_SAFE_INTEGER, at: endAt }),
      cold: (a, b) => history.coldDeltas(a, b),
      ...(kept !== undefined && { finishedRowsKept: kept }),
    });
    // A hub reads the cold deltas ahead once it has started (ReplayReader.prepare): its CPU, then the seeks'.
    const p0 = process.cpuUsage();
    const deltas = prepare ? await reader.prepare() : 0;
    const p = process.cpuUsage(p0);
    const prepareCpuMs = Math.round((p.user + p.system) / 1000);
    const cpuMs: number[] = [];
    const mine: string[] = [];
    let rows = 0;
    for (const pass of [0, 1])
      for (const t of instants) {
        const c0 = process.cpuUsage();
        const body = await reader.stateJson(t, 'finished');
        const c = process.cpuUsage(c0);
        cpuMs.push(Math.round((c.user + c.system) / 1000));
        if (pass === 0) mine.push(body.toString('utf8'));
        const cols = (JSON.parse(body.toString('utf8')) as { columns: { cases: { n: number }; tasks: { n: number } } })
          .columns;
        rows = Math.max(rows, cols.cases.n + cols.tasks.n);
      }
    if (!prepare) answers.push(mine);
    else if (!mine.every((a, i) => a === answers[0]![i])) throw new Error('a prepared reader answered other bytes');
    out[name] = { cpuMs, rows, keptRows: reader.keptFinishedRows, ...(prepare && { deltas, prepareCpuMs }) };
  }
  out.sameBytes = answers[0]!.every((a, i) => a === answers[1]![i]);
  return out;
}

/** The event loop's delay (ms: p50, p99, max) while `run` runs, sampled every 10 ms. */
async function loopDelay(run: () => Promise<void>): Promise<{ p50: number; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    await run();
  } finally {
    h.disable();
  }
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

/**
 * A cold page's steps over the pages of (start, end], in ms per page (mean): the read (XRANGE of 4,096 entries) and
 * the page's JSON joined — from the reply decoded into strings (as before) and from its bytes (as the hub reads
 * now) — its hash (the ETag), brotli q4. The CPU of the two reads + joins is the process's over them.
 */
async function coldPageSteps(reader: ReplayReader, start: number, end: number): Promise<Record<string, number>> {
  const t = { readText: 0, joinText: 0, readBytes: 0, join: 0, hash: 0, brotli: 0, cpuText: 0, cpuBytes: 0 };
  let n = 0;
  let bytes = 0;
  const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let page = eventPageAfter(start); (page + 1) * EVENT_PAGE_SIZE <= end; page++, n++) {
    const c0 = process.cpuUsage();
    const a0 = performance.now();
    const texts = await reader.eventTextsBetween(page * EVENT_PAGE_SIZE, (page + 1) * EVENT_PAGE_SIZE, 1e9);
    const b0 = performance.now();
    const before = pageJson(page, texts, true);
    t.cpuText += cpu(process.cpuUsage(c0));
    const c1 = process.cpuUsage();
    const a = performance.now();
    const events = await reader.eventBytesBetween(page * EVENT_PAGE_SIZE, (page + 1) * EVENT_PAGE_SIZE, 1e9);
    const b = performance.now();
    const text = pageJson(page, events, true);
    const c = performance.now();
    t.cpuBytes += cpu(process.cpuUsage(c1));
    if (!text.equals(before)) throw new Error(`page ${page}: joined from bytes, not the page joined from text`);
    t.readText += b0 - a0;
    t.joinText += a - b0;
    createHash('sha256').update(text).digest('base64url');
    const d = performance.now();
    brotliCompressSync(text, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 4,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      },
    });
    const e = performance.now();
    t.readBytes += b - a;
    t.join += c - b;
    t.hash += d - c;
    t.brotli += e - d;
    bytes += text.length;
  }
  const per = (ms: number) => Math.round((ms / Math.max(n, 1)) * 10) / 10;
  return {
    pages: n,
    readTextMs: per(t.readText),
    joinTextMs: per(t.joinText),
    cpuTextMs: per(t.cpuText),
    readBytesMs: per(t.readBytes),
    joinBytesMs: per(t.join),
    cpuBytesMs: per(t.cpuBytes),
    hashMs: per(t.hash),
    brotliMs: per(t.brotli),
    jsonBytes: Math.round(bytes / Math.max(n, 1)),
  };
}

/** The old path's steps over the whole log, per event (the first version of this bench). */
async function stepFigures(redis: Redis, keys: RedisKeys): Promise<Record<string, unknown>> {
  const len = await redis.xLen(keys.log);
  const world = emptyWorld();
  const acc = createKpiAccumulator();
  const t = { xrange: 0, parse: 0, fold: 0, answerJson: 0, answerBrotli: 0 };
  let n = 0;
  let sampled = 0;
  let bytes = 0;
  let brBytes = 0;
  for (let next = 1, page = 0; next <= len; page++) {
    const a = performance.now();
    const entries = await redis.xRange(keys.log, `${next}-0`, '+', { COUNT: 5_000 });
    const b = performance.now();
    const events = (entries ?? []).map((m) => JSON.parse(m.message.e!) as LogEvent);
    const c = performance.now();
    for (const e of events) {
      applyEvent(world, e);
      applyKpiEvent(acc, e);
    }
    const d = performance.now();
    if (page % 10 === 0) {
      const text = JSON.stringify({ events });
      const e1 = performance.now();
      const z = brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
      t.answerJson += e1 - d;
      t.answerBrotli += performance.now() - e1;
      sampled += events.length;
      bytes += Buffer.byteLength(text);
      brBytes += z.length;
    }
    t.xrange += b - a;
    t.parse += c - b;
    t.fold += d - c;
    n += events.length;
    if (events.length === 0) break;
    next = events.at(-1)!.seq + 1;
  }
  const perS = (ms: number, count = n) => Math.round(count / (ms / 1000));
  const hub = t.xrange / n + t.parse / n + t.answerJson / sampled + t.answerBrotli / sampled;
  return {
    events: n,
    eventsPerS: {
      xrange: perS(t.xrange),
      parse: perS(t.parse),
      fold: perS(t.fold),
      answerJson: perS(t.answerJson, sampled),
      answerBrotli: perS(t.answerBrotli, sampled),
      hubPath: Math.round(1000 / hub),
    },
    answerBytesPerEvent: Math.round(bytes / sampled),
    answerBrBytesPerEvent: Math.round(brBytes / sampled),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.argv[2] ?? 'redis://127.0.0.1:6379';
  const keys = redisKeys(process.argv[3] ?? 'bench-replay');
  const redis = await connectRedis(url, { name: 'replay-playback-bench' });
  try {
    const playback = await measurePlayback({ redis, keys, say: (l) => console.error(l) });
    const steps = process.env.EGRET_PLAYBACK_STEPS === '1' ? await stepFigures(redis, keys) : undefined;
    console.log(JSON.stringify({ playback, steps }, null, 2));
  } finally {
    await redis.close();
  }
}
