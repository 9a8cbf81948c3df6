import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTrails, encodeTrails, TRAILS_VERSION, TrailsFormatError, type Trails } from './replay.ts';
import { seeded } from '../../test/seeded.ts';

/**
 * `units` tracks of `points` samples every 10 s round Xiamen: each unit drives at a steady speed and heading (up to
 * ~200 m a sample) and changes them every few minutes; every fifth stands still.
 */
function walks(units: number, points: number, seed = 7): Trails {
  const next = seeded(seed);
  const rnd = () => next() * 2 - 1;
  const slots: number[] = [];
  const starts: number[] = [];
  const times: number[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  for (let u = 0; u < units; u++) {
    slots.push(u * 3 + 1);
    starts.push(times.length);
    const n = u % 17 === 0 ? 0 : u % 13 === 0 ? 1 : points; // empty and one-point paths too
    let x = 118_089_000 + Math.round(rnd() * 50_000);
    let y = 24_479_000 + Math.round(rnd() * 50_000);
    let vx = 0;
    let vy = 0;
    for (let i = 0; i < n; i++) {
      times.push(i * 10_000);
      lon.push(x);
      lat.push(y);
      if (u % 5 === 0) continue;
      if (i % 18 === 0) {
        vx = Math.round(rnd() * 2_000);
        vy = Math.round(rnd() * 2_000);
      }
      x += vx;
      y += vy;
    }
  }
  return {
    epoch: Date.UTC(2016, 8, 14, 20, 0, 0),
    slots: Uint32Array.from(slots),
    starts: Uint32Array.from(starts),
    times: Int32Array.from(times),
    lonE6: Int32Array.from(lon),
    latE6: Int32Array.from(lat),
  };
}

/** The version-1 layout (absolute columns), as hubs before version 2 sent it. */
function encodeV1(t: Trails): Uint8Array {
  const p = t.slots.length;
  const n = t.times.length;
  const bytes = new Uint8Array(20 + p * 8 + n * 12);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 1);
  view.setUint32(4, p, true);
  view.setFloat64(8, t.epoch, true);
  view.setUint32(16, n, true);
  let o = 20;
  for (const arr of [t.slots, t.starts]) for (let i = 0; i < p; i++, o += 4) view.setUint32(o, arr[i]!, true);
  for (const arr of [t.times, t.lonE6, t.latE6]) for (let i = 0; i < n; i++, o += 4) view.setInt32(o, arr[i]!, true);
  return bytes;
}

const br = (b: Uint8Array) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).byteLength;

describe('trails codec', () => {
  it('round-trips exactly, empty and one-point paths included, and still reads version 1', () => {
    const t = walks(200, 60);
    const bytes = encodeTrails(t);
    expect(bytes[0]).toBe(TRAILS_VERSION);
    expect(decodeTrails(bytes)).toEqual(t);
    expect(decodeTrails(bytes.buffer as ArrayBuffer)).toEqual(t);
    expect(decodeTrails(encodeV1(t))).toEqual(t);
    const empty = walks(0, 0);
    expect(decodeTrails(encodeTrails(empty))).toEqual(empty);
  });

  it('packs a late seek’s tracks several times tighter under brotli than absolute coordinates', () => {
    const t = walks(3_000, 180); // 3,000 units, 30 minutes at 10-second samples
    const v1 = br(encodeV1(t));
    const v2 = br(encodeTrails(t));
    expect(v2, `brotli: ${v1} bytes absolute, ${v2} as differences`).toBeLessThan(v1 / 2);
    if (process.env.EGRET_PRINT) console.log({ v1, v2 });
  });

  it('refuses what is not trails with a clear error', () => {
    const bytes = encodeTrails(walks(20, 10));
    expect(() => decodeTrails(bytes.subarray(0, 10))).toThrow(TrailsFormatError);
    expect(() => decodeTrails(bytes.subarray(0, bytes.length - 4))).toThrow(/paths and .* points/);
    const wrong = bytes.slice();
    wrong[0] = 9;
    expect(() => decodeTrails(wrong)).toThrow(/version 9/);
    const backwards = bytes.slice();
    new DataView(backwards.buffer).setUint32(20 + 20 * 4 + 4, 10_000, true); // path 1 starts past the points
    expect(() => decodeTrails(backwards)).toThrow(TrailsFormatError);
  });
});
