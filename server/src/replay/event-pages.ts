import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { RESP_TYPES } from 'redis';
import { EVENT_PAGE_SIZE, type LogEvent, type ReplayEventPage, type ReplayEvents } from '@egret/protocol';
import type { HistoryPart } from './history-part.ts';
import { RedisHistory } from './redis-history.ts';
import { BeforeHistoryError } from './replay-reader.ts';

/**
 * Replay's log events as the text they are stored as, and pages of them kept compressed (issue #19: playback at
 * 3600× through the hub). The log never changes below the history writer's horizon, so an answer need not parse
 * each event and stringify it again, and a page of it need not be compressed twice.
 */

/** One log event as stored: its seq and its JSON text (what `JSON.stringify` of the parsed event gives). */
export interface EventText {
  seq: number;
  text: string;
}

/** One log event as stored, as the UTF-8 bytes Redis holds: a page is joined from them without decoding them. */
export interface EventBytes {
  seq: number;
  bytes: Buffer;
}

/** An event a page is made of: as text, or as the bytes Redis holds (the hub's: `readEventBytes`). */
export type PageEvent = EventText | EventBytes;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The encodings a page is sent in, best first when a client accepts several equally. */
export const PAGE_ENCODINGS = ['br', 'gzip', 'identity'] as const;
export type PageEncoding = (typeof PAGE_ENCODINGS)[number];

/** Compressed pages kept per hub by default: the 72-hour typhoon's 702,584 events are ~46 MB in brotli (171 pages). */
export const PAGE_CACHE_BYTES = 64 * 1024 * 1024;
/** Newest pages a hub builds ahead of any ask when it starts (`warm`): ~130,000 events, the storm's busiest two hours. */
export const WARM_PAGES = 32;

type Entry = { id: string; message: Record<string, string> };

/**
 * Up to `count` stored events from `fromSeq` on in one part (the first may be later than asked when that part
 * lacks `fromSeq`). Redis gives the commit script's text as it is; a part holding parsed events (the archive)
 * stringifies them, as the answer always did.
 */
export async function readEventTexts(part: HistoryPart, fromSeq: number, count: number): Promise<EventText[]> {
  if (part instanceof RedisHistory) {
    const entries = ((await part.redis.xRange(part.keys.log, `${fromSeq}-0`, '+', { COUNT: count })) ?? []) as Entry[];
    return entries.map((e) => {
      const text = e.message.e;
      if (text === undefined) throw new Error(`log entry ${e.id} has no field e`);
      return { seq: Number(e.id.slice(0, e.id.indexOf('-'))), text };
    });
  }
  return (await part.readEvents(fromSeq, count)).map((e: LogEvent) => ({ seq: e.seq, text: JSON.stringify(e) }));
}

/**
 * `readEventTexts` as the stored UTF-8 bytes: Redis's reply is not decoded into strings, and a page is joined from
 * it by copying (a third of the CPU of a page built from text: docs/performance.md). A part holding parsed events
 * (the archive) stringifies them.
 */
export async function readEventBytes(part: HistoryPart, fromSeq: number, count: number): Promise<EventBytes[]> {
  if (part instanceof RedisHistory) {
    const raw = part.redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const entries = ((await raw.xRange(part.keys.log, `${fromSeq}-0`, '+', { COUNT: count })) ?? []) as Array<{
      id: Buffer | string;
      message: Record<string, Buffer>;
    }>;
    return entries.map((e) => {
      const id = String(e.id);
      const bytes = e.message.e;
      if (bytes === undefined) throw new Error(`log entry ${id} has no field e`);
      return { seq: Number(id.slice(0, id.indexOf('-'))), bytes };
    });
  }
  return (await part.readEvents(fromSeq, count)).map((e: LogEvent) => ({
    seq: e.seq,
    bytes: Buffer.from(JSON.stringify(e)),
  }));
}

const COMMA = Buffer.from(',');
/** A page event's bytes. */
const bytesOf = (e: PageEvent): Buffer => ('bytes' in e ? e.bytes : Buffer.from(e.text));
/** A page event's text. */
const textOf = (e: PageEvent): EventText => ('bytes' in e ? { seq: e.seq, text: e.bytes.toString('utf8') } : e);

/**
 * The history writer's horizon: the seq it has folded the log to (`{ns}:replay:cursor` countedSeq, written by
 * whichever hub leads, after each batch). The log at and below it has been read, in order without a hole, and is
 * final. Its newest snapshot would do too, but lags by up to half the hot entities' count in events.
 */
export async function writerHorizon(history: RedisHistory): Promise<number> {
  return Number((await history.redis.hGet(history.keys.replayCursor, 'countedSeq')) ?? 0);
}

/**
 * What the log holds at `seq` now, for checking a kept page against it (`EventPagesDeps.entry`): the entry's stored
 * text; `trimmed` when the log was trimmed past it but has handed out that seq (history older than the log, kept
 * elsewhere or not at all: never lost to a failover, which loses the newest writes); `missing` when the log has not
 * reached it (a failover lost it, or the stream was recreated shorter).
 */
export async function logEntryAt(history: RedisHistory, seq: number): Promise<string | 'trimmed' | 'missing'> {
  const { redis, keys } = history;
  const [entry] = ((await redis.xRange(keys.log, `${seq}-0`, `${seq}-0`)) ?? []) as Entry[];
  if (entry?.message.e !== undefined) return entry.message.e;
  return Number((await redis.get(keys.logSeq)) ?? 0) >= seq ? 'trimmed' : 'missing';
}

/** `ReplayEvents` as JSON text, its events copied as stored: the bytes `JSON.stringify(body)` gave. */
export function eventsAnswerJson(head: Omit<ReplayEvents, 'events' | 'truncated'>, events: EventText[]): Buffer {
  const truncated = (events.at(-1)?.seq ?? head.afterSeq) < head.toSeq;
  const n = JSON.stringify;
  return Buffer.from(
    `{"from":${n(head.from)},"to":${n(head.to)},"afterSeq":${n(head.afterSeq)},"toSeq":${n(head.toSeq)},` +
      `"events":[${events.map((e) => e.text).join(',')}],"truncated":${truncated}}`,
  );
}

/** The seqs page `n` holds: (afterSeq, toSeq]. */
export function pageBounds(n: number, size = EVENT_PAGE_SIZE): { afterSeq: number; toSeq: number } {
  return { afterSeq: n * size, toSeq: (n + 1) * size };
}

/** Whether `events` are the whole page `n` (every seq of it, in order) and it lies at or below the horizon. */
export function pageComplete(
  n: number,
  events: ReadonlyArray<{ seq: number }>,
  horizon: number,
  size = EVENT_PAGE_SIZE,
): boolean {
  const { afterSeq, toSeq } = pageBounds(n, size);
  if (toSeq > horizon || events.length !== size) return false;
  return events.every((e, i) => e.seq === afterSeq + 1 + i);
}

/** `ReplayEventPage` as JSON text, its events copied as stored. */
export function pageJson(n: number, events: PageEvent[], complete: boolean, size = EVENT_PAGE_SIZE): Buffer {
  const { afterSeq } = pageBounds(n, size);
  const body: Omit<ReplayEventPage, 'events'> = {
    page: n,
    afterSeq,
    toSeq: events.at(-1)?.seq ?? afterSeq,
    complete,
  };
  const parts: Buffer[] = [
    Buffer.from(
      `{"page":${body.page},"afterSeq":${body.afterSeq},"toSeq":${body.toSeq},"complete":${body.complete},"events":[`,
    ),
  ];
  events.forEach((e, i) => {
    if (i) parts.push(COMMA);
    parts.push(bytesOf(e));
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

/** A page as sent: its body in one encoding, and whether (and under which strong ETag) it may be kept. */
export interface PageAnswer {
  body: Buffer;
  encoding: PageEncoding;
  /** The page is complete (`pageComplete`): it never changes, so it carries a strong ETag. */
  etag: string | undefined;
  /** Sent from the cache (built earlier: by an ask, read ahead or `warm`). */
  kept?: boolean;
  /** A kept page's last event as stored: checked against the log before the page is sent again (`entry`). */
  last?: EventText;
}

export interface EventPagesDeps {
  /** Up to `count` stored events from `fromSeq` on, in seq order (starting later where the log was trimmed). */
  read: (fromSeq: number, count: number) => Promise<PageEvent[]>;
  /** The seq at or below which the log is final (the hub's: `writerHorizon`). */
  horizon: () => Promise<number>;
  /** Bytes of compressed pages kept (default `PAGE_CACHE_BYTES`). */
  maxBytes?: number;
  /** Events per page (default `EVENT_PAGE_SIZE`; tests use fewer). */
  pageSize?: number;
  /** Build the page after a complete one as soon as it is answered (default true). */
  readAhead?: boolean;
  /**
   * What the log holds at a seq now (the hub's: `logEntryAt`). A kept page is sent again only while the log still
   * holds its last event as it was: after a Redis failover that lost the newest writes (their seqs then handed out
   * again to other events) or a log recreated, the page and every later one are dropped and built anew from the log.
   * The log only ever loses its newest entries (a failover) or its oldest (trim), so a page whose last event is
   * still there unchanged holds what the log holds. A last event `trimmed` proves nothing of what it was, so each
   * `backfill` round (the hub's, every few seconds) also checks every kept page: one a failover changed is dropped
   * before a trim passes it.
   * Without it, kept pages are never checked (tests, the bench).
   */
  entry?: (seq: number) => Promise<string | 'trimmed' | 'missing'>;
}

/** Lets live work (socket fan-out, ingest) run between two pages built in the background. */
const yieldToLive = () => new Promise<void>((r) => setImmediate(r));

/**
 * Pages of the log, kept compressed in a least-recently-used cache bounded by bytes: a complete page is read,
 * joined from its stored text and compressed once per encoding asked, then every later ask for it (any screen,
 * any replay of that stretch) is a copy. Asks for a page being built wait for that build (a burst builds once).
 * A page that is not complete (the live tail above the horizon, or one the log's trim cut into) is built for
 * every ask and never kept.
 */
export class EventPages {
  private readonly cache = new Map<string, PageAnswer>();
  private readonly building = new Map<string, Promise<PageAnswer>>();
  private size = 0;
  /** Pages built from the log (cache misses), for tests and the bench. */
  builds = 0;
  readonly maxBytes: number;
  readonly pageSize: number;
  private readonly readAhead: boolean;
  /** Kept pages found stale against the log (`entry`) and dropped with every later one. */
  invalidated = 0;
  /** The last page `warm` has seen to. */
  private warmedTo = -1;
  /** The oldest page `warm` or `backfill` has seen to: `backfill` goes on below it. */
  private lowest = Number.POSITIVE_INFINITY;
  /** The largest page kept so far: what `backfill` expects the next one to take. */
  private largest = 0;
  /** Whether `backfill` stopped at the memory bound (older pages are built when asked). */
  full = false;
  private closed = false;

  constructor(private readonly d: EventPagesDeps) {
    this.maxBytes = d.maxBytes ?? PAGE_CACHE_BYTES;
    this.pageSize = d.pageSize ?? EVENT_PAGE_SIZE;
    this.readAhead = d.readAhead ?? true;
  }

  /** Bytes held now (never more than `maxBytes`). */
  get bytes(): number {
    return this.size;
  }

  /** Pages held now, in any encoding. */
  get entries(): number {
    return this.cache.size;
  }

  /**
   * Page `n` in `encoding`: from the cache, or built (and kept if complete). Once a complete page is answered, the
   * next one is built ahead (`readAhead`): a screen playing forward asks for it next, and finds it ready.
   */
  async page(n: number, encoding: PageEncoding): Promise<PageAnswer> {
    let kept = this.cache.get(`${n}:${encoding}`);
    if (kept && !(await this.stillHeld(kept))) {
      this.dropFrom(n);
      kept = undefined;
    }
    const answer = await this.get(n, encoding);
    if (answer.etag && this.readAhead && !this.cache.has(`${n + 1}:${encoding}`))
      this.get(n + 1, encoding).catch(() => {}); // asked for real, it will be built again and fail loudly then
    return kept ? { ...answer, kept: true } : answer;
  }

  /** Whether the log still holds a kept page's last event as it was (always, without `entry`). */
  private async stillHeld(answer: PageAnswer): Promise<boolean> {
    if (!this.d.entry || !answer.last) return true;
    const now = await this.d.entry(answer.last.seq);
    return now === 'trimmed' || now === answer.last.text;
  }

  /**
   * Checks every kept page against the log (`entry`: one read each, sent together) and drops from the oldest that
   * no longer holds: without it, a page whose seqs a failover handed out again and that nobody asked for would be
   * sent as it was once the log's trim passed it (its last event then only `trimmed`). Every page, not the newest
   * down to one that holds: a newer page may already have been built anew from the log by an ask.
   */
  private async recheck(): Promise<void> {
    if (!this.d.entry) return;
    const kept = new Map<number, PageAnswer>();
    for (const [key, v] of this.cache) kept.set(Number(key.slice(0, key.indexOf(':'))), v);
    const stale = await Promise.all([...kept].map(async ([n, v]) => ((await this.stillHeld(v)) ? Infinity : n)));
    const from = Math.min(Infinity, ...stale);
    if (from !== Infinity) this.dropFrom(from);
  }

  /** Forgets page `n` and every later one (the log changed at or before `n`'s end): they are built again when asked. */
  private dropFrom(n: number): void {
    this.invalidated++;
    for (const [key, v] of this.cache) {
      if (Number(key.slice(0, key.indexOf(':'))) < n) continue;
      this.cache.delete(key);
      this.size -= v.body.length;
    }
    this.warmedTo = Math.min(this.warmedTo, n - 1);
    this.lowest = Math.min(this.lowest, n);
  }

  /**
   * Builds the complete pages not kept yet, oldest first — from where the last call stopped, and at most the newest
   * `maxPages` — so that the first screen to play a stretch of recent history finds it compressed, as every later
   * one does. A hub calls it every few seconds: as the history writer passes a page, the page is built (9–13 µs of
   * CPU an event: 0.03 % of a core at the storm's live rate, 15 % for a drill played at 600×; docs/performance.md).
   * Returns the pages built.
   */
  async warm(encoding: PageEncoding = 'br', maxPages = WARM_PAGES): Promise<number> {
    const last = Math.floor((await this.d.horizon()) / this.pageSize) - 1; // the newest page wholly final
    let built = 0;
    for (let n = Math.max(this.warmedTo + 1, last - maxPages + 1, 0); n <= last && !this.closed; n++) {
      if (!this.cache.has(`${n}:${encoding}`)) {
        // A page trimmed away (before_history) is nobody's to play: pass it.
        if ((await this.get(n, encoding).catch(() => undefined))?.etag) built++;
      }
      this.warmedTo = n;
      this.lowest = Math.min(this.lowest, n);
    }
    return built;
  }

  /**
   * Builds the older final pages `warm` left (a hub restarted over a long history), newest first, one at a time,
   * yielding to live work after each, and before each building first any page the history writer passed meanwhile
   * (`warm`) — so that a restarted hub plays any stretch of its history as fast as one it has played before. Stops
   * at the memory bound rather than push out newer pages (`full`: the older pages are then built when asked, kept by
   * the LRU as any), at history's start (page 0, or a page trimmed away), on `close`, or on a failed read (the next
   * call goes on). Checks the kept pages against the log first (`recheck`). Returns the pages built.
   */
  async backfill(encoding: PageEncoding = 'br', maxPages = WARM_PAGES): Promise<number> {
    await this.recheck();
    let built = await this.warm(encoding, maxPages);
    while (!this.closed && this.lowest !== Number.POSITIVE_INFINITY && this.lowest > 0) {
      if (this.size + this.largest > this.maxBytes) {
        this.full = true;
        break;
      }
      const n = this.lowest - 1;
      if (!this.cache.has(`${n}:${encoding}`)) {
        try {
          if ((await this.get(n, encoding)).etag) built++;
          this.coldest(`${n}:${encoding}`);
        } catch (err) {
          if (!(err instanceof BeforeHistoryError)) throw err;
          this.lowest = 0; // trimmed away: so is everything older
          break;
        }
      }
      this.lowest = Math.min(this.lowest, n);
      await yieldToLive();
      built += await this.warm(encoding, maxPages);
    }
    return built;
  }

  /** Stops `warm` and `backfill` after the page they are building. */
  close(): void {
    this.closed = true;
  }

  private async get(n: number, encoding: PageEncoding): Promise<PageAnswer> {
    const key = `${n}:${encoding}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // most recently used last
      this.cache.set(key, hit);
      return hit;
    }
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(n, encoding).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  private async build(n: number, encoding: PageEncoding): Promise<PageAnswer> {
    this.builds++;
    const { afterSeq, toSeq } = pageBounds(n, this.pageSize);
    // The horizon first: a page judged complete against it was final before it was read.
    const horizon = await this.d.horizon();
    const read = await this.d.read(afterSeq + 1, this.pageSize);
    // Every event kept lies after the page: it was trimmed away, and no part holds it (as a seek there answers).
    if (read.length > 0 && read[0]!.seq > toSeq)
      throw new BeforeHistoryError(`no history is kept for the events ${afterSeq + 1} to ${toSeq} (page ${n})`);
    const events = read.filter((e) => e.seq <= toSeq);
    const complete = pageComplete(n, events, horizon, this.pageSize);
    const text = pageJson(n, events, complete, this.pageSize);
    if (!complete) return { body: text, encoding: 'identity', etag: undefined };
    const body = await encode(text, encoding);
    const hash = createHash('sha256').update(text).digest('base64url').slice(0, 22);
    const answer: PageAnswer = { body, encoding, etag: `"${hash}.${encoding}"`, last: textOf(events.at(-1)!) };
    this.keep(`${n}:${encoding}`, answer);
    return answer;
  }

  /**
   * Moves a kept page to the least recently used end: an older page built in the background is let go before the
   * newer ones (otherwise the newest pages, built first, would be the first the writer's next pages push out).
   */
  private coldest(key: string): void {
    const answer = this.cache.get(key);
    if (!answer) return;
    const rest = [...this.cache].filter(([k]) => k !== key);
    this.cache.clear();
    this.cache.set(key, answer);
    for (const [k, v] of rest) this.cache.set(k, v);
  }

  private keep(key: string, answer: PageAnswer): void {
    if (answer.body.length > this.maxBytes) return;
    this.cache.set(key, answer);
    this.size += answer.body.length;
    this.largest = Math.max(this.largest, answer.body.length);
    for (const [k, v] of this.cache) {
      if (this.size <= this.maxBytes) break;
      this.cache.delete(k);
      this.size -= v.body.length;
    }
  }
}

/**
 * A page's text in an encoding: brotli at quality 4, as the API's answers (http/compress.ts) — 6 made the typhoon's
 * pages ~25 % smaller (bench replay-playback.ts) for twice the CPU per page, and the first playback of a stretch,
 * which pays it, is the one short of 3600× (docs/performance.md); gzip at its default. On libuv's pool: the hub
 * serves meanwhile.
 */
function encode(text: Buffer, encoding: PageEncoding): Promise<Buffer> {
  if (encoding === 'br')
    return brotli(text, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 4,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      },
    });
  if (encoding === 'gzip') return gzipAsync(text, { level: 6 });
  return Promise.resolve(text);
}
