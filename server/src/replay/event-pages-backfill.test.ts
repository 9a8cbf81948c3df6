import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisKeys, type ReplayEventPage } from '@egret/protocol';
import { brotliDecompressSync } from 'node:zlib';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { EventPages, logEntryAt, readEventBytes, type PageAnswer } from './event-pages.ts';
import { RedisHistory } from './redis-history.ts';
import { BeforeHistoryError } from './replay-reader.ts';

/**
 * The log's pages on a restarted hub (the older history built in the background, newest first, within the memory
 * bound) and after a Redis failover that lost the newest entries or a log recreated (a kept page never serves
 * events the log no longer holds). Real Redis; pages of 100 events to stay light.
 */
const SIZE = 100;
const PAGES = 12;

/** A stored log entry's text as the commit script writes it; `era` tells two histories' events apart. */
const text = (seq: number, era = 'a') =>
  `{"seq":${seq},"at":${1_473_782_400_000 + seq * 1_000},"type":"case.reported","case":{"id":"BF-${era}-${seq}","note":"第 ${seq} 件 \\"${era}\\""}}`;

function events(page: PageAnswer): ReplayEventPage {
  const raw = page.encoding === 'br' ? brotliDecompressSync(page.body) : page.body;
  return JSON.parse(raw.toString('utf8')) as ReplayEventPage;
}

describe('replay pages on a restarted hub and after a Redis failover', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis?.close();
  });

  /** A namespace whose log holds seqs 1..count (`era`), its seq counter where the commit script leaves it. */
  async function log(count: number, era = 'a') {
    const keys = redisKeys(testNamespace('pages-bf'));
    const history = new RedisHistory(redis, keys);
    await append(history, 1, count, era);
    return history;
  }

  async function append(history: RedisHistory, from: number, to: number, era: string) {
    const m = redis.multi();
    for (let seq = from; seq <= to; seq++) m.xAdd(history.keys.log, `${seq}-0`, { e: text(seq, era) });
    m.set(history.keys.logSeq, String(to));
    await m.exec();
  }

  /** A Redis failover that lost the log's entries after `keep`: the promoted replica never had them. */
  async function lose(history: RedisHistory, keep: number) {
    const { log: key, logSeq } = history.keys;
    const gone = ((await redis.xRange(key, `${keep + 1}-0`, '+')) ?? []).map((e) => e.id);
    if (gone.length) await redis.xDel(key, gone);
    await redis.sendCommand(['XSETID', key, `${keep}-0`]);
    await redis.set(logSeq, String(keep));
  }

  const pagesOver = (
    history: RedisHistory,
    horizon: () => number,
    o: { maxBytes?: number; check?: boolean; onRead?: (page: number) => Promise<void> } = {},
  ) =>
    new EventPages({
      read: async (fromSeq, count) => {
        await o.onRead?.(Math.floor((fromSeq - 1) / SIZE));
        return readEventBytes(history, fromSeq, count); // as a hub reads them (pagesOf)
      },
      horizon: () => Promise.resolve(horizon()),
      pageSize: SIZE,
      readAhead: false,
      ...(o.maxBytes !== undefined && { maxBytes: o.maxBytes }),
      ...(o.check !== false && { entry: (seq: number) => logEntryAt(history, seq) }),
    });

  it('builds the older history after the newest pages, newest first, yielding between pages, each page once', async () => {
    const history = await log((PAGES + 2) * SIZE + 30);
    let horizon = PAGES * SIZE + 30;
    const order: number[] = [];
    const pages = pagesOver(history, () => horizon, {
      onRead: (page) => {
        order.push(page);
        // The history writer passes two more pages while page 6 is being built.
        if (page === 6) horizon = (PAGES + 2) * SIZE + 30;
        return Promise.resolve();
      },
    });
    let ticks = 0;
    const tick = setInterval(() => ticks++, 0);
    try {
      // A restarted hub: the newest 2 at first (warm), then the rest down to page 0 — the new ones first.
      expect(await pages.backfill('br', 2)).toBe(PAGES + 2);
    } finally {
      clearInterval(tick);
    }
    expect(order).toEqual([10, 11, 9, 8, 7, 6, 12, 13, 5, 4, 3, 2, 1, 0]);
    expect(ticks).toBeGreaterThan(0); // timers ran while it built
    expect(pages.entries).toBe(PAGES + 2);
    expect(pages.full).toBe(false);
    expect(await pages.backfill('br', 2)).toBe(0); // nothing left: each built once
    for (let n = 0; n < PAGES + 2; n++) expect((await pages.page(n, 'br')).kept).toBe(true);
    expect(pages.builds).toBe(PAGES + 2);
    // Closed (the hub stopping): it stops after the page it is building.
    const closing = pagesOver(history, () => horizon, {
      onRead: () => {
        closing.close();
        return Promise.resolve();
      },
    });
    expect(await closing.backfill('br', 2)).toBe(1);
  });

  it('stops at its memory bound rather than push newer pages out; older pages are then built when asked', async () => {
    const history = await log(PAGES * SIZE);
    const probe = pagesOver(history, () => PAGES * SIZE);
    await probe.warm('br', 1);
    const one = probe.bytes;
    const pages = pagesOver(history, () => PAGES * SIZE, { maxBytes: Math.floor(one * 5.5) });
    const built = await pages.backfill('br', 2);
    expect(pages.full).toBe(true);
    expect(pages.bytes).toBeLessThanOrEqual(pages.maxBytes);
    expect(built).toBeGreaterThanOrEqual(4);
    expect(built).toBeLessThan(PAGES);
    for (let n = PAGES - built; n < PAGES; n++) expect((await pages.page(n, 'br')).kept).toBe(true); // none pushed out
    expect((await pages.page(0, 'br')).kept).toBeUndefined(); // past the bound: built for the ask
    expect(events(await pages.page(0, 'br')).events).toHaveLength(SIZE);
  });

  it('after a failover lost the newest entries, never serves a kept page the log no longer holds', async () => {
    const history = await log(PAGES * SIZE);
    let horizon = PAGES * SIZE;
    const pages = pagesOver(history, () => horizon);
    await pages.backfill('br', PAGES);
    const before = await pages.page(PAGES - 1, 'br');
    expect(before.kept).toBe(true);

    // The failover lost the second half of the last page; the writer's horizon (replicated with it) went back too.
    await lose(history, PAGES * SIZE - SIZE / 2);
    horizon = PAGES * SIZE - SIZE / 2;
    const cut = await pages.page(PAGES - 1, 'br');
    expect(cut.kept).toBeUndefined();
    expect(cut.etag).toBeUndefined(); // the live tail now: built per ask, not kept
    const tail = events(cut);
    expect(tail.complete).toBe(false);
    expect(tail.events.map((e) => e.seq)).toEqual(
      Array.from({ length: SIZE / 2 }, (_, i) => PAGES * SIZE - SIZE + 1 + i),
    );
    expect(pages.invalidated).toBe(1);
    expect((await pages.page(PAGES - 2, 'br')).kept).toBe(true); // the page before is untouched

    // The new master hands those seqs out again to other events: the page is theirs.
    await append(history, PAGES * SIZE - SIZE / 2 + 1, PAGES * SIZE, 'b');
    horizon = PAGES * SIZE;
    const again = await pages.page(PAGES - 1, 'br');
    expect(again.etag).toBeDefined();
    expect(again.etag).not.toBe(before.etag);
    const page = events(again);
    expect(page.events).toHaveLength(SIZE);
    expect(JSON.stringify(page.events.at(-1))).toBe(text(PAGES * SIZE, 'b'));
    expect(JSON.stringify(page.events[0])).toBe(text(PAGES * SIZE - SIZE + 1, 'a'));

    // A loss reaching into an earlier page, written over before anyone asked: that page and every later one go.
    await lose(history, 7 * SIZE + 10);
    await append(history, 7 * SIZE + 11, PAGES * SIZE, 'c');
    const redone = await pages.page(7, 'br');
    expect(redone.kept).toBeUndefined();
    expect(JSON.stringify(events(redone).events.at(-1))).toBe(text(8 * SIZE, 'c'));
    expect(pages.entries).toBe(8); // pages 0-7: 8 to 11 were dropped with 7 (7 rebuilt)
    for (const n of [8, 9, 10]) {
      const p = await pages.page(n, 'br');
      expect(p.kept).toBeUndefined();
      expect(events(p).events.every((e) => JSON.stringify(e) === text(e.seq, 'c'))).toBe(true);
    }
    expect((await pages.page(6, 'br')).kept).toBe(true);
    // The same page asked again by a burst of screens: built once.
    const builds = pages.builds;
    await Promise.all([1, 2, 3].map(() => pages.page(PAGES - 1, 'br')));
    expect(pages.builds).toBe(builds + 1);
  });

  it('after the log was recreated (shorter, other events), and still serves pages the log was only trimmed past', async () => {
    const history = await log(PAGES * SIZE);
    let horizon = PAGES * SIZE;
    const pages = pagesOver(history, () => horizon);
    await pages.backfill('br', PAGES);
    expect(pages.entries).toBe(PAGES);
    // Trimmed (the hub's MAXLEN): the log no longer holds page 0's events, but they were never lost.
    await redis.xTrim(history.keys.log, 'MINID', `${2 * SIZE + 1}-0`);
    expect(await logEntryAt(history, SIZE)).toBe('trimmed');
    expect((await pages.page(0, 'br')).kept).toBe(true);
    // The stream deleted and written again, shorter and with other events (a namespace restored or rebuilt).
    await redis.del([history.keys.log]);
    await append(history, 1, 3 * SIZE, 'd');
    horizon = 3 * SIZE;
    const first = await pages.page(0, 'br');
    expect(first.kept).toBeUndefined();
    expect(JSON.stringify(events(first).events[0])).toBe(text(1, 'd'));
    expect(await logEntryAt(history, 5 * SIZE)).toBe('missing');
    const beyond = events(await pages.page(5, 'br'));
    expect(beyond.events).toEqual([]); // nothing the log no longer holds
    expect(beyond.complete).toBe(false);
    expect((await pages.page(2, 'br')).etag).toBeDefined(); // kept, of the recreated log
    // Without a check (entry) the stale page would still be sent: the check is what makes the difference.
    const unchecked = pagesOver(history, () => horizon, { check: false });
    await unchecked.backfill('br', PAGES);
    await redis.del([history.keys.log]);
    await append(history, 1, 3 * SIZE, 'e');
    expect(JSON.stringify(events(await unchecked.page(2, 'br')).events[0])).toBe(text(2 * SIZE + 1, 'd'));
    const checked = await pages.page(2, 'br');
    expect(checked.kept).toBeUndefined();
    expect(JSON.stringify(events(checked).events[0])).toBe(text(2 * SIZE + 1, 'e'));
  });
  it('lets the backfilled older pages go before the newest ones when the writer passes a page at the bound', async () => {
    const history = await log((PAGES + 1) * SIZE);
    let horizon = PAGES * SIZE;
    const probe = pagesOver(history, () => horizon);
    await probe.warm('br', 1);
    const pages = pagesOver(history, () => horizon, { maxBytes: Math.floor(probe.bytes * 5.5) });
    const built = await pages.backfill('br', 2);
    expect(pages.full).toBe(true);
    // The writer passes one more page: the oldest page kept goes, not the newest ones built first.
    horizon = (PAGES + 1) * SIZE;
    expect(await pages.warm('br', 2)).toBe(1);
    for (const n of [PAGES - 2, PAGES - 1, PAGES]) expect((await pages.page(n, 'br')).kept, `page ${n}`).toBe(true);
    expect((await pages.page(PAGES - built, 'br')).kept).toBeUndefined();
  });

  it('drops a page a failover changed even when the log is trimmed past it before anyone asks', async () => {
    const history = await log(PAGES * SIZE);
    let horizon = PAGES * SIZE;
    const pages = pagesOver(history, () => horizon);
    await pages.backfill('br', PAGES);
    // The failover lost the second half of the last page; its seqs are handed out again, then two more pages.
    await lose(history, PAGES * SIZE - SIZE / 2);
    await append(history, PAGES * SIZE - SIZE / 2 + 1, (PAGES + 2) * SIZE, 'b');
    horizon = (PAGES + 2) * SIZE;
    await pages.backfill('br', 2); // the hub's next round
    // Then the log is trimmed past the page: its last event is 'trimmed', which says nothing of what it was.
    await redis.xTrim(history.keys.log, 'MINID', `${PAGES * SIZE + 1}-0`);
    expect(await logEntryAt(history, PAGES * SIZE)).toBe('trimmed');
    // The first half of the page is still what it was, the rest is gone from Redis: no history holds the page.
    await expect(pages.page(PAGES - 1, 'br')).rejects.toThrow(BeforeHistoryError);
    expect((await pages.page(PAGES - 2, 'br')).kept).toBe(true); // the page before is untouched
  });
  it('drops every kept page a failover changed at the next round, even below a newer page already built anew', async () => {
    const history = await log(PAGES * SIZE);
    let horizon = PAGES * SIZE;
    const pages = pagesOver(history, () => horizon);
    await pages.backfill('br', PAGES);
    // The failover lost the log from the middle of page 9 on; the seqs are handed out again, and more.
    const keep = (PAGES - 3) * SIZE + SIZE / 2;
    await lose(history, keep);
    await append(history, keep + 1, (PAGES + 2) * SIZE, 'b');
    horizon = (PAGES + 2) * SIZE;
    // A screen asks for the newest page first: it is found stale and built anew (pages 9 and 10 are not asked).
    expect((await pages.page(PAGES - 1, 'br')).kept).toBeUndefined();
    expect((await pages.page(PAGES - 1, 'br')).kept).toBe(true);
    await pages.backfill('br', 2); // the hub's next round
    // The log is trimmed past page 9 before anyone asks for it: no history holds it now.
    await redis.xTrim(history.keys.log, 'MINID', `${(PAGES - 2) * SIZE + 1}-0`);
    await expect(pages.page(PAGES - 3, 'br')).rejects.toThrow(BeforeHistoryError);
    const ten = events(await pages.page(PAGES - 2, 'br'));
    expect(ten.events.every((e) => JSON.stringify(e) === text(e.seq, 'b'))).toBe(true);
  });
});
