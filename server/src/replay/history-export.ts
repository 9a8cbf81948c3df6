import type pino from 'pino';
import type { Archive, ChunkInfo, ChunkLine } from './archive.ts';
import { minuteOf } from './position-segment.ts';
import { seqMember, type RedisHistory, type SnapshotRef } from './redis-history.ts';
import { emptyReplaySnapshot, fullSnapshot, type ReplaySnapshot } from './replay-snapshot.ts';

const DAY_MS = 86_400_000;
const PAGE = 5_000;

export interface ExportResult {
  chunks: ChunkInfo[];
  /** Where Redis history starts after the trim (the snapshot kept as its first state), when it was trimmed. */
  trimmedTo?: SnapshotRef;
}

/**
 * Moves history older than `before` (world time) from Redis to files: one chunk per stretch between consecutive
 * replay snapshots, the last one ending at the newest snapshot at or before `before` — which stays in Redis as the
 * first state Redis can seek from. Then (unless `trim` is false) drops what was exported from Redis.
 */
export async function exportHistory(o: {
  history: RedisHistory;
  archive: Archive;
  before: number;
  trim?: boolean;
  logger?: pino.Logger;
  /** IANA time zone of the KPI days, for an export from the start of the log (the city's). */
  timeZone?: string;
}): Promise<ExportResult> {
  const { history, archive } = o;
  const refs = await history.snapshotsUpTo(o.before);
  const manifest = await archive.manifest();
  const last = manifest.chunks.at(-1);
  let start: { ref: SnapshotRef; snapshot: () => Promise<ReplaySnapshot>; fromAt?: number } | undefined;
  if (last) {
    const ref = refs.find((r) => r.seq === last.toSeq);
    if (!ref)
      throw new Error(
        `the archive ends at seq ${last.toSeq} but Redis holds no snapshot there: export cannot continue it`,
      );
    start = { ref, snapshot: () => mustLoad(history, ref) };
  } else if ((await history.firstLogSeq()) === 1) {
    const [e1] = await history.readEvents(1, 1);
    start = {
      ref: { seq: 0, at: 0 },
      snapshot: async () => emptyReplaySnapshot(o.timeZone),
      ...(e1 ? { fromAt: e1.at } : {}),
    };
  } else if (refs[0]) {
    const ref = refs[0];
    start = { ref, snapshot: () => mustLoad(history, ref) };
  }
  if (!start) return { chunks: [] };
  const ends = refs.filter((r) => r.seq > start.ref.seq);
  if (ends.length === 0) return { chunks: [] };

  const periods = await history.periods();
  const oldestMinute = (await history.oldestSegmentMinute()) ?? 0;
  const chunks: ChunkInfo[] = [];
  let a = start.ref;
  let snapshot = await start.snapshot();
  let fromAt = start.fromAt ?? a.at;
  for (const b of ends) {
    const fromMinute = a.seq === 0 ? Math.min(oldestMinute, minuteOf(fromAt)) : minuteOf(a.at);
    const toMinute = Math.max(fromMinute, minuteOf(b.at));
    const events = await readAll(history, a.seq + 1, b.seq);
    const segments = toMinute > fromMinute ? await history.rawSegments(fromMinute, toMinute - 1) : [];
    const reports = [...(await history.reports(fromMinute, toMinute - 1))].sort((x, y) => x[0] - y[0]);
    // The first file carries every cold delta up to its end, the others those of their own stretch.
    const cold = await history.coldDeltas(chunks.length === 0 && !last ? 0 : a.seq + 1, b.seq);
    const lines: ChunkLine[] = [
      {
        kind: 'chunk',
        fromSeq: a.seq,
        toSeq: b.seq,
        fromAt,
        toAt: b.at,
        fromMinute,
        toMinute,
        snapshots: a.seq === 0 ? [] : [a],
        reports,
        periods: periods.filter((p) => p.seq > a.seq && p.seq <= b.seq),
      },
      ...(a.seq === 0 ? [] : [{ kind: 'snapshot' as const, seq: a.seq, at: a.at, snapshot }]),
      ...events.map((e) => ({ kind: 'event' as const, e })),
      ...segments.map((s) => ({ kind: 'positions' as const, minute: s.minute, d: s.d.toString('base64') })),
      ...cold.map((c) => ({ kind: 'cold' as const, seq: c.seq, text: c.text })),
    ];
    chunks.push(await archive.writeChunk(lines));
    o.logger?.info(
      { fromSeq: a.seq, toSeq: b.seq, events: events.length, segments: segments.length },
      'history exported',
    );
    a = b;
    fromAt = b.at;
    snapshot = await mustLoad(history, b);
  }
  if (o.trim === false) return { chunks };
  await trimRedisHistory(history, a);
  return { chunks, trimmedTo: a };
}

/**
 * Drops from Redis the history before the snapshot `keep` (which stays: it is where Redis history starts): older
 * snapshots, position segments, report counts, and log events up to it — but never a log event the hubs still
 * need to start (those after the newest mirror snapshot).
 */
export async function trimRedisHistory(history: RedisHistory, keep: SnapshotRef): Promise<void> {
  const { redis, keys } = history;
  const older = (await history.snapshotsUpTo(keep.at)).filter((r) => r.seq < keep.seq);
  if (older.length)
    await redis.zRem(
      keys.replaySnapshotIndex,
      older.map((r) => seqMember(r.seq)),
    );
  await redis.xTrim(keys.replaySnapshots, 'MINID', `${keep.seq}-0`);
  await redis.xTrim(keys.posHistory, 'MINID', `${minuteOf(keep.at)}-0`);
  const cut = minuteOf(keep.at);
  const fields = (await redis.hKeys(keys.replayReports)).filter((m) => Number(m) < cut);
  if (fields.length) await redis.hDel(keys.replayReports, fields);
  const [mirror] = (await redis.xRevRange(keys.snapshots, '+', '-', { COUNT: 1 })) ?? [];
  if (mirror) {
    const mirrorSeq = Number(mirror.id.slice(0, mirror.id.indexOf('-')));
    await redis.xTrim(keys.log, 'MINID', `${Math.min(keep.seq, mirrorSeq) + 1}-0`);
  }
}

/**
 * Retention: history whose world time is older than `retentionDays` before `worldAt` is deleted, from the archive
 * (whole chunks) and from Redis (up to the newest snapshot before the cut).
 */
export async function applyRetention(o: {
  history: RedisHistory;
  archive: Archive;
  worldAt: number;
  retentionDays: number;
  logger?: pino.Logger;
}): Promise<void> {
  const cutoff = o.worldAt - o.retentionDays * DAY_MS;
  const dropped = await o.archive.dropBefore(cutoff);
  if (dropped.length) o.logger?.info({ files: dropped.length }, 'history files past retention deleted');
  const keep = (await o.history.snapshotsUpTo(cutoff)).at(-1);
  const oldest = await o.history.oldestSnapshot();
  if (keep && oldest && keep.seq > oldest.seq) {
    await trimRedisHistory(o.history, keep);
    o.logger?.info({ seq: keep.seq }, 'Redis history past retention trimmed');
  }
}

async function mustLoad(history: RedisHistory, ref: SnapshotRef): Promise<ReplaySnapshot> {
  const s = await history.loadSnapshot(ref.seq);
  if (!s) throw new Error(`replay snapshot at seq ${ref.seq} is listed but not stored`);
  return fullSnapshot(s);
}

async function readAll(history: RedisHistory, fromSeq: number, toSeq: number) {
  const out = [];
  for (let next = fromSeq; next <= toSeq;) {
    const page = await history.readEvents(next, Math.min(PAGE, toSeq - next + 1), toSeq);
    if (page[0]?.seq !== next)
      throw new Error(`the Redis log lacks seq ${next}: cannot export (${page[0]?.seq ?? 'nothing'} found)`);
    out.push(...page);
    next = page.at(-1)!.seq + 1;
  }
  return out;
}
