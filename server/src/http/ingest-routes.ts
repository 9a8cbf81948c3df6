import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { FixBatch, InputMessage, MAX_INPUT_BYTES, type RedisKeys } from '@egret/protocol';
import { z } from 'zod';
import { checkSchema } from '../domain/parse-input.ts';
import type { Refusal } from '../domain/rejection.ts';
import type { Redis } from '../redis/connect.ts';
import { deadLetter } from '../redis/deadletter.ts';
import type { Metrics } from '../metrics.ts';

/** Largest JSON body the ingest endpoints read; bigger ones are answered 413 before parsing. */
export const BODY_LIMIT = '256kb';
/** Most messages one POST may carry. */
export const MAX_MESSAGES_PER_POST = 1_000;
/**
 * Deepest nesting of arrays and objects an ingest body may have (the deepest input message is a handful of levels).
 * Checked on the raw text before it is parsed: a 10,000-deep body must not reach the parser, the schema or the
 * dead-letter writer, all of which recurse.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a JSON text nests arrays and objects deeper than `max` (strings are skipped; the text need not be valid). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The body parser's `verify`: refuses a body nested too deep before it is parsed (answered 400 `too_deep`). */
function shallowEnough(_req: unknown, _res: unknown, buf: Buffer): void {
  if (nestedDeeperThan(buf.toString('utf8'), MAX_JSON_DEPTH)) {
    throw Object.assign(new Error(`the body is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`), {
      type: 'entity.too.deep',
    });
  }
}

export interface IngestRoutesOptions {
  /** The hub's Redis client (connected). */
  redis: Redis;
  keys: RedisKeys;
  metrics: Metrics;
  deadletterMaxLen: number;
  realNow: () => number;
  /**
   * Why this caller may not send these messages (a field device reporting for another unit), or undefined when it
   * may: answered 403 and dead-lettered with the reason (`forbidden_unit`). Absent: anyone may (open mode).
   */
  scope?(
    req: Request,
    res: Response,
    what: { events: InputMessage[] } | { fixes: Array<{ unitId: string }> },
  ): { reason: string; detail: string } | undefined;
  /**
   * In front of everything under `/api/ingest` (any method, any letter case the router matches): who may send
   * inputs, and their rate (server/src/auth `allow('ingest')`). Absent: anyone may (open mode).
   */
  guard?: RequestHandler;
  /**
   * Fixes from a field device before they are written (server/src/field/positions.ts): restamped, or refused as an
   * implausible jump (422, dead-lettered with the reason). Absent: fixes pass as sent.
   */
  vetFixes?(
    res: Response,
    fixes: FixBatch['fixes'],
  ): Promise<{ ok: true; fixes: FixBatch['fixes'] } | { ok: false; reason: string; detail: string }>;
}

/** One message or a batch; checked separately so a refusal names the field (a union would only say "invalid"). */
const EventsBatch = z.array(InputMessage).min(1).max(MAX_MESSAGES_PER_POST);

/**
 * HTTP ingest for systems that only speak HTTP (a hotline webhook): the same JSON as the input streams, checked
 * against the same schema, then written to the same streams — so the same consumer applies it. A refused body is
 * answered 400 naming the field, and dead-lettered like a refused stream entry. Domain checks (unknown category,
 * outside the city …) happen in the consumer, after the 202: their refusals land in the dead-letter stream.
 */
export function ingestRoutes(o: IngestRoutesOptions): express.Router {
  const router = express.Router();
  const json = express.json({ limit: BODY_LIMIT, type: () => true, verify: shallowEnough });
  // The role is decided here, by the path the router matches, not by the raw path in front of `/api`.
  if (o.guard) router.use('/api/ingest', o.guard);

  router.post('/api/ingest/events', json, async (req: Request, res: Response) => {
    const source = 'http:/api/ingest/events';
    const checked = Array.isArray(req.body) ? checkSchema(EventsBatch, req.body) : checkSchema(InputMessage, req.body);
    if (!checked.ok) return refuse(o, res, source, checked, req.body);
    const messages = Array.isArray(req.body) ? (req.body as unknown[]) : [req.body];
    const outOfScope = o.scope?.(req, res, { events: messages as InputMessage[] });
    if (outOfScope) return forbidden(o, res, source, outOfScope, req.body);
    const texts = messages.map((m) => JSON.stringify(m));
    const big = texts.findIndex((t) => Buffer.byteLength(t) > MAX_INPUT_BYTES);
    if (big >= 0) {
      const where = Array.isArray(req.body) ? `[${big}]` : 'message';
      return refuse(
        o,
        res,
        source,
        { ok: false, reason: 'oversized', detail: `${where} is larger than ${MAX_INPUT_BYTES} bytes` },
        req.body,
      );
    }
    const multi = o.redis.multi();
    for (const data of texts) multi.xAdd(o.keys.inEvents, '*', { data });
    const ids = (await multi.exec()) as unknown as string[];
    res.status(202).json({ ids });
  });

  router.post('/api/ingest/positions', json, async (req: Request, res: Response) => {
    const source = 'http:/api/ingest/positions';
    const checked = checkSchema(FixBatch, req.body);
    if (!checked.ok) return refuse(o, res, source, checked, req.body);
    const outOfScope = o.scope?.(req, res, { fixes: (req.body as FixBatch).fixes });
    if (outOfScope) return forbidden(o, res, source, outOfScope, req.body);
    const vetted = o.vetFixes ? await o.vetFixes(res, (req.body as FixBatch).fixes) : undefined;
    if (vetted && !vetted.ok) return forbidden(o, res, source, vetted, req.body, 422);
    const data = JSON.stringify(vetted ? { fixes: vetted.fixes } : req.body);
    if (Buffer.byteLength(data) > MAX_INPUT_BYTES) {
      return refuse(
        o,
        res,
        source,
        {
          ok: false,
          reason: 'oversized',
          detail: `the batch is larger than ${MAX_INPUT_BYTES} bytes: send smaller batches`,
        },
        req.body,
      );
    }
    const id = await o.redis.xAdd(o.keys.inPositions, '*', { data });
    res.status(202).json({ ids: [id] });
  });

  return router;
}

async function refuse(o: IngestRoutesOptions, res: Response, source: string, r: Refusal, body: unknown): Promise<void> {
  await deadLetter(
    o.redis,
    o.keys,
    { source, reason: r.reason, detail: r.detail, data: safeStringify(body) },
    o.deadletterMaxLen,
    o.realNow(),
  );
  o.metrics.deadletters.inc({ reason: r.reason });
  res.status(400).json({ error: r.reason, message: r.detail });
}

/**
 * A caller sending what its credential does not cover (403), or what cannot be (422: a device's implausible fix),
 * dead-lettered with the reason like any refusal.
 */
async function forbidden(
  o: IngestRoutesOptions,
  res: Response,
  source: string,
  r: { reason: string; detail: string },
  body: unknown,
  status = 403,
): Promise<void> {
  await deadLetter(
    o.redis,
    o.keys,
    { source, reason: r.reason, detail: r.detail, data: safeStringify(body) },
    o.deadletterMaxLen,
    o.realNow(),
  );
  o.metrics.deadletters.inc({ reason: r.reason });
  res.status(status).json({ error: r.reason, message: r.detail });
}

function safeStringify(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Body-parser refusals answered 415: the body is in an encoding or charset the hub does not read. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'encoding.unsupported': 'unsupported_encoding',
  'charset.unsupported': 'unsupported_charset',
};

/**
 * Errors of the JSON body parser, answered in the same `{ error, message }` shape and dead-lettered with their
 * reason like any refused input: a body over the limit (413), not JSON (400, with the raw text), nested too deep
 * (400 `too_deep`), in an unknown `Content-Encoding` or charset (415); any other refusal of the parser keeps its 4xx.
 */
export function bodyErrors(o: IngestRoutesOptions) {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number; body?: unknown; message?: string };
    if (e?.type === 'entity.too.large') {
      res.status(413).json({
        error: 'too_large',
        message: `the body is larger than ${BODY_LIMIT}: send at most ${MAX_MESSAGES_PER_POST} messages per request, in smaller batches`,
      });
      return;
    }
    const source = `http:${req.path}`;
    const raw = (b: unknown) => (Buffer.isBuffer(b) ? b.toString('utf8') : typeof b === 'string' ? b : '');
    let refusal: { status: number; reason: string; detail: string; data: string } | undefined;
    if (e?.type === 'entity.parse.failed')
      refusal = {
        status: 400,
        reason: 'invalid_json',
        detail: `the body is not JSON: ${e.message}`,
        data: raw(e.body),
      };
    else if (e?.type === 'entity.too.deep')
      refusal = {
        status: 400,
        reason: 'too_deep',
        detail: e.message ?? 'the body is nested too deep',
        data: raw(e.body),
      };
    else if (e?.type && UNSUPPORTED[e.type]) {
      refusal = {
        status: 415,
        reason: UNSUPPORTED[e.type]!,
        detail: `${e.message ?? e.type}: send the body as UTF-8 JSON, plain or with Content-Encoding gzip, deflate or br`,
        data: '(not read)',
      };
    } else if (e?.type && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      refusal = {
        status: e.status,
        reason: 'bad_body',
        detail: `the body could not be read: ${e.message ?? e.type}`,
        data: raw(e.body),
      };
    }
    if (!refusal) return next(err);
    try {
      await deadLetter(
        o.redis,
        o.keys,
        { source, reason: refusal.reason, detail: refusal.detail, data: refusal.data },
        o.deadletterMaxLen,
        o.realNow(),
      );
      o.metrics.deadletters.inc({ reason: refusal.reason });
      res.status(refusal.status).json({ error: refusal.reason, message: refusal.detail });
    } catch (deadLetterErr) {
      next(deadLetterErr);
    }
  };
}
