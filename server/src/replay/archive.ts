import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEvent } from '@egret/protocol';
import { packText, unpackBytes, unpackText } from './compress.ts';
import type { HistoryPart } from './history-part.ts';
import { decodeSegment, type PositionSegment } from './position-segment.ts';
import type { PeriodStart, SnapshotRef } from './redis-history.ts';
import { lazyFromSnapshot, type LazySnapshot, type ReplaySnapshot } from './replay-snapshot.ts';

/**
 * Exported history on disk: `<archiveDir>/<ns>/<from>-<to>-s<seq>.jsonl.br`, one file per stretch between two
 * replay snapshots, each a brotli-compressed JSON-lines file — a header, the snapshot it starts from, the log
 * events after it, the position segments of its minutes — plus `manifest.json` listing them. A chunk stands on
 * its own: a seek into it needs that one file.
 */
export interface ChunkInfo {
  file: string;
  /** Seq of the snapshot the chunk starts from (0: the empty world); its events are (fromSeq, toSeq]. */
  fromSeq: number;
  toSeq: number;
  /** World time (running maximum) of the chunk's first state and of its last event. */
  fromAt: number;
  toAt: number;
  /** Position segments of the minutes [fromMinute, toMinute). */
  fromMinute: number;
  toMinute: number;
  /** The snapshots the chunk holds (its start, unless that is the empty world). */
  snapshots: SnapshotRef[];
  /** Case reports per minute over [fromMinute, toMinute). */
  reports: Array<[number, number]>;
  /** Scenario runs that started within the chunk. */
  periods: PeriodStart[];
  bytes: number;
}

export interface Manifest {
  version: 1;
  ns: string;
  chunks: ChunkInfo[];
}

/** One line of a chunk file. */
export type ChunkLine =
  | ({ kind: 'chunk' } & Omit<ChunkInfo, 'file' | 'bytes'>)
  | { kind: 'snapshot'; seq: number; at: number; snapshot: ReplaySnapshot }
  | { kind: 'event'; e: LogEvent }
  | { kind: 'positions'; minute: number; d: string }
  /** A cold delta (cold.ts): for import elsewhere — a hub reads cold deltas from Redis, which keeps them all. */
  | { kind: 'cold'; seq: number; text: string };

interface LoadedChunk {
  info: ChunkInfo;
  snapshots: Map<number, ReplaySnapshot>;
  events: LogEvent[];
  /** Deflated segments by minute. */
  segments: Map<number, Buffer>;
}

const stamp = (t: number) =>
  new Date(t)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** The file name of a chunk: its world-time span, and its start seq to keep names unique. */
export function chunkFileName(fromAt: number, toAt: number, fromSeq: number): string {
  return `${stamp(fromAt)}-${stamp(toAt)}-s${fromSeq}.jsonl.br`;
}

/** The exported history of one namespace: read as a history part, written by `writeChunk`. */
export class Archive implements HistoryPart {
  readonly dir: string;
  private manifestCache: { mtimeMs: number; manifest: Manifest } | undefined;
  private readonly loaded = new Map<string, Promise<LoadedChunk>>();

  constructor(
    archiveDir: string,
    readonly ns: string,
    private readonly cacheSize = 3,
  ) {
    this.dir = join(archiveDir, ns);
  }

  async manifest(): Promise<Manifest> {
    const path = join(this.dir, 'manifest.json');
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(path)).mtimeMs;
    } catch {
      return { version: 1, ns: this.ns, chunks: [] };
    }
    if (this.manifestCache?.mtimeMs !== mtimeMs) {
      this.manifestCache = { mtimeMs, manifest: JSON.parse(await readFile(path, 'utf8')) as Manifest };
    }
    return this.manifestCache.manifest;
  }

  private async saveManifest(m: Manifest): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, 'manifest.json');
    await writeFile(`${path}.tmp`, JSON.stringify(m, null, 1));
    await rename(`${path}.tmp`, path);
    this.manifestCache = undefined;
  }

  /** Writes one chunk file (atomically: a temporary name, then rename) and lists it in the manifest. */
  async writeChunk(lines: ChunkLine[]): Promise<ChunkInfo> {
    const head = lines[0];
    if (head?.kind !== 'chunk') throw new Error('a chunk starts with its header line');
    const { kind: _kind, ...meta } = head;
    const file = chunkFileName(meta.fromAt, meta.toAt, meta.fromSeq);
    const bytes = await packText(lines.map((l) => JSON.stringify(l)).join('\n'));
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${file}.tmp`), bytes);
    await rename(join(this.dir, `${file}.tmp`), join(this.dir, file));
    const info: ChunkInfo = { ...meta, file, bytes: bytes.length };
    const m = await this.manifest();
    const chunks = [...m.chunks.filter((c) => c.file !== file), info].sort((a, b) => a.fromSeq - b.fromSeq);
    await this.saveManifest({ version: 1, ns: this.ns, chunks });
    return info;
  }

  /** Deletes the chunks that end before `cutoff` (world time); returns them. */
  async dropBefore(cutoff: number): Promise<ChunkInfo[]> {
    const m = await this.manifest();
    const gone = m.chunks.filter((c) => c.toAt < cutoff);
    if (!gone.length) return [];
    await this.saveManifest({ ...m, chunks: m.chunks.filter((c) => c.toAt >= cutoff) });
    for (const c of gone) {
      this.loaded.delete(c.file);
      await rm(join(this.dir, c.file), { force: true });
    }
    return gone;
  }

  /** Reads a chunk file's lines (for import and tests). */
  async readLines(file: string): Promise<ChunkLine[]> {
    const text = await unpackText(await readFile(join(this.dir, file)));
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ChunkLine);
  }

  private chunk(info: ChunkInfo): Promise<LoadedChunk> {
    let hit = this.loaded.get(info.file);
    if (hit) {
      this.loaded.delete(info.file);
      this.loaded.set(info.file, hit);
      return hit;
    }
    hit = (async () => {
      const out: LoadedChunk = { info, snapshots: new Map(), events: [], segments: new Map() };
      for (const line of await this.readLines(info.file)) {
        if (line.kind === 'snapshot') out.snapshots.set(line.seq, line.snapshot);
        else if (line.kind === 'event') out.events.push(line.e);
        else if (line.kind === 'positions') out.segments.set(line.minute, Buffer.from(line.d, 'base64'));
      }
      return out;
    })();
    hit.catch(() => this.loaded.delete(info.file));
    this.loaded.set(info.file, hit);
    while (this.loaded.size > this.cacheSize) this.loaded.delete(this.loaded.keys().next().value!);
    return hit;
  }

  async snapshotAtOrBefore(t: number): Promise<SnapshotRef | undefined> {
    let best: SnapshotRef | undefined;
    for (const c of (await this.manifest()).chunks)
      for (const s of c.snapshots) if (s.at <= t && (!best || s.seq > best.seq)) best = s;
    return best;
  }

  async oldestSnapshot(): Promise<SnapshotRef | undefined> {
    let best: SnapshotRef | undefined;
    for (const c of (await this.manifest()).chunks) for (const s of c.snapshots) if (!best || s.at < best.at) best = s;
    return best;
  }

  async loadSnapshot(seq: number): Promise<LazySnapshot | undefined> {
    const info = (await this.manifest()).chunks.find((c) => c.snapshots.some((s) => s.seq === seq));
    const s = info && (await this.chunk(info)).snapshots.get(seq);
    return s && lazyFromSnapshot(s);
  }

  async readEvents(fromSeq: number, count: number): Promise<LogEvent[]> {
    const info = (await this.manifest()).chunks.find((c) => c.fromSeq < fromSeq && fromSeq <= c.toSeq);
    if (!info) return [];
    const { events } = await this.chunk(info);
    const i = fromSeq - info.fromSeq - 1; // events are consecutive from fromSeq + 1
    return events[i]?.seq === fromSeq
      ? events.slice(i, i + count)
      : events.filter((e) => e.seq >= fromSeq).slice(0, count);
  }

  async segmentAtOrBefore(minute: number, notBefore: number): Promise<PositionSegment | undefined> {
    const chunks = (await this.manifest()).chunks
      .filter((c) => c.fromMinute <= minute && c.toMinute > notBefore)
      .reverse();
    for (const info of chunks) {
      const { segments } = await this.chunk(info);
      let best: number | undefined;
      for (const m of segments.keys()) if (m <= minute && m >= notBefore && (best === undefined || m > best)) best = m;
      if (best !== undefined) return decodeSegment(await unpackBytes(segments.get(best)!));
    }
    return undefined;
  }

  async segments(fromMinute: number, toMinute: number): Promise<PositionSegment[]> {
    const out: PositionSegment[] = [];
    for (const info of (await this.manifest()).chunks) {
      if (info.toMinute <= fromMinute || info.fromMinute > toMinute) continue;
      const { segments } = await this.chunk(info);
      for (const [m, d] of segments)
        if (m >= fromMinute && m <= toMinute) out.push(decodeSegment(await unpackBytes(d)));
    }
    return out.sort((a, b) => a.minute - b.minute);
  }

  async reports(fromMinute: number, toMinute: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const c of (await this.manifest()).chunks)
      for (const [m, n] of c.reports) if (m >= fromMinute && m <= toMinute) out.set(m, n);
    return out;
  }
}
