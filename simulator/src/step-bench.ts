/**
 * How long one world step takes at scale, without Redis: builds the `load` scenario (LOAD_UNITS, default 50,000)
 * and times 60 one-second steps (movement, duty, cases and the FixBatch JSON). A 1 Hz simulator needs a step well
 * under 1,000 ms; publishing adds the Redis round trips.
 *
 *   npx tsx simulator/src/step-bench.ts
 */
import { loadConfig, loadPlaces } from '@egret/config';
import { createWorld } from './scenario/registry.ts';

const units = Number(process.env.LOAD_UNITS ?? 50_000);
const config = loadConfig();
const start = Date.parse('2026-11-22T10:00:00+08:00');
let t = performance.now();
const world = createWorld({ name: 'load', config, places: loadPlaces(), seed: 1, start, loadUnits: units });
const buildMs = performance.now() - t;
world.start(start);
const times: number[] = [];
let fixes = 0,
  bytes = 0;
for (let k = 1; k <= 60; k++) {
  t = performance.now();
  const out = world.step(start + k * 1000);
  times.push(performance.now() - t);
  fixes += out.fixCount;
  for (const b of out.fixBatches) bytes += b.length;
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    units,
    buildMs: Math.round(buildMs),
    stepMsMedian: +times[30]!.toFixed(1),
    stepMsP95: +times[57]!.toFixed(1),
    fixesPerStep: fixes / 60,
    jsonMBPerStep: +(bytes / 60 / 1e6).toFixed(2),
  }),
);
