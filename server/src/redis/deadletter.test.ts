import { describe, expect, it } from 'vitest';
import { redisKeys } from '@egret/protocol';
import { DEADLETTER_KEEP_BYTES, deadLetterCommands, keepBytes } from './deadletter.ts';

const keys = redisKeys('t');
const kept = (data: string) =>
  deadLetterCommands(keys, { source: 's', reason: 'r', detail: 'd', data }, 100, 0).xadd[1].data;

describe(deadLetterCommands.name, () => {
  it('keeps at most 8 KiB of UTF-8 of a rejected input, cut between characters, and says how big it was', () => {
    for (const [unit, bytes] of [
      ['a', 1],
      ['é', 2],
      ['中', 3],
      ['😀', 4],
    ] as const) {
      const data = unit.repeat(Math.ceil((3 * DEADLETTER_KEEP_BYTES) / bytes));
      const out = kept(data);
      const marker = `…(${Buffer.byteLength(data)} bytes)`;
      expect(out.endsWith(marker), unit).toBe(true);
      const head = out.slice(0, -marker.length);
      expect(Buffer.byteLength(head), unit).toBeLessThanOrEqual(DEADLETTER_KEEP_BYTES);
      expect(Buffer.byteLength(head), unit).toBeGreaterThan(DEADLETTER_KEEP_BYTES - bytes);
      expect(data.startsWith(head), unit).toBe(true);
      expect(head, unit).not.toMatch(/\uFFFD|[\uD800-\uDBFF]$/);
    }
  });

  it('keeps an input of 8 KiB or less whole, however few characters it has', () => {
    const exactly = 'a'.repeat(DEADLETTER_KEEP_BYTES);
    expect(kept(exactly)).toBe(exactly);
    const chinese = '中'.repeat(3_000); // 3,000 UTF-16 units but 9,000 bytes: cut
    expect(kept(chinese)).toMatch(/…\(9000 bytes\)$/);
  });
});

describe(keepBytes.name, () => {
  it('never splits a surrogate pair', () => {
    expect(keepBytes('a😀', 4)).toBe('a');
    expect(keepBytes('a😀', 5)).toBe('a😀');
    expect(keepBytes('中中', 5)).toBe('中');
  });
});
