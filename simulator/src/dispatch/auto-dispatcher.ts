import type { LogEvent, Refusal } from '@egret/protocol';
import { dispatchKey, FiledCases, type FiledCase } from './filed-cases.ts';
import { HubUnreachableError, type HubApi } from './hub-client.ts';
import { unitsToTry } from './units-to-try.ts';

/** Refusals that are about the unit: the next candidate may take the case. */
const TRY_NEXT = new Set(['unit_busy', 'unit_unavailable', 'unknown_unit', 'idempotency_key_reused']);
/** Refusals that mean "not now, same request later": nothing was written. */
const TRY_AGAIN = new Set(['busy', 'unavailable', 'internal']);
/** How long a unit just offered a case is left out of other cases' offers (real ms). */
const CLAIM_MS = 3_000;
/** The hub wants to know who is asking (accounts are on): nothing works until HUB_TOKEN is set. */
const NOT_ALLOWED = new Set(['unauthenticated', 'forbidden']);

export interface AutoDispatcherLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  /** Per-case detail (refusals, no unit free): the stats line counts them. */
  debug?(obj: object, msg: string): void;
}

export interface AutoDispatcherOptions {
  hub: HubApi;
  /** Filed cases no one dispatched this long (world ms) are dispatched automatically. */
  afterMs: number;
  /**
   * World ms before trying a case again after a try (default: afterMs, at least a minute); a case no unit could take
   * is tried again sooner when a unit comes free.
   */
  retryAfterMs?: number;
  /**
   * Real ms before trying a case again, whatever the rate (default 5 s; 60 s for a case no unit could take, which a
   * unit coming free makes due at once): at 1200× a world minute is 50 ms, and the ~2,000 cases a short-handed city
   * kept waiting were ranked again and again, as fast as the hub answered.
   */
  retryAfterRealMs?: { tried: number; noUnit: number };
  /** Cases handled at once. */
  maxInFlight?: number;
  /** Units offered a case per attempt. */
  maxTries?: number;
  /** Real-time backoff while the hub does not answer. */
  backoff?: { firstMs: number; maxMs: number };
  realNow?: () => number;
  log?: AutoDispatcherLog;
  /** Shown to the unit with the task. */
  note?: string;
  /** Units never offered a case (a major event's fixed posts: the desk does not pull an officer off a post). */
  skipUnits?: ReadonlySet<string>;
}

export interface AutoDispatcherStats {
  dispatched: number;
  /** Dispatches the hub refused (busy unit, case no longer filed …). */
  refused: number;
  /** Attempts that found no unit to offer the case to. */
  noUnit: number;
  /** Requests that got no answer. */
  unanswered: number;
}

/**
 * Keeps the city running unattended: a filed case that no person dispatched within `afterMs` of world time is
 * dispatched to the best available unit the hub ranks (`GET /api/cases/:id/candidates`, then
 * `POST /api/commands/case:dispatch`). Each try carries an idempotency key made of the case, its filing round and
 * the try's number, so a retried request never makes a second task; a unit that is busy or off duty by now is
 * skipped for the next. While the hub does not answer it warns once, backs off (real time) and keeps trying; a
 * request left unanswered is sent again with the same key before anything else. Learns which cases are filed from
 * the log (`observe`); `tick(worldNow)` starts the due work.
 */
export class AutoDispatcher {
  readonly stats: AutoDispatcherStats = { dispatched: 0, refused: 0, noUnit: 0, unanswered: 0 };
  private readonly filed: FiledCases;
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly o: Required<Omit<AutoDispatcherOptions, 'log'>> & Pick<AutoDispatcherOptions, 'log'>;
  /** Units this dispatcher just offered a case to (real ms): the hub's ranking may not show them busy yet. */
  private readonly claimed = new Map<string, number>();
  private hubDown = false;
  private backoffMs: number;
  private hubRetryAt = 0;
  private stopped = false;

  constructor(options: AutoDispatcherOptions) {
    this.o = {
      retryAfterMs: Math.max(options.afterMs, 60_000),
      retryAfterRealMs: { tried: 5_000, noUnit: 60_000 },
      maxInFlight: 4,
      maxTries: 5,
      backoff: { firstMs: 500, maxMs: 30_000 },
      realNow: Date.now,
      note: '系统自动派遣',
      skipUnits: new Set<string>(),
      ...options,
    };
    this.filed = new FiledCases(options.afterMs);
    this.backoffMs = this.o.backoff.firstMs;
  }

  /** Filed cases waiting for a squad. */
  get waiting(): number {
    return this.filed.size;
  }

  observe(events: readonly LogEvent[]): void {
    this.filed.observe(events);
  }

  /** Starts dispatching the cases due at world time `now`, up to `maxInFlight` at once. */
  tick(now: number): void {
    const realNow = this.o.realNow();
    if (this.stopped || realNow < this.hubRetryAt) return;
    for (const c of this.filed.due(now)) {
      if (this.inFlight.size >= this.o.maxInFlight) break;
      if (this.inFlight.has(c.caseId) || (c.notBeforeReal !== undefined && realNow < c.notBeforeReal)) continue;
      this.inFlight.add(c.caseId);
      const p = this.dispatch(c, now).finally(() => {
        this.inFlight.delete(c.caseId);
        this.running.delete(p);
      });
      this.running.add(p);
    }
  }

  /** Stops starting work and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running]);
  }

  private async dispatch(c: FiledCase, now: number): Promise<void> {
    try {
      if (c.pending) {
        const again = await this.send(c, c.pending.unitId, c.pending.idempotencyKey);
        if (again !== 'next') return this.settle(c, now);
      }
      const ranked = await this.o.hub.candidates(c.caseId);
      if (!ranked.ok && NOT_ALLOWED.has(ranked.error)) return this.notAllowed(ranked);
      this.hubAnswered();
      if (!ranked.ok) {
        this.o.log?.debug?.(
          { caseId: c.caseId, error: ranked.error, message: ranked.message },
          'auto-dispatch: no candidates for the case now',
        );
        return this.settle(c, now);
      }
      const realNow = this.o.realNow();
      for (const [unitId, at] of this.claimed) if (realNow - at > CLAIM_MS) this.claimed.delete(unitId);
      const skip = new Set([...this.filed.excluded(c.caseId), ...this.claimed.keys(), ...this.o.skipUnits]);
      for (const unitId of unitsToTry(ranked.data, skip, this.o.maxTries)) {
        if (this.filed.get(c.caseId) !== c) return; // filed again, or taken by someone, meanwhile
        const outcome = await this.send(c, unitId, dispatchKey(c));
        if (outcome !== 'next') return this.settle(c, now);
      }
      this.stats.noUnit++;
      this.o.log?.debug?.(
        { caseId: c.caseId, squads: ranked.data.length, excluded: this.filed.excluded(c.caseId).size },
        'auto-dispatch: no unit free for the case now',
      );
      this.settle(c, now, this.o.retryAfterRealMs.noUnit);
      this.filed.waitForUnit(c.caseId, now + this.o.retryAfterMs);
    } catch (err) {
      if (!(err instanceof HubUnreachableError)) throw err;
      this.stats.unanswered++;
      this.hubSilent(err);
    }
  }

  /**
   * After an attempt: dispatched — wait for the log to show it (should it never, the next attempt makes a new
   * task); not now — try again later. Either way the case comes due again `retryAfterMs` later.
   */
  private settle(c: FiledCase, now: number, realMs = this.o.retryAfterRealMs.tried): void {
    this.filed.postpone(c.caseId, now + this.o.retryAfterMs);
    c.notBeforeReal = this.o.realNow() + realMs;
  }

  /**
   * Sends one dispatch. 'done': the hub took it; 'next': this unit cannot take the case, try the next; 'later': not
   * now (the case moved on, or the hub is busy and wrote nothing — then the same key is used next time). Throws when
   * unanswered, keeping the request as pending so that it is sent again with the same key.
   */
  private async send(c: FiledCase, unitId: string, idempotencyKey: string): Promise<'done' | 'next' | 'later'> {
    c.pending = { unitId, idempotencyKey };
    this.claimed.set(unitId, this.o.realNow());
    const r = await this.o.hub.dispatch({ caseId: c.caseId, unitId, idempotencyKey, note: this.o.note });
    if (!r.ok && NOT_ALLOWED.has(r.error)) {
      this.notAllowed(r);
      return 'later';
    }
    this.hubAnswered();
    if (!r.ok && TRY_AGAIN.has(r.error)) return 'later';
    delete c.pending;
    c.tries++;
    if (r.ok) {
      this.stats.dispatched++;
      return 'done';
    }
    this.stats.refused++;
    this.o.log?.debug?.({ caseId: c.caseId, unitId, error: r.error, message: r.message }, 'auto-dispatch: refused');
    return TRY_NEXT.has(r.error) ? 'next' : 'later';
  }

  private hubAnswered(): void {
    if (this.hubDown) this.o.log?.info({}, 'auto-dispatch: the hub answers again');
    this.hubDown = false;
    this.backoffMs = this.o.backoff.firstMs;
    this.hubRetryAt = 0;
  }

  /** Refused for want of an account: said once, then retried with the same backoff as an outage. */
  private notAllowed(r: Refusal): void {
    this.hubSilent(
      new Error(`${r.error}: ${r.message} (give the simulator a dispatcher API key in HUB_TOKEN)`),
      'auto-dispatch: the hub refuses the simulator; retrying with backoff',
    );
  }

  private hubSilent(err: Error, msg = 'auto-dispatch: the hub does not answer; retrying with backoff'): void {
    if (!this.hubDown) this.o.log?.warn({ err: err.message }, msg);
    this.hubDown = true;
    this.hubRetryAt = this.o.realNow() + this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.o.backoff.maxMs);
  }
}
