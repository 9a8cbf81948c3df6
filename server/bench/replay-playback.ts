/**
 * Where replay's playback through the hub spends its time, per event: reading the log (XRANGE), parsing each
 * event's JSON, the display's fold (world + KPI), and the `/events` answer's JSON and brotli (q4, as the hub
 * compresses it; sampled on every tenth page). Run against a Redis that holds a log — e.g. the one `npm run
 * bench:replay` builds, while it runs:
 *
 *   npx tsx server/bench/replay-playback.ts redis://127.0.0.1:<port> [namespace, default bench-replay]
 *
 * Prints events per second for each step and for the hub's whole path; 3600× at the typhoon's peak needs ~72,500.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { applyEvent, applyKpiEvent, createKpiAccumulator, emptyWorld, redisKeys, type LogEvent } from '@egret/protocol';
import { connectRedis } from '../src/redis/connect.ts';

const url = process.argv[2] ?? 'redis://127.0.0.1:6379';
const keys = redisKeys(process.argv[3] ?? 'bench-replay');
const redis = await connectRedis(url, { name: 'replay-playback-bench' });
const len = await redis.xLen(keys.log);
const world = emptyWorld();
const acc = createKpiAccumulator();
const t = { xrange: 0, parse: 0, fold: 0, answerJson: 0, answerBrotli: 0 };
let n = 0;
let sampled = 0;
let bytes = 0;
let brBytes = 0;
for (let next = 1, page = 0; next <= len; page++) {
  const a = performance.now();
  const entries = await redis.xRange(keys.log, `${next}-0`, '+', { COUNT: 5_000 });
  const b = performance.now();
  const events = (entries ?? []).map((m) => JSON.parse(m.message.e!) as LogEvent);
  const c = performance.now();
  for (const e of events) {
    applyEvent(world, e);
    applyKpiEvent(acc, e);
  }
  const d = performance.now();
  if (page % 10 === 0) {
    const text = JSON.stringify({ events });
    const e1 = performance.now();
    const z = brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
    t.answerJson += e1 - d;
    t.answerBrotli += performance.now() - e1;
    sampled += events.length;
    bytes += Buffer.byteLength(text);
    brBytes += z.length;
  }
  t.xrange += b - a;
  t.parse += c - b;
  t.fold += d - c;
  n += events.length;
  if (events.length === 0) break;
  next = events.at(-1)!.seq + 1;
}
await redis.close();
const perS = (ms: number, count = n) => Math.round(count / (ms / 1000));
const perEventMs = {
  xrange: t.xrange / n,
  parse: t.parse / n,
  fold: t.fold / n,
  answerJson: t.answerJson / sampled,
  answerBrotli: t.answerBrotli / sampled,
};
const hub = perEventMs.xrange + perEventMs.parse + perEventMs.answerJson + perEventMs.answerBrotli;
console.log(
  JSON.stringify(
    {
      events: n,
      eventsPerS: {
        xrange: perS(t.xrange),
        parse: perS(t.parse),
        fold: perS(t.fold),
        answerJson: perS(t.answerJson, sampled),
        answerBrotli: perS(t.answerBrotli, sampled),
        hubPath: Math.round(1000 / hub),
      },
      answerBytesPerEvent: Math.round(bytes / sampled),
      answerBrBytesPerEvent: Math.round(brBytes / sampled),
    },
    null,
    2,
  ),
);
