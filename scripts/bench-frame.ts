/**
 * `npx tsx scripts/bench-frame.ts` — the position frame codec's speed in Node, version 2 beside version 3
 * (protocol/src/frame.ts): µs to encode and to decode one frame of a city's units (the wall decodes 10 frames a
 * second of a tenth of its units: 5,000 entries at 50,000 units), and bytes per entry. Alternates the versions in
 * rounds so both see the same machine; prints the median round. A measurement, not a test.
 * Environment: BENCH_FRAME_ENTRIES (5000,100000), BENCH_FRAME_ROUNDS (15).
 */
import { loadavg } from 'node:os';
import { decodeFrame, encodeFrame, type FrameVersion, type SlotFix } from '@egret/protocol';

const SIZES = (process.env.BENCH_FRAME_ENTRIES ?? '5000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_FRAME_ROUNDS ?? 15);
const AT = 1_473_872_700_123;

/** A tick's moved units: slots scattered over a city of 10 × n units, in the order Redis hands them (any). */
function tickOf(n: number): SlotFix[] {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const slots = new Set<number>();
  while (slots.size < n) slots.add(Math.floor(rnd() * n * 10));
  return [...slots].map((slot) => ({
    slot,
    lon: 117.95 + rnd() * 0.3,
    lat: 24.42 + rnd() * 0.2,
    at: AT - (rnd() < 0.9 ? 0 : Math.floor(rnd() * 60_000)),
  }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeUs(fn: () => void): number {
  // Enough repetitions for ~20 ms a sample.
  let reps = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    const us = Number(process.hrtime.bigint() - t0) / 1e3;
    if (us > 20_000) return us / reps;
    reps *= 2;
  }
}

console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; Node ${process.version}; ${ROUNDS} rounds`,
);
for (const n of SIZES) {
  const fixes = tickOf(n);
  const results = new Map<FrameVersion, { enc: number[]; dec: number[]; bytes: number }>();
  for (let r = 0; r < ROUNDS; r++)
    for (const version of r % 2 === 0 ? ([2, 3] as const) : ([3, 2] as const)) {
      const bytes = encodeFrame(1, AT, false, fixes, { version });
      const row = results.get(version) ?? { enc: [], dec: [], bytes: bytes.byteLength };
      row.enc.push(timeUs(() => encodeFrame(1, AT, false, fixes, { version })));
      row.dec.push(timeUs(() => decodeFrame(bytes)));
      results.set(version, row);
    }
  for (const [version, row] of [...results].sort((a, b) => a[0] - b[0]))
    console.log(
      `${n} entries, version ${version}: ${row.bytes} bytes (${(row.bytes / n).toFixed(2)} an entry); ` +
        `encode ${median(row.enc).toFixed(0)} µs, decode ${median(row.dec).toFixed(0)} µs`,
    );
}
