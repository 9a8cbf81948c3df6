import {
  applyEvent,
  emptyWorld,
  fromSnapshot,
  SequenceGapError,
  toSnapshot,
  type LogEvent,
  type RedisKeys,
  type WorldSnapshot,
  type WorldState,
} from '@egret/protocol';
import type pino from 'pino';
import { connectBlocking } from '../redis/blocking.ts';
import type { Redis } from '../redis/connect.ts';
import { EventRing } from './event-ring.ts';
import { mirrorSnapshotDue } from './mirror-snapshots.ts';
import { EntityJson } from './snapshot-json.ts';
import { parseLogEntry, readLog } from './log-reader.ts';

/** How many snapshots are kept in `keys.snapshots` (each is the whole world: a few dozen is plenty for seeks). */
export const SNAPSHOTS_KEPT = 32;

export interface MirrorListener {
  /** A batch of consecutive events just applied to the mirror (called synchronously, right after the ring). */
  events(batch: LogEvent[]): void;
  /** The mirror was rebuilt from Redis after an unexpected gap: screens need a fresh snapshot. */
  reset(): void;
}

export interface MirrorOptions {
  redis: Redis;
  keys: RedisKeys;
  hubId: string;
  snapshotEvery: number;
  ringSize: number;
  logger: pino.Logger;
  /** Real time (ms): when the log was last verified. */
  realNow: () => number;
  blockMs?: number;
  /** How often the mirror checks that Redis still holds the log it has applied (a Redis that lost data). */
  verifyEveryMs?: number;
}

/**
 * This hub's in-memory copy of the world: the newest snapshot from Redis plus the log after it, then the log
 * tailed live (XREAD BLOCK on its own connection) through the shared reducer. Every hub keeps one, so any hub can
 * serve any screen. Every `snapshotEvery` events (more as the world grows: `mirrorSnapshotDue`) a snapshot is
 * written with stream id `<seq>-0`: every hub tries, and Redis refuses every write but the first for a given seq —
 * that is the dedupe.
 */
export class LogMirror {
  world: WorldState = emptyWorld();
  readonly ring: EventRing;
  /** True once the initial load is done and the tail runs. */
  loaded = false;
  private listeners: MirrorListener[] = [];
  private stopping = false;
  private blocking?: Redis;
  private running?: Promise<void>;
  private snapshotWrites = new Set<Promise<void>>();
  private readonly entityJson = new EntityJson();
  private verifyNext = false;

  constructor(private readonly o: MirrorOptions) {
    this.ring = new EventRing(o.ringSize);
  }

  listen(l: MirrorListener): void {
    this.listeners.push(l);
  }

  async start(): Promise<void> {
    await this.load();
    this.blocking = await connectBlocking(this.o.redis, `egret-log-${this.o.hubId}`);
    // After a reconnect, Redis may have restarted without its last writes: check before reading on.
    this.blocking.on('ready', () => (this.verifyNext = true));
    this.loaded = true;
    this.running = this.tail();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.blocking?.destroy();
    await this.running;
    await Promise.all(this.snapshotWrites);
  }

  /** Newest snapshot, then every log event after it. Fails loudly when the log no longer reaches that snapshot. */
  private async load(): Promise<void> {
    const { redis, keys } = this.o;
    const [newest] = (await redis.xRevRange(keys.snapshots, '+', '-', { COUNT: 1 })) ?? [];
    const text = (newest as { message: Record<string, string> } | undefined)?.message.s;
    this.world = text ? fromSnapshot(JSON.parse(text) as WorldSnapshot) : emptyWorld();
    this.ring.clear();
    for (;;) {
      const events = await readLog(redis, keys, this.world.seq + 1, '+', 5_000);
      if (events.length === 0) break;
      if (events[0]!.seq !== this.world.seq + 1) {
        throw new Error(
          `the log (${keys.log}) starts at seq ${events[0]!.seq} but the newest snapshot is at seq ${this.world.seq}: ` +
            'events in between were trimmed away. Raise settings.hub.logMaxLen, or restore the Redis data.',
        );
      }
      this.applyBatch(events, false);
    }
    this.o.logger.info(
      { seq: this.world.seq, cases: this.world.cases.size, units: this.world.units.size },
      'mirror loaded',
    );
  }

  private async tail(): Promise<void> {
    let backoff = 100;
    let verifiedAt = this.o.realNow();
    while (!this.stopping) {
      try {
        if (this.verifyNext || this.o.realNow() - verifiedAt >= (this.o.verifyEveryMs ?? 5_000)) {
          this.verifyNext = false;
          verifiedAt = this.o.realNow();
          if (!(await this.logStillHolds())) {
            this.o.logger.error(
              { seq: this.world.seq },
              'Redis no longer holds the log this mirror applied (data lost in a Redis restart?): reloading',
            );
            await this.load();
            for (const l of this.listeners) l.reset();
          }
        }
        const reply = await this.blocking!.xRead(
          { key: this.o.keys.log, id: `${this.world.seq}-0` },
          { COUNT: 1_000, BLOCK: this.o.blockMs ?? 2_000 },
        );
        const entries =
          (reply as Array<{ messages: Array<{ id: string; message: Record<string, string> }> }> | null)?.[0]
            ?.messages ?? [];
        if (entries.length) this.applyBatch(entries.map(parseLogEntry), true);
        backoff = 100;
      } catch (err) {
        if (this.stopping) return;
        if (err instanceof SequenceGapError) {
          this.o.logger.error({ err }, 'log gap in the mirror: reloading from Redis');
          try {
            await this.load();
            for (const l of this.listeners) l.reset();
          } catch (loadErr) {
            this.o.logger.error({ err: loadErr }, 'reloading the mirror failed; retrying');
          }
        } else {
          this.o.logger.error({ err }, 'log tail: Redis failed; retrying');
          this.verifyNext = true;
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /**
   * Whether the log entry at the mirror's seq is still the event the mirror applied. After a Redis restart that
   * lost its last writes (AOF fsyncs every second), seqs are handed out again for different events: reading on
   * from our cursor would silently skip them.
   */
  private async logStillHolds(): Promise<boolean> {
    const seq = this.world.seq;
    if (seq === 0) return true;
    const mine = this.ring.lastSeq === seq ? this.ring.range(seq - 1) : undefined;
    const [entry] = (await this.o.redis.xRange(this.o.keys.log, `${seq}-0`, `${seq}-0`)) ?? [];
    if (!entry) return Number((await this.o.redis.get(this.o.keys.logSeq)) ?? 0) >= seq; // trimmed, but not behind
    if (!mine?.[0]) return true;
    return (
      JSON.stringify(parseLogEntry(entry as { id: string; message: Record<string, string> })) ===
      JSON.stringify(mine[0])
    );
  }

  /** Applies consecutive events; ring, snapshots and (when live) listeners follow in the same tick. */
  private applyBatch(events: LogEvent[], live: boolean): void {
    const applied: LogEvent[] = [];
    for (const e of events) {
      if (e.seq <= this.world.seq) continue;
      applyEvent(this.world, e); // throws SequenceGapError on a jump
      this.ring.push(e);
      applied.push(e);
      const w = this.world;
      if (mirrorSnapshotDue(e.seq, w.cases.size + w.units.size + w.tasks.size + w.sensors.size, this.o.snapshotEvery))
        this.writeSnapshot();
    }
    if (live && applied.length) for (const l of this.listeners) l.events(applied);
  }

  private writeSnapshot(): void {
    const { redis, keys, logger } = this.o;
    const seq = this.world.seq;
    const json = this.entityJson.object(toSnapshot(this.world));
    const write = redis
      .xAdd(keys.snapshots, `${seq}-0`, { s: json }, { TRIM: { strategy: 'MAXLEN', threshold: SNAPSHOTS_KEPT } })
      .then(
        () => logger.info({ seq }, 'snapshot written'),
        (err: Error) => {
          // Another hub wrote the snapshot of this seq first: Redis refuses an id not above the stream's top.
          if (!/equal or smaller/i.test(err.message)) logger.warn({ err, seq }, 'snapshot write failed');
        },
      )
      .finally(() => this.snapshotWrites.delete(write));
    this.snapshotWrites.add(write);
  }
}
