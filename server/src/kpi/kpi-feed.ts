import {
  applyKpiEvent,
  createKpiAccumulator,
  kpiFigures,
  SequenceGapError,
  type KpiAccumulator,
  type KpiReport,
  type LogEvent,
  type RedisKeys,
} from '@egret/protocol';
import type pino from 'pino';
import type { LogMirror } from '../log/mirror.ts';
import { readLog } from '../log/log-reader.ts';
import type { Redis } from '../redis/connect.ts';

/** Events read per XRANGE page while folding the log at start. */
const PAGE = 5_000;

export interface KpiFeedOptions {
  redis: Redis;
  keys: RedisKeys;
  logger: pino.Logger;
  /** IANA time zone of the city's calendar days, config `city.timezone` (default Asia/Shanghai). */
  timeZone?: string;
}

/**
 * The hub's KPI accumulator (protocol kpi.ts), folded from the same log events as the mirror, in the same order.
 *
 * At start it folds the log from the first event Redis still holds: a snapshot of the world is not enough, because
 * KPIs count what happened to each case (returns, first dispatches, on-time closing), not only where cases stand.
 * When the log has been trimmed (`settings.hub.logMaxLen`), cases whose events were trimmed away are counted only
 * from their first retained event on — `since` says where the fold starts. Meanwhile live batches from the mirror
 * are queued and applied after the fold (events already folded are skipped by seq), so nothing is missed or
 * counted twice. A gap or a mirror reset (Redis lost data) folds again from scratch.
 */
export class KpiFeed {
  acc: KpiAccumulator;
  /** True once the start-up fold is done and live batches apply directly. */
  loaded = false;
  /** Changed since the last `take()`. */
  dirty = false;
  /** The first log seq the fold covers (1 unless the log has been trimmed). */
  since = 1;
  private queued: LogEvent[] = [];
  private loading?: Promise<void>;
  private again = false;
  private loadedListeners: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly o: KpiFeedOptions) {
    this.acc = createKpiAccumulator(o.timeZone !== undefined ? { timeZone: o.timeZone } : {});
  }

  /** Follows the mirror's live batches; call before `mirror.start()` so no batch is missed. */
  attach(mirror: LogMirror): void {
    mirror.listen({
      events: (batch) => this.onEvents(batch),
      reset: () => void this.reload(),
    });
  }

  /** Called each time a fold from the log completes (at start and after a reload). */
  onLoaded(listener: () => void): void {
    this.loadedListeners.push(listener);
  }

  /** Folds the log (retrying with backoff while Redis fails); resolves once loaded. */
  start(): Promise<void> {
    return this.reload();
  }

  stop(): void {
    this.stopped = true;
  }

  /** The KPI report at world time `now`, or undefined before the first fold is done. */
  report(now: number): KpiReport | undefined {
    return this.loaded ? kpiFigures(this.acc, now) : undefined;
  }

  private onEvents(batch: LogEvent[]): void {
    if (!this.loaded) {
      this.queued.push(...batch);
      return;
    }
    try {
      for (const e of batch) applyKpiEvent(this.acc, e);
      this.dirty = true;
    } catch (err) {
      if (!(err instanceof SequenceGapError)) throw err;
      this.o.logger.error({ err: err.message }, 'KPI fold: gap in the log; folding again from Redis');
      void this.reload();
    }
  }

  private reload(): Promise<void> {
    this.loaded = false;
    this.again = true;
    this.loading ??= (async () => {
      let backoff = 200;
      // `again` is raised by every request to fold (a reset, a gap) while a fold is running: fold once more after it.
      while (this.again && !this.stopped) {
        this.again = false;
        try {
          await this.fold();
          backoff = 200;
        } catch (err) {
          this.o.logger.error({ err }, 'KPI fold from the log failed; retrying');
          this.again = true;
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 5_000);
        }
      }
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fold(): Promise<void> {
    const { redis, keys } = this.o;
    this.queued = [];
    const [first] = (await redis.xRange(keys.log, '-', '+', { COUNT: 1 })) ?? [];
    const firstSeq = first ? Number(first.id.split('-')[0]) : 1;
    const acc = createKpiAccumulator({
      seq: firstSeq - 1,
      ...(this.o.timeZone !== undefined ? { timeZone: this.o.timeZone } : {}),
    });
    if (firstSeq > 1) {
      this.o.logger.warn({ firstSeq }, 'KPIs: the log has been trimmed; figures count the events from this seq on');
    }
    for (;;) {
      const events = await readLog(redis, keys, acc.seq + 1, '+', PAGE);
      if (events.length === 0) break;
      // A trim racing this read leaves a hole: start again from what is held now.
      if (events[0]!.seq !== acc.seq + 1) throw new SequenceGapError(acc.seq + 1, events[0]!.seq);
      for (const e of events) applyKpiEvent(acc, e);
      if (this.stopped) return;
    }
    this.acc = acc;
    this.since = firstSeq;
    // Live batches that came in meanwhile: those already folded are skipped by seq.
    const queued = this.queued;
    this.queued = [];
    this.loaded = true;
    this.onEvents(queued);
    if (!this.loaded) return; // the queued events had a gap: `again` is raised, the loop folds once more
    this.dirty = true;
    this.o.logger.info({ seq: this.acc.seq, cases: this.acc.cases.size, since: firstSeq }, 'KPIs folded from the log');
    for (const l of this.loadedListeners) l();
  }
}
