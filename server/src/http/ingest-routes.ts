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

export interface IngestRoutesOptions {
  /** The hub's Redis client (a getter: routes are mounted before `listen` connects). */
  redis: () => Redis;
  keys: RedisKeys;
  metrics: Metrics;
  deadletterMaxLen: number;
  realNow: () => number;
  /**
   * Why this caller may not send these messages (a field device reporting for another unit), or undefined when it
   * may: answered 403 and dead-lettered with the reason (`forbidden_unit`). Absent: anyone may (open mode).
   */
  scope?(req: Request, res: Response, what: { events: InputMessage[] } | { fixes: Array<{ unitId: string }> }): { reason: string; detail: string } | undefined;
  /**
   * In front of everything under `/api/ingest` (any method, any letter case the router matches): who may send
   * inputs, and their rate (server/src/auth `allow('ingest')`). Absent: anyone may (open mode).
   */
  guard?: RequestHandler;
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
  const json = express.json({ limit: BODY_LIMIT, type: () => true });
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
      return refuse(o, res, source, { ok: false, reason: 'oversized', detail: `${where} is larger than ${MAX_INPUT_BYTES} bytes` }, req.body);
    }
    const multi = o.redis().multi();
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
    const data = JSON.stringify(req.body);
    if (Buffer.byteLength(data) > MAX_INPUT_BYTES) {
      return refuse(o, res, source, { ok: false, reason: 'oversized', detail: `the batch is larger than ${MAX_INPUT_BYTES} bytes: send smaller batches` }, req.body);
    }
    const id = await o.redis().xAdd(o.keys.inPositions, '*', { data });
    res.status(202).json({ ids: [id] });
  });

  return router;
}

async function refuse(o: IngestRoutesOptions, res: Response, source: string, r: Refusal, body: unknown): Promise<void> {
  await deadLetter(o.redis(), o.keys, { source, reason: r.reason, detail: r.detail, data: safeStringify(body) }, o.deadletterMaxLen, o.realNow());
  o.metrics.deadletters.inc({ reason: r.reason });
  res.status(400).json({ error: r.reason, message: r.detail });
}

/** A caller sending what its credential does not cover: 403, dead-lettered with the reason like any refusal. */
async function forbidden(o: IngestRoutesOptions, res: Response, source: string, r: { reason: string; detail: string }, body: unknown): Promise<void> {
  await deadLetter(o.redis(), o.keys, { source, reason: r.reason, detail: r.detail, data: safeStringify(body) }, o.deadletterMaxLen, o.realNow());
  o.metrics.deadletters.inc({ reason: r.reason });
  res.status(403).json({ error: r.reason, message: r.detail });
}

function safeStringify(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Errors of the JSON body parser, answered in the same `{ error, message }` shape: a body over the limit (413)
 * and a body that is not JSON (400, dead-lettered with the raw text).
 */
export function bodyErrors(o: IngestRoutesOptions) {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number; body?: string; message?: string };
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', message: `the body is larger than ${BODY_LIMIT}: send at most ${MAX_MESSAGES_PER_POST} messages per request, in smaller batches` });
      return;
    }
    if (e?.type === 'entity.parse.failed') {
      try {
        await refuse(o, res, `http:${req.path}`, { ok: false, reason: 'invalid_json', detail: `the body is not JSON: ${e.message}` }, e.body ?? '');
      } catch (deadLetterErr) {
        next(deadLetterErr);
      }
      return;
    }
    next(err);
  };
}
