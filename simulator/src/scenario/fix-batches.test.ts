import { describe, expect, it } from 'vitest';
import { FixBatch, MAX_INPUT_BYTES } from '@egret/protocol';
import { FixBatchWriter } from './fix-batches.ts';

describe(FixBatchWriter.name, () => {
  it('writes batches the protocol’s FixBatch schema accepts, with every fix in order', () => {
    const w = new FixBatchWriter(3);
    for (let i = 0; i < 7; i++) w.add(`U-350203-01-00${i}`, 118.1 + i / 1000, 24.45, 1_782_871_200_000 + i);
    const { batches, count } = w.take();
    expect(count).toBe(7);
    expect(batches).toHaveLength(3);
    const fixes = batches.flatMap((b) => FixBatch.parse(JSON.parse(b)).fixes);
    expect(fixes.map((f) => f.unitId)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `U-350203-01-00${i}`));
    expect(fixes[3]).toEqual({ unitId: 'U-350203-01-003', lon: 118.103, lat: 24.45, at: 1_782_871_200_003 });
  });

  it('closes a batch before it passes the 64 KiB entry limit', () => {
    const w = new FixBatchWriter(5000);
    for (let i = 0; i < 3000; i++)
      w.add(`U-350212-03-${String(i).padStart(4, '0')}`, 118.123456, 24.654321, 1_782_871_200_000);
    const { batches, count } = w.take();
    expect(count).toBe(3000);
    for (const b of batches) expect(Buffer.byteLength(b)).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    expect(batches.length).toBeGreaterThan(3);
    expect(batches.reduce((s, b) => s + FixBatch.parse(JSON.parse(b)).fixes.length, 0)).toBe(3000);
  });

  it('starts empty after take', () => {
    const w = new FixBatchWriter();
    w.add('U-1', 118, 24, 1);
    w.take();
    expect(w.take()).toEqual({ batches: [], count: 0 });
  });
});
