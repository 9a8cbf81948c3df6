import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { compress } from '../http/compress.ts';
import { encodeTrails, REPLAY_STATE_PARTS, type PlanDef, type ReplayStatePart, type ReplayCase } from '@egret/protocol';
import { minuteOf } from './position-segment.ts';
import { BeforeHistoryError, type ReplayReader } from './replay-reader.ts';
import { eventsAnswerJson, type EventPages } from './event-pages.ts';
import { pagesOf, sendEventPage } from './event-pages-route.ts';
import { SummaryFold, summaryCsv } from './summary.ts';
import { sendPacked } from './send-packed.ts';
import { buildTrails } from './trails.ts';

/** Most events one `/events` answer carries; the caller pages on with `afterSeq`. */
export const EVENTS_LIMIT = 20_000;
/** Longest trails window, world ms, and the fewest ms between two samples of a unit. */
export const TRAILS_MAX_MS = 6 * 3_600_000;
export const TRAILS_MIN_STEP_MS = 1_000;
/** The longest window a summary folds (world ms): 31 days. */
export const SUMMARY_MAX_MS = 31 * 24 * 3_600_000;

/** The display pages of replay: each answers the display's index.html, which routes itself. */
export const REPLAY_PAGES = ['/replay', '/replay/summary'];

class BadRequest extends Error {}

/**
 * The world times replay answers for: 2000-01-01 to 2100-01-01 UTC. Outside it a time is a mistake (a sign or a
 * digit too many), and near 1970 the minute and stream ids the reader derives from it would be negative.
 */
export const REPLAY_TIME_MIN = Date.UTC(2000, 0, 1);
export const REPLAY_TIME_MAX = Date.UTC(2100, 0, 1);

/** A world time from a query: epoch ms, or an ISO time such as 2016-09-15T03:05:00+08:00, within the replay range. */
export function parseTime(value: unknown, name: string): number {
  if (typeof value !== 'string' || value === '') throw new BadRequest(`${name}: required (epoch ms or an ISO time)`);
  const t = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw new BadRequest(`${name}=${value}: expected epoch ms or an ISO time`);
  if (t < REPLAY_TIME_MIN || t >= REPLAY_TIME_MAX) {
    throw new BadRequest(
      `${name}=${value}: expected a time between 2000-01-01 and 2100-01-01 (epoch ms ${REPLAY_TIME_MIN} to ${REPLAY_TIME_MAX})`,
    );
  }
  return t;
}

function parseInteger(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min || n > max)
    throw new BadRequest(`${name}=${String(value)}: expected a whole number from ${min} to ${max}`);
  return n;
}

function window(q: Record<string, unknown>, maxMs: number): { from: number; to: number } {
  const from = parseTime(q.from, 'from');
  const to = parseTime(q.to, 'to');
  if (to <= from) throw new BadRequest('to must be after from');
  if (to - from > maxMs)
    throw new BadRequest(`the window is longer than ${Math.round(maxMs / 3_600_000)} h: ask for a shorter one`);
  return { from, to };
}

/**
 * The replay API (docs/replay.md): JSON in the live wire formats (WorldSnapshot, LogEvent, KpiReport) and binary
 * where live is binary (position frames), plus the replay pages of the display.
 */
export function replayRoutes(deps: {
  reader: () => ReplayReader;
  displayDir: string;
  /** The command manual, for the plans' part of the summary (issue #17). */
  plans?: readonly PlanDef[];
  /** The city's time zone: the summary's campaign days. */
  timeZone?: string;
  /** The log's pages, kept compressed (event-pages.ts); by default none is final, so none is kept. */
  pages?: () => EventPages;
  /**
   * The seek's large answers (state, tracks) compressed whole, off the event loop (send-packed.ts; default true);
   * false: streamed through the compression middleware as before (the bench's baseline; the same bytes decoded).
   */
  packWhole?: boolean;
  /** Brotli's window for them, bits (send-packed.ts `PACK_WINDOW_BITS`; the bench's baseline: 22, the default). */
  packWindowBits?: number;
}): express.Router {
  const router = express.Router();
  const index = join(deps.displayDir, 'index.html');
  const pages = deps.pages ?? pagesOf(deps.reader);
  router.use('/api/replay', compress());
  const send = (req: express.Request, res: express.Response, body: Buffer, type: string) =>
    deps.packWhole === false ? void res.type(type).send(body) : sendPacked(req, res, body, type, deps.packWindowBits);

  const handle =
    (fn: (req: express.Request, res: express.Response) => Promise<void>): express.RequestHandler =>
    (req, res, next) => {
      fn(req, res).catch((err: unknown) => {
        if (err instanceof BadRequest) res.status(400).json({ error: 'bad_request', message: err.message });
        else if (err instanceof BeforeHistoryError)
          res.status(404).json({ error: 'before_history', message: err.message });
        else next(err);
      });
    };

  router.get(
    '/api/replay/range',
    handle(async (_req, res) => {
      res.json(await deps.reader().range());
    }),
  );

  router.get(
    '/api/replay/state',
    handle(async (req, res) => {
      const t = parseTime(req.query.t, 't');
      const part = req.query.part ?? 'all';
      if (typeof part !== 'string' || !(REPLAY_STATE_PARTS as readonly string[]).includes(part))
        throw new BadRequest(`part=${String(part)}: expected one of ${REPLAY_STATE_PARTS.join(', ')}`);
      // `ReplayState` as text: built by the reader without parsing the city's final entities (see cold.ts).
      await send(req, res, await deps.reader().stateJson(t, part as ReplayStatePart), 'application/json');
    }),
  );

  router.get(
    '/api/replay/kpi',
    handle(async (req, res) => {
      const t = parseTime(req.query.t, 't');
      res.json(await deps.reader().kpiAt(t));
    }),
  );

  router.get(
    '/api/replay/case',
    handle(async (req, res) => {
      const t = parseTime(req.query.t, 't');
      const id = req.query.id;
      if (typeof id !== 'string' || id === '') throw new BadRequest('id: required');
      // The whole case (its steps, photos, description: what the screen's brief of a finished case leaves out).
      const body: ReplayCase | undefined = await deps.reader().caseAt(t, id);
      if (!body) {
        res.status(404).json({ error: 'unknown_case', message: `no case ${id} at ${new Date(t).toISOString()}` });
        return;
      }
      res.json(body);
    }),
  );

  router.get(
    '/api/replay/events',
    handle(async (req, res) => {
      if (req.query.page !== undefined) return sendEventPage(req, res, pages());
      const { from, to } = window(req.query, SUMMARY_MAX_MS);
      const limit = parseInteger(req.query.limit, 'limit', 1, EVENTS_LIMIT, EVENTS_LIMIT);
      const reader = deps.reader();
      const end = await reader.seqAt(to);
      const afterSeq =
        req.query.afterSeq === undefined
          ? (await reader.seqAt(from)).seq
          : parseInteger(req.query.afterSeq, 'afterSeq', 0, Number.MAX_SAFE_INTEGER, 0);
      // `ReplayEvents` as text, the events copied as stored: the bytes `res.json` gave, without parsing the log.
      const events = await reader.eventTextsBetween(afterSeq, end.seq, limit);
      res.type('application/json').send(eventsAnswerJson({ from, to, afterSeq, toSeq: end.seq }, events));
    }),
  );

  router.get(
    '/api/replay/positions',
    handle(async (req, res) => {
      const t = parseTime(req.query.t, 't');
      const frame = await deps.reader().positionsFrame(t);
      if (!frame) {
        res
          .status(404)
          .json({ error: 'no_positions', message: `no position history near ${new Date(t).toISOString()}` });
        return;
      }
      res.type('application/octet-stream').send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
    }),
  );

  router.get(
    '/api/replay/trails',
    handle(async (req, res) => {
      const { from, to } = window(req.query, TRAILS_MAX_MS);
      const reader = deps.reader();
      const first = await reader.segmentFor(from);
      const stepMs = parseInteger(req.query.step, 'step', TRAILS_MIN_STEP_MS, 3_600_000, first?.stepMs ?? 10_000);
      const rest = first
        ? await reader.segments(first.minute + 1, minuteOf(to))
        : await reader.segments(minuteOf(from), minuteOf(to));
      const trails = buildTrails(first ? [first, ...rest] : rest, from, to, stepMs);
      const bytes = encodeTrails(trails);
      await send(req, res, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'application/octet-stream');
    }),
  );

  router.get(
    '/api/replay/histogram',
    handle(async (req, res) => {
      const { from, to } = window(req.query, 400 * 24 * 3_600_000);
      const bins = parseInteger(req.query.bins, 'bins', 1, 2_000, 200);
      res.json(await deps.reader().histogram(from, to, bins));
    }),
  );

  router.get(
    '/api/replay/summary',
    handle(async (req, res) => {
      const { from, to } = window(req.query, SUMMARY_MAX_MS);
      const fold = new SummaryFold(deps.plans, deps.timeZone);
      await deps.reader().forEachEvent(from, to, (e) => fold.add(e));
      const summary = fold.result(from, to);
      if (req.query.format === 'csv') {
        const name = `egret-replay-${new Date(from).toISOString().slice(0, 16).replace(/[:T]/g, '')}-${new Date(to).toISOString().slice(0, 16).replace(/[:T]/g, '')}.csv`;
        // A byte-order mark, so spreadsheet programs read the Chinese category names as UTF-8.
        res
          .type('text/csv; charset=utf-8')
          .attachment(name)
          .send(`\uFEFF${summaryCsv(summary)}`);
        return;
      }
      res.json(summary);
    }),
  );

  router.get(REPLAY_PAGES, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('display not built: run npm run build -w @egret/display\n');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });

  return router;
}
