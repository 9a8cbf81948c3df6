import { RESP_TYPES } from 'redis';
import type pino from 'pino';
import {
  applyEvent,
  applyKpiEvent,
  createKpiAccumulator,
  decodeFrame,
  emptyWorld,
  fromSnapshot,
  type Case,
  type KpiAccumulator,
  type LogEvent,
  type Task,
  type RedisKeys,
  type WorldSnapshot,
  type WorldState,
} from '@egret/protocol';
import type { SettingsFile } from '@egret/config';
import { slotFix } from '../positions/stored-fix.ts';
import { EntityJson } from '../log/snapshot-json.ts';
import { connectBlocking } from '../redis/blocking.ts';
import type { Redis } from '../redis/connect.ts';
import { coldKpiRecord, emptyColdView, mergeColdDelta, takeColdDelta } from './cold.ts';
import { DEFAULT_LEASE_MS, Lease } from './lease.ts';
import { PositionRecorder } from './position-recorder.ts';
import { minuteOf, type PositionSegment } from './position-segment.ts';
import { RedisHistory, type SnapshotRef } from './redis-history.ts';
import { encodeSnapshotText, fullSnapshot, restoreReplaySnapshot, takeReplaySnapshot } from './replay-snapshot.ts';
import { snapshotDue, type SnapshotPolicy } from './snapshot-policy.ts';

export type ReplaySettings = SettingsFile['replay'];

export interface HistoryWriterDeps {
  redis: Redis;
  keys: RedisKeys;
  hubId: string;
  settings: ReplaySettings;
  logger: pino.Logger;
  /** IANA time zone of the KPI calendar days: the city's (default Asia/Shanghai). */
  timeZone?: string;
  /** How long one XREAD blocks (ms). */
  blockMs?: number;
  /** How long the writer's lease lasts (default {@link DEFAULT_LEASE_MS}: outlives a loaded hub's stalls). */
  leaseMs?: number;
  /** Real time (ms) for the lease's renewal schedule. */
  realNow?: () => number;
  /** Housekeeping run by the leader now and then: retention and export (see archive.ts). */
  maintain?: (ctx: { history: RedisHistory; worldAt: number }) => Promise<void>;
  maintainEveryMs?: number;
}

export interface HistoryWriter {
  isLeader(): boolean;
  /** Log seq the writer has folded (0 while it is not the leader). */
  seq(): number;
  /** Resolves once the writer, as leader, has folded the log up to `seq` and written what was due. */
  caughtUp(seq: number, timeoutMs?: number): Promise<void>;
  /** Writes the open position segment now (tests, and a clean stop). */
  flushPositions(): Promise<void>;
  stop(): Promise<void>;
}

interface Leading {
  world: WorldState;
  /** Ids (`c:`/`t:`) already written as cold (cold.ts): left out of the hot snapshots. */
  cold: Set<string>;
  kpi: KpiAccumulator;
  last: SnapshotRef;
  countedSeq: number;
  recorder: PositionRecorder;
  framesCursor: string;
  lastTick: number | undefined;
  renewedAt: number;
  maintainedAt: number;
  /** The JSON of the entities in `world`, kept between snapshots. */
  entityJson: EntityJson;
}

type Entry = { id: string; message: Record<string, Buffer> | null };

/** The lease expired under us: another hub may lead now. */
class LeaseLost extends Error {}
/** The lease expired under us and we took it back: ours, but what we hold in memory may be stale. */
class LeaseRetaken extends Error {}

const idNumber = (id: string) => Number(id.slice(0, id.indexOf('-')));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The history writer: one leader hub (lease in Redis, like the position ticker) tails the log and the position
 * frames and keeps what replay needs for as long as the retention says — the live streams are trimmed short:
 * - snapshots of the world and of the KPI fold, at least every N events and every M world-minutes;
 * - the start of every scenario run (`clock.changed`) and the number of case reports per world minute;
 * - one position segment per world minute (keyframe + deltas every few seconds) from the live frames.
 * A new leader starts from the newest snapshot and folds the log from there; what it writes is keyed by seq or by
 * minute, so writing something twice is refused by Redis, and report counts carry the seq they are counted to.
 */
export function startHistoryWriter(deps: HistoryWriterDeps): HistoryWriter {
  const { redis, keys, logger, settings } = deps;
  const history = new RedisHistory(redis, keys);
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const realNow = deps.realNow ?? Date.now;
  const lease = new Lease(redis, keys.replayLease, leaseMs, deps.hubId);
  const policy: SnapshotPolicy = {
    everyEvents: settings.snapshotEveryEvents,
    everyMs: settings.snapshotEveryMinutes * 60_000,
  };
  const blockMs = deps.blockMs ?? 1_000;
  let blocking: Redis | undefined;
  let lead: Leading | undefined;
  let stopping = false;
  const waiters = new Set<() => void>();

  const log = logger.child({ part: 'history' });

  async function latestPositions(rec: PositionRecorder): Promise<void> {
    const [positions, slots] = (await redis.multi().hGetAll(keys.positions).hGetAll(keys.slots).exec()) as unknown as [
      Record<string, string>,
      Record<string, string>,
    ];
    const rows: Array<[number, number, number]> = [];
    for (const [unitId, stored] of Object.entries(positions)) {
      const fix = slotFix(slots[unitId], stored);
      if (fix) rows.push([fix.slot, Math.round(fix.lon * 1e6), Math.round(fix.lat * 1e6)]);
    }
    rec.seed({
      slots: Uint32Array.from(rows.map((r) => r[0])),
      lonE6: Int32Array.from(rows.map((r) => r[1])),
      latE6: Int32Array.from(rows.map((r) => r[2])),
    });
  }

  /** The state to continue from: the newest replay snapshot, else the empty world (or the mirror's snapshot when the log was trimmed). */
  async function takeOver(): Promise<Leading> {
    let world: WorldState = emptyWorld();
    let kpi = createKpiAccumulator(deps.timeZone !== undefined ? { timeZone: deps.timeZone } : {});
    let last: SnapshotRef = { seq: 0, at: 0 };
    const cold = new Set<string>();
    const newest = await history.newestSnapshot();
    const stored = newest && (await history.loadSnapshot(newest.seq));
    if (newest && stored) {
      ({ world, kpi } = restoreReplaySnapshot(fullSnapshot(stored)));
      last = newest;
      // The whole world again: the hot part plus every cold delta up to the snapshot (the hot part wins).
      const view = emptyColdView();
      for (const d of await history.coldDeltas(0, newest.seq)) mergeColdDelta(view, d.text);
      for (const [id, json] of view.cases) {
        if (world.cases.has(id)) continue;
        world.cases.set(id, JSON.parse(json) as Case);
        cold.add(`c:${id}`);
        const r = coldKpiRecord(view, id);
        if (r) kpi.cases.set(id, r);
      }
      for (const [id, json] of view.tasks) {
        if (world.tasks.has(id)) continue;
        world.tasks.set(id, JSON.parse(json) as Task);
        cold.add(`t:${id}`);
      }
    } else {
      const first = await history.firstLogSeq();
      if (first !== undefined && first > 1) {
        // The log was trimmed before any replay history was kept: start from the mirror's oldest snapshot that the
        // log still reaches. KPIs then count from there on.
        const snaps = (await redis.xRange(keys.snapshots, '-', '+')) ?? [];
        const usable = snaps.find((s) => idNumber(s.id) >= first - 1);
        if (!usable)
          throw new Error(`the log starts at seq ${first} and no snapshot reaches it: replay history cannot start`);
        world = fromSnapshot(JSON.parse(usable.message.s!) as WorldSnapshot);
        kpi = createKpiAccumulator({
          seq: world.seq,
          ...(deps.timeZone !== undefined ? { timeZone: deps.timeZone } : {}),
        });
        log.warn({ seq: world.seq }, 'replay history starts after a trimmed log: KPIs in replay count from here on');
      }
    }
    const countedSeq = Number((await redis.hGet(keys.replayCursor, 'countedSeq')) ?? 0);
    const recorder = new PositionRecorder(settings.positionStepMs);
    await latestPositions(recorder);
    const [top] = (await redis.xRevRange(keys.frames, '+', '-', { COUNT: 1 })) ?? [];
    log.info({ seq: world.seq, snapshot: last.seq }, 'took the history writer lease');
    return {
      world,
      cold,
      kpi,
      last,
      countedSeq,
      recorder,
      framesCursor: top?.id ?? '0-0',
      lastTick: top ? idNumber(top.id) : undefined,
      renewedAt: realNow(),
      maintainedAt: 0,
      entityJson: new EntityJson(),
    };
  }

  /**
   * Writes a finished segment. Empty ones (no unit has a position yet — e.g. the ticks before a simulator sets the
   * clock) are not kept: a segment's id is its minute and ids only go up, so a stray early one would block the
   * minutes a clock set to an earlier time produces.
   */
  async function writeSegment(segment: PositionSegment): Promise<void> {
    if (segment.key.slots.length === 0 && segment.steps.length === 0) return;
    if (!(await history.writeSegment(segment))) {
      log.warn(
        { minute: segment.minute },
        'position segment refused: a segment of this or a later minute is already kept (world time went backwards?)',
      );
    }
  }

  /**
   * Renews the lease when a fifth of it has passed; throws when another hub holds it (the loop then stands down).
   * A lease that expired during a stall while nobody took it is taken back (Lease.renew): nobody wrote meanwhile.
   */
  async function keepLease(l: Leading): Promise<void> {
    if (realNow() - l.renewedAt < leaseMs / 5) return;
    const kept = await lease.keep();
    if (kept === 'lost') throw new LeaseLost();
    // Expired during a stall and taken back: another writer may have led meanwhile, so start over from Redis.
    if (kept === 'retaken') throw new LeaseRetaken();
    l.renewedAt = realNow();
  }

  async function applyLog(l: Leading, events: LogEvent[]): Promise<void> {
    const reports = new Map<number, number>();
    const periods: Array<{ seq: number; at: number; scenario: string }> = [];
    for (const e of events) {
      if (e.seq <= l.world.seq) continue;
      applyEvent(l.world, e); // throws SequenceGapError on a hole: the loop starts over from a snapshot
      applyKpiEvent(l.kpi, e);
      // Touched again (rare for a final entity): hot until it is final again, then written anew (the later wins).
      if (e.type === 'case.reported' || e.type === 'case.transitioned' || e.type === 'case.amended')
        l.cold.delete(`c:${e.case.id}`);
      else if (e.type === 'task.created' || e.type === 'task.updated') l.cold.delete(`t:${e.task.id}`);
      if (e.type === 'case.reported' && e.seq > l.countedSeq)
        reports.set(minuteOf(e.at), (reports.get(minuteOf(e.at)) ?? 0) + 1);
      if (e.type === 'clock.changed') periods.push({ seq: e.seq, at: l.world.at, scenario: e.clock.scenario ?? '' });
      const hot = l.world.units.size + l.world.cases.size + l.world.tasks.size + l.world.sensors.size - l.cold.size;
      if (snapshotDue(l.last, { seq: l.world.seq, at: l.world.at, hot }, policy)) {
        const ref = { seq: l.world.seq, at: l.world.at };
        const coldText = takeColdDelta(l.world, l.kpi, l.cold);
        await history.writeSnapshot(
          ref,
          encodeSnapshotText(takeReplaySnapshot(l.world, l.kpi, l.cold), l.entityJson),
          coldText,
        );
        l.last = ref;
        // Catching up on a long log writes many snapshots in one batch: keep the lease alive meanwhile.
        await keepLease(l);
      }
    }
    for (const p of periods) {
      await redis
        .xAdd(keys.replayPeriods, `${p.seq}-0`, { at: String(p.at), scenario: p.scenario })
        .catch((err: Error) => {
          if (!/equal or smaller/i.test(err.message)) throw err;
        });
    }
    if (l.world.seq > l.countedSeq) {
      const m = redis.multi();
      for (const [minute, n] of reports) m.hIncrBy(keys.replayReports, String(minute), n);
      m.hSet(keys.replayCursor, 'countedSeq', String(l.world.seq));
      await m.exec();
      l.countedSeq = l.world.seq;
    }
  }

  async function applyFrames(l: Leading, entries: Entry[]): Promise<void> {
    for (const { id, message } of entries) {
      l.framesCursor = id;
      const bytes = message?.f;
      if (!bytes) continue;
      let frame;
      try {
        frame = decodeFrame(bytes);
      } catch (err) {
        log.warn({ id, err: (err as Error).message }, 'skipping a bad position frame');
        continue;
      }
      // Missed frames (the stream is short and we fell behind): take every unit's latest position again.
      if (l.lastTick !== undefined && frame.tick !== l.lastTick + 1) await latestPositions(l.recorder);
      l.lastTick = frame.tick;
      const closed = l.recorder.push(frame);
      if (closed) await writeSegment(closed);
    }
  }

  async function step(l: Leading): Promise<void> {
    const reader = blocking!.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const reply = await reader.xRead(
      [
        { key: keys.log, id: `${l.world.seq}-0` },
        { key: keys.frames, id: l.framesCursor },
      ],
      { COUNT: 1_000, BLOCK: blockMs },
    );
    for (const stream of (reply ?? []) as Array<{ name: Buffer | string; messages: Entry[] }>) {
      const name = String(stream.name);
      if (name === keys.log) {
        const events = stream.messages
          .filter((m) => m.message?.e)
          .map((m) => JSON.parse(m.message!.e!.toString()) as LogEvent);
        await applyLog(l, events);
      } else if (name === keys.frames) {
        await applyFrames(l, stream.messages);
      }
    }
    for (const w of waiters) w();
  }

  async function run(): Promise<void> {
    let backoff = 200;
    while (!stopping) {
      try {
        if (!lead) {
          if (!(await lease.acquire()) && !(await lease.held())) {
            await sleep(Math.min(leaseMs / 2, 1_000));
            continue;
          }
          lead = await takeOver();
        }
        const l = lead;
        await step(l);
        await keepLease(l);
        if (deps.maintain && realNow() - l.maintainedAt >= (deps.maintainEveryMs ?? 60_000)) {
          l.maintainedAt = realNow();
          await deps.maintain({ history, worldAt: l.world.at });
        }
        backoff = 200;
      } catch (err) {
        if (stopping) break;
        if (err instanceof LeaseLost) {
          log.warn('lost the history writer lease');
          lead = undefined;
          continue;
        }
        if (err instanceof LeaseRetaken) {
          log.warn(
            'the history writer lease expired during a stall; taken back: starting over from the newest snapshot',
          );
          lead = undefined;
          continue;
        }
        log.error({ err }, 'history writer failed; starting over from the newest snapshot');
        lead = undefined;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  let running: Promise<void> | undefined;
  const started = connectBlocking(redis, `egret-history-${deps.hubId}`).then((c) => {
    blocking = c;
    running = run();
  });

  async function flushPositions(): Promise<void> {
    const closed = lead?.recorder.close();
    if (closed) await writeSegment(closed);
  }

  return {
    isLeader: () => lead !== undefined,
    seq: () => lead?.world.seq ?? 0,
    flushPositions,
    caughtUp(seq, timeoutMs = 10_000) {
      return new Promise<void>((done, fail) => {
        const check = () => {
          if (lead && lead.world.seq >= seq) {
            waiters.delete(check);
            clearTimeout(timer);
            done();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(
            new Error(
              `history writer did not reach seq ${seq} within ${timeoutMs} ms (at ${lead?.world.seq ?? 'not leading'})`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      stopping = true;
      await started.catch(() => {});
      blocking?.destroy(); // unblocks the pending XREAD at once
      await running;
      if (lead) {
        await flushPositions().catch((err: unknown) => log.warn({ err }, 'could not write the last position segment'));
        await lease.release().catch(() => {});
        lead = undefined;
      }
    },
  };
}
