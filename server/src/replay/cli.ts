/**
 * Replay history on disk, by hand:
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx server/src/replay/cli.ts export --older-than 7d [--ns egret] [--keep]
 *   REDIS_URL=… npx tsx server/src/replay/cli.ts export --before 2016-09-16T00:00:00+08:00
 *   REDIS_URL=… npx tsx server/src/replay/cli.ts import --from-ns egret --ns drill-2016 [file.jsonl.br …]
 *   npx tsx server/src/replay/cli.ts list [--ns egret]            (REDIS_URL optional: adds what Redis holds)
 *
 * Files go to `<settings.replay.archiveDir>/<ns>/` (`--dir` overrides). `export` moves history older than the cut
 * from Redis to files (`--keep` leaves Redis as it is); `import` loads files back into a namespace (another one to
 * replay an archive elsewhere); `list` shows what is where. A hub reads exported files by itself when a replay
 * reaches back into them — importing is not needed for that.
 */
import { resolve } from 'node:path';
import { loadConfig } from '@egret/config';
import { redisKeys } from '@egret/protocol';
import { connectRedis, redact, redisUrlFromEnv, type Redis } from '../redis/connect.ts';
import { Archive } from './archive.ts';
import { exportHistory } from './history-export.ts';
import { importChunk } from './history-import.ts';
import { RedisHistory } from './redis-history.ts';

const USAGE =
  'usage: cli.ts export (--older-than <N>d|<N>h | --before <ISO time>) [--ns egret] [--dir path] [--keep]\n' +
  '       cli.ts import [--from-ns egret] --ns <target> [--dir path] [file …]\n' +
  '       cli.ts list [--ns egret] [--dir path]';

/** Thrown for a bad command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

interface Args {
  command: string;
  flags: Map<string, string | true>;
  files: string[];
}

export function parseArgs(argv: readonly string[]): Args {
  const [command = '', ...rest] = argv;
  const flags = new Map<string, string | true>();
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) {
      files.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (name === 'keep') flags.set(name, true);
    else {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
      i++;
    }
  }
  return { command, flags, files };
}

/** `7d`, `36h`, `90m` → ms. */
export function parseAge(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([dhm])$/.exec(text);
  if (!m) throw new UsageError(`--older-than ${text}: expected a number and d, h or m (e.g. 7d)`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

const iso = (t: number) => new Date(t).toISOString();

async function connect(): Promise<Redis> {
  const url = redisUrlFromEnv(process.env); // REDIS_URL, or REDIS_SENTINELS + REDIS_MASTER_NAME (compose)
  if (!url)
    throw new UsageError(
      'REDIS_URL (or REDIS_SENTINELS and REDIS_MASTER_NAME) is required (e.g. redis://127.0.0.1:6379)',
    );
  const redis = await connectRedis(url, { name: 'egret-replay-cli' });
  process.stderr.write(`Redis: ${redact(url)}\n`);
  return redis;
}

async function main(argv: readonly string[]): Promise<void> {
  const { command, flags, files } = parseArgs(argv);
  const config = loadConfig();
  const flag = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const ns = flag('ns') ?? process.env.EGRET_NS ?? 'egret';
  const dir = resolve(flag('dir') ?? config.settings.replay.archiveDir);

  if (command === 'export') {
    const redis = await connect();
    try {
      const history = new RedisHistory(redis, redisKeys(ns));
      let before: number;
      const older = flag('older-than');
      const at = flag('before');
      if (older) {
        const newest = await history.newestSnapshot();
        if (!newest) throw new UsageError(`namespace ${ns} has no replay history yet`);
        before = newest.at - parseAge(older);
      } else if (at) {
        before = Date.parse(at);
        if (!Number.isFinite(before)) throw new UsageError(`--before ${at}: expected an ISO time`);
      } else throw new UsageError('export needs --older-than or --before');
      const { chunks, trimmedTo } = await exportHistory({
        history,
        archive: new Archive(dir, ns),
        before,
        trim: !flags.has('keep'),
      });
      for (const c of chunks)
        console.log(`${c.file}\t${iso(c.fromAt)} → ${iso(c.toAt)}\tseq ${c.fromSeq + 1}–${c.toSeq}\t${c.bytes} bytes`);
      console.log(chunks.length ? `exported ${chunks.length} file(s) to ${dir}/${ns}` : 'nothing old enough to export');
      if (trimmedTo) console.log(`Redis history now starts at seq ${trimmedTo.seq} (${iso(trimmedTo.at)})`);
    } finally {
      await redis.close();
    }
  } else if (command === 'import') {
    if (!flag('ns')) throw new UsageError('import needs --ns <target namespace>');
    const source = new Archive(dir, flag('from-ns') ?? ns);
    const manifest = await source.manifest();
    const chosen = files.length
      ? manifest.chunks.filter((c) => files.some((f) => f.endsWith(c.file)))
      : manifest.chunks;
    if (!chosen.length) throw new UsageError(`no chunks to import from ${source.dir}`);
    const redis = await connect();
    try {
      const history = new RedisHistory(redis, redisKeys(ns));
      for (const c of chosen) {
        const r = await importChunk(history, await source.readLines(c.file));
        console.log(`${c.file}: ${r.events} events, ${r.snapshots} snapshots, ${r.segments} position segments`);
      }
    } finally {
      await redis.close();
    }
  } else if (command === 'list') {
    const manifest = await new Archive(dir, ns).manifest();
    console.log(`files in ${dir}/${ns}: ${manifest.chunks.length}`);
    for (const c of manifest.chunks)
      console.log(`  ${c.file}\t${iso(c.fromAt)} → ${iso(c.toAt)}\tseq ${c.fromSeq + 1}–${c.toSeq}\t${c.bytes} bytes`);
    if (redisUrlFromEnv(process.env)) {
      const redis = await connect();
      try {
        const history = new RedisHistory(redis, redisKeys(ns));
        const [oldest, newest] = [await history.oldestSnapshot(), await history.newestSnapshot()];
        console.log(
          `Redis: log from seq ${(await history.firstLogSeq()) ?? '—'}, snapshots ${oldest ? `${iso(oldest.at)} (seq ${oldest.seq})` : '—'} … ${newest ? `${iso(newest.at)} (seq ${newest.seq})` : '—'}`,
        );
        const minute = await history.oldestSegmentMinute();
        console.log(`Redis: positions from ${minute === undefined ? '—' : iso(minute * 60_000)}`);
      } finally {
        await redis.close();
      }
    }
  } else {
    throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('replay/cli.ts')) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  });
}
