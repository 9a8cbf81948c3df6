import type pino from 'pino';
import { TerminalPresence, type FieldStatus, type RedisKeys, type WorldState } from '@egret/protocol';
import type { EntityStore } from '../domain/store.ts';
import type { Redis } from '../redis/connect.ts';

/** How long a terminal's changes settle before one `terminal.changed` is logged for them. */
export const PRESENCE_DEBOUNCE_MS = 2_000;
/** `lastSeenAt` is written to Redis at most this often per unit while nothing else changes. */
const SEEN_EVERY_MS = 15_000;
/** How often a hub renews its live terminal connections in Redis (and sweeps the ones nobody renews). */
export const CONN_RENEW_MS = 20_000;
/** A connection not renewed for this long belonged to a hub that died: it no longer keeps its unit online. */
export const CONN_STALE_MS = 3 * CONN_RENEW_MS;

export interface PresenceOptions {
  redis: Redis;
  keys: RedisKeys;
  /** Where `terminal.changed` is committed (the log, through commit.lua). */
  store: EntityStore;
  /** The mirror's world: what was last logged for each unit (`Unit.terminal`). */
  world: () => WorldState;
  realNow: () => number;
  worldNow: () => number;
  logger: pino.Logger;
  debounceMs?: number;
}

/** Whether `next` differs from what the log last said in a way worth a log event (not `lastSeenAt` alone). */
export function presenceChanged(logged: TerminalPresence | undefined, next: TerminalPresence): boolean {
  return !logged || logged.state !== next.state || logged.pending !== next.pending || logged.onDuty !== next.onDuty;
}

/**
 * Terminal presence (issue #16): per unit `{ state, lastSeenAt, pending, onDuty }` in Redis (`keys.terminals`, shared by
 * every hub), the unit's live connections in a sorted set per unit scored by when their hub last renewed them (a unit
 * is online while any hub holds one; a hub that dies stops renewing, and the sweep takes its units offline), and a
 * `terminal.changed` log event when the presence changes — debounced, so a phone that flickers on a bad link or
 * drains its outbox one action at a time logs one event per settle, not one per packet. The log (and so the wall,
 * the console and replay) learns it from there; the simulator leaves units a terminal holds alone.
 */
export class Presence {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly seenAt = new Map<string, number>();
  /** Each unit's presence changes, one after another (see `serial`). */
  private readonly queues = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly o: PresenceOptions) {}

  private connKey(unitId: string): string {
    return this.o.keys.terminalConnPrefix + unitId;
  }

  async get(unitId: string): Promise<TerminalPresence | undefined> {
    const text = await this.o.redis.hGet(this.o.keys.terminals, unitId);
    if (!text) return undefined;
    try {
      const p = TerminalPresence.safeParse(JSON.parse(text));
      return p.success ? p.data : undefined;
    } catch {
      return undefined;
    }
  }

  private async put(unitId: string, p: TerminalPresence): Promise<void> {
    await this.o.redis.hSet(this.o.keys.terminals, unitId, JSON.stringify(p));
    this.seenAt.set(unitId, p.lastSeenAt);
    this.schedule(unitId);
  }

  /**
   * Runs `change` once the unit's earlier changes on this hub are done. Each reads the stored presence and writes it
   * back: run side by side, a phone's status sent right after it connected was read before and overwritten by the
   * connect (its outbox count lost until the next status).
   */
  private serial(unitId: string, change: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(unitId) ?? Promise.resolve()).then(change, change);
    const tail = run.catch(() => undefined);
    this.queues.set(unitId, tail);
    void tail.then(() => {
      if (this.queues.get(unitId) === tail) this.queues.delete(unitId);
    });
    return run;
  }

  /** A terminal of `unitId` connected (`conn`: `<hubId>/<socketId>`). */
  connected(unitId: string, conn: string): Promise<void> {
    return this.serial(unitId, async () => {
      await this.o.redis.zAdd(this.connKey(unitId), { score: this.o.realNow(), value: conn });
      const prev = await this.get(unitId);
      await this.put(unitId, { pending: 0, ...prev, state: 'online', lastSeenAt: this.o.realNow() });
    });
  }

  /** The terminal said how many actions wait in its outbox and whether its person is on duty. */
  status(unitId: string, s: FieldStatus): Promise<void> {
    return this.serial(unitId, async () => {
      const prev = await this.get(unitId);
      await this.put(unitId, {
        state: prev?.state ?? 'online',
        lastSeenAt: this.o.realNow(),
        pending: s.pending,
        onDuty: s.onDuty,
      });
    });
  }

  /** The terminal was heard from (a command): `lastSeenAt`, written at most every 15 s. */
  async seen(unitId: string): Promise<void> {
    const at = this.o.realNow();
    if (at - (this.seenAt.get(unitId) ?? 0) < SEEN_EVERY_MS) return;
    this.seenAt.set(unitId, at);
    await this.serial(unitId, async () => {
      const prev = await this.get(unitId);
      if (prev) await this.o.redis.hSet(this.o.keys.terminals, unitId, JSON.stringify({ ...prev, lastSeenAt: at }));
    });
  }

  /** A terminal connection of `unitId` ended: offline when it was the unit's last one. */
  disconnected(unitId: string, conn: string): Promise<void> {
    return this.serial(unitId, async () => {
      await this.o.redis.zRem(this.connKey(unitId), conn);
      await this.offlineUnlessHeld(unitId, this.o.realNow());
    });
  }

  /**
   * Marks the unit offline when no live connection holds it (dropping those nobody renewed); last seen `seenAt`, or
   * when it was last heard from.
   */
  private async offlineUnlessHeld(unitId: string, seenAt?: number): Promise<void> {
    const key = this.connKey(unitId);
    const stale = this.o.realNow() - CONN_STALE_MS;
    const [, left] = (await this.o.redis.multi().zRemRangeByScore(key, 0, stale).zCard(key).exec()) as unknown as [
      number,
      number,
    ];
    if (left > 0) return;
    const prev = await this.get(unitId);
    if (prev?.state === 'offline') return;
    await this.put(unitId, {
      pending: 0,
      ...prev,
      state: 'offline',
      lastSeenAt: seenAt ?? prev?.lastSeenAt ?? this.o.realNow(),
    });
  }

  /** Renews this hub's live connections (`[unitId, conn]`), so other hubs' sweeps leave them be. */
  async renew(conns: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (!conns.length) return;
    const multi = this.o.redis.multi();
    const at = this.o.realNow();
    for (const [unitId, conn] of conns) multi.zAdd(this.connKey(unitId), { score: at, value: conn });
    await multi.exec();
  }

  /** Takes offline every unit marked online that no live connection holds any more (its hub died). */
  async sweep(): Promise<void> {
    const all = await this.o.redis.hGetAll(this.o.keys.terminals);
    for (const [unitId, text] of Object.entries(all)) {
      if (onlineIn(text)) await this.serial(unitId, () => this.offlineUnlessHeld(unitId));
    }
  }

  private schedule(unitId: string): void {
    if (this.stopped || this.timers.has(unitId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(unitId);
      this.flush(unitId).catch((err: unknown) =>
        this.o.logger.warn({ err, unitId }, 'could not log a terminal’s presence; it is logged with its next change'),
      );
    }, this.o.debounceMs ?? PRESENCE_DEBOUNCE_MS);
    timer.unref();
    this.timers.set(unitId, timer);
  }

  /** Logs the unit's presence as it stands now, when it differs from what the log last said. */
  async flush(unitId: string): Promise<void> {
    const now = await this.get(unitId);
    if (!now) return;
    const unit = this.o.world().units.get(unitId);
    if (!unit || !presenceChanged(unit.terminal, now)) return;
    await this.o.store.commit({
      change: {
        writes: [],
        events: [{ type: 'terminal.changed', at: this.o.worldNow(), unitId, terminal: now }],
      },
      now: this.o.realNow(),
    });
  }

  /** Stops logging: the changes still waiting are logged now (a hub shutting down marks its terminals as they are). */
  async stop(): Promise<void> {
    this.stopped = true;
    const waiting = [...this.timers.keys()];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(waiting.map((u) => this.flush(u)));
  }
}

/** Whether a stored presence says online (an unreadable one does not). */
function onlineIn(text: string): boolean {
  try {
    return TerminalPresence.safeParse(JSON.parse(text)).data?.state === 'online';
  } catch {
    return false;
  }
}
