import type express from 'express';
import Negotiator from 'negotiator';
import { EVENT_PAGE_SIZE } from '@egret/protocol';
import { EventPages, PAGE_ENCODINGS, type EventPagesDeps, type PageEncoding } from './event-pages.ts';
import type { ReplayReader } from './replay-reader.ts';

/** The highest page number asked for: the page of the greatest safe seq. */
export const MAX_PAGE = Math.floor(Number.MAX_SAFE_INTEGER / EVENT_PAGE_SIZE) - 1;

/** The parameters `/events?page=` answers; any other (from, to, afterSeq, limit…) is a mistake with `page`. */
const PAGE_PARAMS = new Set(['page']);

/**
 * The log's pages read through a reader, made when first asked for. `horizon`: the seq at or below which the log is
 * final (the hub's: `writerHorizon`); without one nothing is final, so nothing is kept and every page
 * is answered as the live tail is.
 */
export function pagesOf(
  reader: () => ReplayReader,
  horizon: () => Promise<number> = () => Promise.resolve(0),
  entry?: EventPagesDeps['entry'],
): () => EventPages {
  let pages: EventPages | undefined;
  return () =>
    (pages ??= new EventPages({
      read: (fromSeq, count) => reader().eventBytesBetween(fromSeq - 1, Number.MAX_SAFE_INTEGER, count),
      horizon,
      ...(entry && { entry }),
    }));
}

/** Negotiator 1.x's second argument (its typings know only the first). */
type Negotiating = { encodings(available: readonly string[], opts: { preferred: readonly string[] }): string[] };

/**
 * The encoding to send a page in: the client's highest q among brotli, gzip and none, brotli first on a tie —
 * Chromium sends `gzip, deflate, br, zstd`, and `req.acceptsEncodings` would take its order (gzip) over ours.
 */
export function pageEncoding(req: express.Request): PageEncoding {
  const [best] = (new Negotiator(req) as unknown as Negotiating).encodings(PAGE_ENCODINGS, {
    preferred: PAGE_ENCODINGS,
  });
  return best === 'br' || best === 'gzip' ? best : 'identity';
}

function bad(res: express.Response, message: string): void {
  res.status(400).json({ error: 'bad_request', message });
}

/**
 * `GET /api/replay/events?page=N` (`ReplayEventPage`). A complete page comes from the cache in the encoding the
 * client prefers (brotli, gzip or none), with a strong ETag — an `If-None-Match` that names it gets a 304 — and
 * `no-cache`, so a browser asks again (the hub's namespace could be rebuilt) but never downloads a page twice. An
 * incomplete one (the live tail, a trimmed stretch) is built for each ask, compressed by the API's middleware as
 * any answer, and `no-store`.
 */
export async function sendEventPage(req: express.Request, res: express.Response, pages: EventPages): Promise<void> {
  const raw = req.query.page;
  // Strict decimal: `page=0x10`, `page=1e3`, `page= 5` and `page=-0` are not pages (the number would key the cache).
  if (typeof raw !== 'string' || !/^(0|[1-9]\d{0,15})$/.test(raw) || Number(raw) > MAX_PAGE) {
    bad(res, `page=${String(raw)}: expected a whole number from 0 to ${MAX_PAGE}`);
    return;
  }
  const extra = Object.keys(req.query).filter((k) => !PAGE_PARAMS.has(k));
  if (extra.length) {
    bad(res, `page: ask either page= alone or from=&to=[&afterSeq=&limit=], not page with ${extra.join(', ')}`);
    return;
  }
  const encoding = pageEncoding(req);
  const answer = await pages.page(Number(raw), encoding);
  res.vary('Accept-Encoding');
  res.type('application/json');
  // For operators (the browser's network panel): whether the hub had the page or built it for this ask.
  res.set('Server-Timing', `page;desc="${answer.kept ? 'kept' : 'built'}"`);
  if (!answer.etag) {
    res.set('Cache-Control', 'no-store').send(answer.body);
    return;
  }
  // no-transform: the API's compression middleware leaves the page's own encoding alone.
  res.set('Cache-Control', 'no-cache, no-transform').set('ETag', answer.etag);
  if (answer.encoding !== 'identity') res.set('Content-Encoding', answer.encoding);
  res.send(answer.body);
}
