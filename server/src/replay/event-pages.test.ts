import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import {
  EVENT_PAGE_SIZE,
  eventPageAfter,
  redisKeys,
  type Case,
  type LogEvent,
  type ReplayEventPage,
  type ReplayEvents,
} from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { EventPages, pageComplete, writerHorizon, type EventText } from './event-pages.ts';
import { pagesOf } from './event-pages-route.ts';
import { startHistoryWriter, type HistoryWriter } from './history-writer.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';
import { createReplay } from './index.ts';
import { replayRoutes } from './replay-routes.ts';

const T0 = Date.parse('2016-09-14T00:00:00+08:00');
const actor = { role: 'system', id: 'pages-test' } as const;
type Draft = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq'> : never) : never;
/** Two complete pages and a tail. */
const COUNT = 2 * EVENT_PAGE_SIZE + 700;

/**
 * A log as the commit script writes it (`{"seq":N,` + the event's JSON without its brace): cases reported and
 * rejected, some reported late (their `at` behind the one before), with text that JSON escapes — quotes,
 * backslashes, U+2028, an emoji, Chinese — and fractional coordinates.
 */
function storedLog(count: number): string[] {
  const out: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const i = Math.floor((seq - 1) / 2);
    const at = T0 + i * 7_000 - (i % 13 === 0 ? 50_000 : 0);
    const c: Case = {
      id: `EP-${i}`,
      category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树' },
      source: 'hotline',
      urgency: i % 5 === 0 ? 'urgent' : 'normal',
      position: [118.08 + (i % 97) * 0.000123, 24.45 + (i % 89) * 0.0001 + 0.1 + 0.2],
      address: `思明南路 ${i} 号 "东侧" \\ 路口`,
      district: '350203',
      description: `第 ${i} 棵行道树倒伏\u2028压住 🚗`,
      status: 'reported',
      reportedAt: at,
      supervised: false,
      history: [{ to: 'reported', at, actor }],
      photos: [],
      version: 1,
    };
    const draft: Draft =
      seq % 2 === 1
        ? { at, type: 'case.reported', case: c }
        : {
            at: at + 60_000,
            type: 'case.transitioned',
            from: 'reported',
            to: 'rejected',
            actor,
            reason: '重复上报',
            case: {
              ...c,
              status: 'rejected',
              history: [...c.history, { to: 'rejected', at: at + 60_000, actor, action: 'reject', reason: '重复' }],
              version: 2,
            },
          };
    out.push(`{"seq":${seq},${JSON.stringify(draft).slice(1)}`);
  }
  return out;
}

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with the headers given and nothing decoded (fetch would decompress). */
function get(url: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(got: Got): string {
  const enc = got.headers['content-encoding'];
  if (enc === 'br') return brotliDecompressSync(got.body).toString('utf8');
  if (enc === 'gzip') return gunzipSync(got.body).toString('utf8');
  expect(enc ?? 'identity').toBe('identity');
  return got.body.toString('utf8');
}

describe('replay events from the stored text, and the log in pages kept compressed', () => {
  let redis: Redis;
  let writer: HistoryWriter;
  let server: Server;
  let base = '';
  let reader: ReplayReader;
  let pages: EventPages;
  let horizon = 0;
  const keys = redisKeys(testNamespace('event-pages'));
  const stored = storedLog(COUNT);
  const events = stored.map((s) => JSON.parse(s) as LogEvent);
  const read = (fromSeq: number, count: number) =>
    reader.eventTextsBetween(fromSeq - 1, Number.MAX_SAFE_INTEGER, count);

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
    for (let i = 0; i < stored.length; i += 2_000) {
      const m = redis.multi();
      stored.slice(i, i + 2_000).forEach((e, k) => m.xAdd(keys.log, `${i + k + 1}-0`, { e }));
      await m.exec();
    }
    writer = startHistoryWriter({
      redis,
      keys,
      hubId: 'pages-test',
      logger: pino({ level: 'silent' }),
      blockMs: 100,
      settings: {
        snapshotEveryEvents: 500,
        snapshotEveryMinutes: 24 * 60,
        positionStepMs: 10_000,
        retentionDays: 3650,
        exportAfterDays: 0,
        archiveDir: 'unused',
      },
    });
    await writer.caughtUp(COUNT, 60_000);
    const history = new RedisHistory(redis, keys);
    horizon = await writerHorizon(history);
    reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: COUNT, at: events.at(-1)!.at }),
    });
    // The hub's pages (pagesOf, as createReplay makes them), but without reading ahead, so that builds can be counted.
    pages = new EventPages({ read, horizon: () => writerHorizon(history), readAhead: false });
    const own = () => pages;
    expect(pagesOf(() => reader)().pageSize).toBe(EVENT_PAGE_SIZE);
    const app = express();
    app.use(replayRoutes({ reader: () => reader, displayDir: '/nonexistent', pages: own }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 90_000);
  afterAll(async () => {
    await writer?.stop();
    await new Promise((r) => server?.close(r));
    await redis?.close();
  });

  /** What the handler answered before it read the stored text: `res.json` of the parsed events. */
  const before = async (from: number, to: number, afterSeq?: number, limit = 20_000): Promise<string> => {
    const end = await reader.seqAt(to);
    const after = afterSeq ?? (await reader.seqAt(from)).seq;
    const evs = await reader.eventsBetween(after, end.seq, limit);
    const body: ReplayEvents = {
      from,
      to,
      afterSeq: after,
      toSeq: end.seq,
      events: evs,
      truncated: (evs.at(-1)?.seq ?? after) < end.seq,
    };
    return JSON.stringify(body);
  };

  it('answers /events with the very bytes it sent when it parsed and stringified every event', async () => {
    expect(horizon).toBeGreaterThanOrEqual(2 * EVENT_PAGE_SIZE);
    const last = events.at(-1)!.at;
    const windows: Array<{ from: number; to: number; afterSeq?: number; limit?: number }> = [
      { from: T0 - 3_600_000, to: last + 60_000 }, // the whole log (truncated at 20,000: it is less)
      { from: T0 + 3_600_000, to: T0 + 2 * 3_600_000 },
      { from: T0 + 3_600_000, to: T0 + 9 * 3_600_000, limit: 777 }, // truncated
      { from: T0 + 3_600_000, to: T0 + 9 * 3_600_000, afterSeq: 4_095, limit: 3 },
      { from: T0 + 3_600_000, to: T0 + 9 * 3_600_000, afterSeq: 8_000 },
      { from: T0 + 3_600_000, to: T0 + 3_600_000 + 1 }, // no event in it
      { from: T0 + 6 * 3_600_000 + 17, to: last }, // across the horizon to the end
    ];
    for (const w of windows) {
      const q = new URLSearchParams({ from: String(w.from), to: String(w.to) });
      if (w.afterSeq !== undefined) q.set('afterSeq', String(w.afterSeq));
      if (w.limit !== undefined) q.set('limit', String(w.limit));
      const want = await before(w.from, w.to, w.afterSeq, w.limit);
      for (const enc of ['identity', 'gzip', 'br']) {
        const got = await get(`${base}/api/replay/events?${q}`, { 'accept-encoding': enc });
        expect(got.status, `${q} ${enc}`).toBe(200);
        expect(decoded(got), `${q} ${enc}`).toBe(want);
      }
    }
    // The windows above really carried events, late ones and truncation among them.
    const whole = JSON.parse(await before(T0 - 3_600_000, events.at(-1)!.at + 60_000)) as ReplayEvents;
    expect(whole.events).toHaveLength(COUNT);
    expect(JSON.parse(await before(T0 + 3_600_000, T0 + 9 * 3_600_000, undefined, 777)).truncated).toBe(true);
  });

  it('sends a complete page once compressed per encoding, with a strong ETag, then from memory', async () => {
    const builds = pages.builds;
    const first = await get(`${base}/api/replay/events?page=1`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('br');
    expect(first.headers.vary).toMatch(/accept-encoding/i);
    expect(first.headers['cache-control']).toBe('no-cache, no-transform');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{22}\.br"$/);
    const page = JSON.parse(decoded(first)) as ReplayEventPage;
    expect(page).toMatchObject({ page: 1, afterSeq: EVENT_PAGE_SIZE, toSeq: 2 * EVENT_PAGE_SIZE, complete: true });
    // The events, byte for byte as the window answer carries them.
    expect(JSON.stringify(page.events)).toBe(JSON.stringify(events.slice(EVENT_PAGE_SIZE, 2 * EVENT_PAGE_SIZE)));
    expect(decoded(first)).toContain(`"events":[${stored.slice(EVENT_PAGE_SIZE, 2 * EVENT_PAGE_SIZE).join(',')}]`);
    expect(pages.builds).toBe(builds + 1);

    const again = await get(`${base}/api/replay/events?page=1`, { 'accept-encoding': 'br' });
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.headers.etag).toBe(etag);
    expect(pages.builds).toBe(builds + 1);
    // Revalidated: 304, nothing sent.
    const revalidated = await get(`${base}/api/replay/events?page=1`, {
      'accept-encoding': 'br',
      'if-none-match': etag,
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);

    // Other encodings: the same text, another ETag; q-values and letter case are the client's to choose.
    const gz = await get(`${base}/api/replay/events?page=1`, { 'accept-encoding': 'br;q=0.5, GZIP' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.etag).not.toBe(etag);
    expect(decoded(gz)).toBe(decoded(first));
    const plain = await get(`${base}/api/replay/events?page=1`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(decoded(plain)).toBe(decoded(first));
    // An old ETag of another encoding does not turn into a 304.
    expect(
      (await get(`${base}/api/replay/events?page=1`, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status,
    ).toBe(200);
    const deflateOnly = await get(`${base}/api/replay/events?page=1`, { 'accept-encoding': 'deflate' });
    expect(deflateOnly.headers['content-encoding']).toBeUndefined(); // no-transform: not recompressed
    expect(decoded(deflateOnly)).toBe(decoded(first));
  });

  it('builds a page once for a burst of the same ask', async () => {
    const builds = pages.builds;
    const got = await Promise.all(
      Array.from({ length: 20 }, () => get(`${base}/api/replay/events?page=0`, { 'accept-encoding': 'gzip' })),
    );
    expect(pages.builds).toBe(builds + 1);
    expect(new Set(got.map((g) => g.body.toString('base64'))).size).toBe(1);
    const page = JSON.parse(decoded(got[0]!)) as ReplayEventPage;
    expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: EVENT_PAGE_SIZE }, (_, i) => i + 1));
    expect(page.complete).toBe(true);
  });

  it('answers the tail above the horizon fresh every time, compressed as any answer, never kept', async () => {
    const n = eventPageAfter(2 * EVENT_PAGE_SIZE);
    const builds = pages.builds;
    const held = pages.entries;
    for (let i = 0; i < 2; i++) {
      const got = await get(`${base}/api/replay/events?page=${n}`, { 'accept-encoding': 'br' });
      expect(got.status).toBe(200);
      expect(got.headers.etag ?? 'W/').toMatch(/^W\//); // at most Express's own weak one
      expect(got.headers['cache-control']).toBe('no-store');
      const page = JSON.parse(decoded(got)) as ReplayEventPage;
      expect(page).toMatchObject({ page: n, afterSeq: 2 * EVENT_PAGE_SIZE, toSeq: COUNT, complete: false });
      expect(page.events).toHaveLength(COUNT - 2 * EVENT_PAGE_SIZE);
    }
    expect(pages.builds).toBe(builds + 2);
    expect(pages.entries).toBe(held);
    // Past the end of the log: an empty page, not complete.
    const empty = JSON.parse(decoded(await get(`${base}/api/replay/events?page=${n + 5}`))) as ReplayEventPage;
    expect(empty).toMatchObject({ complete: false, events: [], toSeq: (n + 5) * EVENT_PAGE_SIZE });
  });

  it('refuses a page that is not a plain page number, or comes with a window, with a 400 and a reason', async () => {
    const asks = [
      'page=-1',
      'page=1.5',
      'page=0x1',
      'page=1e3',
      'page=%201',
      'page=01',
      'page=',
      'page=1&page=2',
      'page=99999999999999999999',
      'page=1&from=1&to=2',
      'page=1&afterSeq=4096',
      'page=1&limit=5',
      'page=%E4%B8%80',
    ];
    for (const q of asks) {
      const got = await get(`${base}/api/replay/events?${q}`);
      expect(got.status, q).toBe(400);
      const body = JSON.parse(got.body.toString('utf8')) as { error: string; message: string };
      expect(body.error, q).toBe('bad_request');
      expect(body.message, q).toMatch(/page/);
    }
    // The window's own guards, as before.
    for (const q of ['from=1&to=2', 'afterSeq=-1&from=T&to=U', 'limit=0&from=T&to=U', 'limit=20001&from=T&to=U']) {
      const withTimes = q.replace('T', String(T0)).replace('U', String(T0 + 60_000));
      const got = await get(`${base}/api/replay/events?${withTimes}`);
      expect(got.status, q).toBe(400);
    }
    expect((await get(`${base}/api/replay/events?PAGE=1`)).status).toBe(400); // not a page: a window without times
  });

  it('keeps no more compressed bytes than its bound, the least recently used going first', async () => {
    const one = (await pages.page(0, 'gzip')).body.length;
    const bounded = new EventPages({
      read,
      horizon: () => Promise.resolve(horizon),
      maxBytes: Math.round(one * 1.5),
      readAhead: false,
    });
    await bounded.page(0, 'gzip');
    expect(bounded.bytes).toBe(one);
    await bounded.page(1, 'gzip'); // page 0 goes
    expect(bounded.bytes).toBeLessThanOrEqual(bounded.maxBytes);
    expect(bounded.entries).toBe(1);
    const builds = bounded.builds;
    await bounded.page(1, 'gzip');
    expect(bounded.builds).toBe(builds);
    await bounded.page(0, 'gzip');
    expect(bounded.builds).toBe(builds + 1);
    // A page bigger than the whole bound is sent but not kept.
    const tiny = new EventPages({ read, horizon: () => Promise.resolve(horizon), maxBytes: 1_000, readAhead: false });
    expect((await tiny.page(0, 'br')).etag).toBeDefined();
    expect(tiny.bytes).toBe(0);
    expect(tiny.entries).toBe(0);
  });

  it('builds the page after a complete one ahead, so that a screen playing forward finds it ready', async () => {
    const ahead = new EventPages({ read, horizon: () => Promise.resolve(horizon) });
    await ahead.page(0, 'br');
    expect(ahead.builds).toBe(2); // page 0, and page 1 begun
    for (let i = 0; ahead.entries < 2; i++) {
      if (i > 600) throw new Error('page 1 was never built ahead');
      await new Promise((r) => setTimeout(r, 50));
    }
    const one = await ahead.page(1, 'br');
    expect(one.etag).toBeDefined();
    expect(ahead.builds).toBe(3); // page 1 came from the cache; page 2 (the tail) begun
    const tail = await ahead.page(2, 'br');
    expect(tail.etag).toBeUndefined();
    expect(ahead.builds).toBe(3); // the build begun ahead answered it; the tail is not kept, reads nothing ahead
    expect(ahead.entries).toBe(2);
    await ahead.page(2, 'br');
    expect(ahead.builds).toBe(4); // asked again: built again
  });

  it('builds the final pages before anyone asks, each once, the newest ones first when there are many', async () => {
    const warmed = new EventPages({ read, horizon: () => Promise.resolve(horizon), readAhead: false });
    expect(await warmed.warm()).toBe(2); // pages 0 and 1 in brotli; the tail is not final
    expect(warmed.entries).toBe(2);
    const builds = warmed.builds;
    expect(await warmed.warm()).toBe(0);
    expect((await warmed.page(1, 'br')).etag).toBeDefined();
    expect(warmed.builds).toBe(builds);
    const newest = new EventPages({ read, horizon: () => Promise.resolve(horizon), readAhead: false });
    expect(await newest.warm('br', 1)).toBe(1);
    await newest.page(1, 'br');
    expect(newest.builds).toBe(1); // page 1 was the one built
  });

  it('is built by a hub as the history writer passes it, before any screen asks for it', async () => {
    const replay = createReplay({
      config: loadConfig(),
      keys,
      hubId: 'pages-test-hub',
      logger: pino({ level: 'silent' }),
      displayDir: '/nonexistent',
      redis,
      realNow: Date.now,
      live: () => undefined,
      warmEveryMs: 50,
    });
    const app = express();
    app.use(replay.routes);
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    replay.start();
    try {
      for (let i = 0; replay.pages().entries < 2; i++) {
        if (i > 600) throw new Error(`the hub never built the final pages: ${replay.pages().entries}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(replay.pages().builds).toBe(2); // pages 0 and 1, once each, however many times the timer ran
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/replay/events`;
      const first = await get(`${url}?page=1`, { 'accept-encoding': 'br' });
      expect(first.headers['server-timing']).toBe('page;desc="kept"');
      expect(JSON.parse(decoded(first))).toMatchObject({ page: 1, complete: true });
      const tail = await get(`${url}?page=2`, { 'accept-encoding': 'br' });
      expect(tail.headers['server-timing']).toBe('page;desc="built"');
    } finally {
      await replay.stop();
      await new Promise((r) => s.close(r));
    }
  });

  it('is built by a restarted hub for its older history too, in the background, after the newest', async () => {
    // Only the newest page first (a hub's 32 of 4,096 events, scaled down): page 0 is older history.
    const replay = createReplay({
      config: loadConfig(),
      keys,
      hubId: 'pages-test-restarted',
      logger: pino({ level: 'silent' }),
      displayDir: '/nonexistent',
      redis,
      realNow: Date.now,
      live: () => undefined,
      warmEveryMs: 50,
      warmPages: 1,
    });
    replay.start();
    try {
      for (let i = 0; replay.pages().entries < 2; i++) {
        if (i > 600) throw new Error(`the hub never built its older pages: ${replay.pages().entries}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(replay.pages().builds).toBe(2);
      expect((await replay.pages().page(0, 'br')).kept).toBe(true);
      expect(replay.pages().full).toBe(false);
    } finally {
      await replay.stop();
    }
  });

  it('judges a page complete only when it holds every seq and lies at or below the horizon', () => {
    const page = (from: number, n: number): EventText[] =>
      Array.from({ length: n }, (_, i) => ({ seq: from + i, text: '{}' }));
    expect(pageComplete(1, page(5, 4), 8, 4)).toBe(true);
    expect(pageComplete(1, page(5, 4), 7, 4)).toBe(false); // the last one above the horizon
    expect(pageComplete(1, page(5, 3), 8, 4)).toBe(false);
    expect(pageComplete(1, page(6, 4), 9, 4)).toBe(false); // trimmed: starts late
    expect(pageComplete(1, [...page(5, 2), ...page(8, 2)], 9, 4)).toBe(false); // a hole
  });

  it('answers a page the log was trimmed past as a seek there does: 404 before_history; a page cut into: not complete', async () => {
    await redis.xTrim(keys.log, 'MINID', `${EVENT_PAGE_SIZE + 100}-0`);
    const fresh = new EventPages({ read, horizon: () => Promise.resolve(horizon) });
    await expect(fresh.page(0, 'br')).rejects.toThrow(/no history is kept/);
    const cut = await fresh.page(1, 'br');
    expect(cut.etag).toBeUndefined();
    const body = JSON.parse(cut.body.toString('utf8')) as ReplayEventPage;
    expect(body.complete).toBe(false);
    expect(body.events[0]!.seq).toBe(EVENT_PAGE_SIZE + 100);
    // Through the route (the hub's own pages were built before the trim: page 0 is still the same final bytes).
    const gone = new EventPages({ read, horizon: () => Promise.resolve(horizon) });
    const app = express();
    app.use(replayRoutes({ reader: () => reader, displayDir: '/nonexistent', pages: () => gone }));
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    try {
      const got = await get(`http://127.0.0.1:${(s.address() as AddressInfo).port}/api/replay/events?page=0`);
      expect(got.status).toBe(404);
      expect(JSON.parse(got.body.toString('utf8'))).toMatchObject({ error: 'before_history' });
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});
