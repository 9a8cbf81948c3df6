/**
 * The finished part laid out two ways on one history (`EGRET_BENCH_HUB=finished npm run bench:replay`): a reader
 * whose compiled columns are built as arrays for one `JSON.stringify` (`finishedAsText: false`, as before) beside
 * one that writes them straight into bytes (as committed), each prepared as a hub prepares its reader, at the
 * browser phase's late instants, twice (the second round measured). Per answer the reader's own `json` phase (the
 * layout, from the fold to the bytes; the fold is shared with the open part asked first) — and the two answers
 * compared byte for byte: a difference throws.
 */
import type { RedisKeys } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { RedisHistory } from '../src/replay/redis-history.ts';
import { ReplayReader } from '../src/replay/replay-reader.ts';

export async function finishedPhase(opts: {
  redis: Redis;
  keys: RedisKeys;
  live: { seq: number; at: number };
  instants: number[];
  say: (line: string) => void;
}): Promise<Record<string, { p50: number; max: number; each: number[] }>> {
  const history = new RedisHistory(opts.redis, opts.keys);
  const reader = (finishedAsText: boolean) => {
    const json: number[] = [];
    const r = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      live: () => opts.live,
      cold: (a, b) => history.coldDeltas(a, b),
      onPhase: (phase, took) => phase === 'json' && json.push(took),
      finishedAsText,
    });
    return { r, json };
  };
  const variants = { arrays: reader(false), bytes: reader(true) };
  for (const v of Object.values(variants)) await v.r.prepare();
  const took: Record<string, number[]> = { arrays: [], bytes: [] };
  for (const round of [0, 1])
    for (const t of opts.instants) {
      const out: Record<string, Buffer> = {};
      for (const [name, v] of Object.entries(variants)) {
        await v.r.stateJson(t, 'open');
        v.json.length = 0;
        out[name] = await v.r.stateJson(t, 'finished');
        if (round) took[name]!.push(v.json[0]!);
      }
      if (!out.arrays!.equals(out.bytes!)) throw new Error(`the two layouts differ at ${new Date(t).toISOString()}`);
      if (round)
        opts.say(
          `  ${new Date(t).toISOString()}: ${Math.round(out.bytes!.length / 1024)} KB, arrays ` +
            `${Math.round(took.arrays!.at(-1)!)} ms, bytes ${Math.round(took.bytes!.at(-1)!)} ms (the same bytes)`,
        );
    }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1]!;
  return Object.fromEntries(
    Object.entries(took).map(([k, xs]) => [
      k,
      { p50: Math.round(p50(xs)), max: Math.round(Math.max(...xs)), each: xs.map(Math.round) },
    ]),
  );
}
