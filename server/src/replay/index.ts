import type express from 'express';
import type pino from 'pino';
import type { EgretConfig } from '@egret/config';
import type { RedisKeys, WorldState } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import { resolve } from 'node:path';
import { Archive } from './archive.ts';
import { pagesOf } from './event-pages-route.ts';
import { logEntryAt, writerHorizon, type EventPages } from './event-pages.ts';
import { applyRetention, exportHistory } from './history-export.ts';
import { startHistoryWriter, type HistoryWriter } from './history-writer.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';
import { replayRoutes } from './replay-routes.ts';

export interface ReplayDeps {
  config: EgretConfig;
  keys: RedisKeys;
  hubId: string;
  logger: pino.Logger;
  displayDir: string;
  /** The hub's Redis connection (connected). */
  redis: Redis;
  /** Real time (ms): the history writer's lease and housekeeping schedule. */
  realNow: () => number;
  /** The hub's live mirror: the end of history (undefined before it is loaded). */
  live: () => WorldState | undefined;
  /** How often the log's final pages are built ahead of any ask (default 5 s). */
  warmEveryMs?: number;
  /** The newest pages built first when the hub starts, before the older history (default `WARM_PAGES`: 32). */
  warmPages?: number;
}

export interface Replay {
  /** The replay API and pages; mount before the display's catch-all routes. */
  routes: express.Router;
  /** Starts the history writer (it writes only while it holds the lease). */
  start(): void;
  writer(): HistoryWriter | undefined;
  /** The log's pages this hub keeps compressed (event-pages.ts). */
  pages(): EventPages;
  /** The exported history of this namespace on disk. */
  archive: Archive;
  stop(): Promise<void>;
}

/** How often a hub builds the log's pages the history writer has passed (`EventPages.warm`). */
const WARM_EVERY_MS = 5_000;

/** Replay, wired: the history writer (one leader across hubs) and the read side every hub serves. */
export function createReplay(deps: ReplayDeps): Replay {
  const logger = deps.logger.child({ part: 'replay' });
  let reader: ReplayReader | undefined;
  let writer: HistoryWriter | undefined;
  const settings = deps.config.settings.replay;
  const archive = new Archive(resolve(settings.archiveDir), namespaceOf(deps.keys));

  const history = new RedisHistory(deps.redis, deps.keys);
  // The log is final where the history writer has folded it (event-pages.ts); its pages are built as it passes them,
  // and a kept one is sent again only while the log still holds its last event (a Redis failover may lose some).
  const pages = pagesOf(
    () => getReader(),
    () => writerHorizon(history),
    (seq) => logEntryAt(history, seq),
  );
  let warming: NodeJS.Timeout | undefined;
  let warmRun: Promise<unknown> | undefined;
  let prepared: Promise<number> | undefined;
  let stopping = false;
  // EGRET_REPLAY_FINISHED=arrays: the finished part laid out as before (arrays, one JSON.stringify): the same bytes,
  // slower — the replay bench's baseline hub (server/bench/replay-browser.ts `hub=arrays`). Read once, here.
  const finishedAsText = process.env.EGRET_REPLAY_FINISHED !== 'arrays';
  const getReader = () => {
    if (!reader) {
      reader = new ReplayReader({
        parts: [history, archive],
        periods: () => history.periods(),
        archived: async () => (await archive.manifest()).chunks.length > 0,
        cold: (from, to) => history.coldDeltas(from, to),
        timeZone: deps.config.city.timezone,
        finishedAsText,
        live: () => {
          const w = deps.live();
          return { seq: w?.seq ?? 0, at: w?.at ?? 0 };
        },
      });
    }
    return reader;
  };

  return {
    routes: replayRoutes({
      reader: getReader,
      displayDir: deps.displayDir,
      plans: deps.config.plans,
      timeZone: deps.config.city.timezone,
      pages,
    }),
    start() {
      // Pages built as the writer passes them, and the older history after a start, newest first, within the pages'
      // memory bound: the first replay of a stretch is as fast as the next (one page at a time, yielding to live work).
      warming = setInterval(() => {
        warmRun ??= pages()
          .backfill('br', deps.warmPages)
          // Then, once, the cold deltas into the reader's index: a fresh hub's first seek need not read them all.
          .then(
            () =>
              (prepared ??= getReader()
                .prepare(() => stopping)
                .catch((err: unknown) => {
                  prepared = undefined; // tried again at the next round
                  throw err;
                })),
          )
          .catch((err: unknown) => logger.warn({ err }, 'replay pages: building ahead failed'))
          .finally(() => (warmRun = undefined));
      }, deps.warmEveryMs ?? WARM_EVERY_MS);
      warming.unref();
      writer = startHistoryWriter({
        redis: deps.redis,
        keys: deps.keys,
        hubId: deps.hubId,
        settings,
        logger,
        timeZone: deps.config.city.timezone,
        realNow: deps.realNow,
        // Housekeeping by the leader: export what is old enough to files, then drop what is past retention.
        maintain: async ({ history, worldAt }) => {
          if (settings.exportAfterDays > 0)
            await exportHistory({
              history,
              archive,
              before: worldAt - settings.exportAfterDays * 86_400_000,
              logger,
              timeZone: deps.config.city.timezone,
            });
          await applyRetention({ history, archive, worldAt, retentionDays: settings.retentionDays, logger });
        },
      });
    },
    writer: () => writer,
    pages,
    archive,
    async stop() {
      clearInterval(warming);
      stopping = true;
      pages().close();
      await warmRun;
      await writer?.stop();
    },
  };
}

/** The namespace of a key layout (`{ns}:log` → `ns`). */
export function namespaceOf(keys: RedisKeys): string {
  const m = /^\{(.+)\}:log$/.exec(keys.log);
  if (!m) throw new Error(`unexpected log key ${keys.log}`);
  return m[1]!;
}
