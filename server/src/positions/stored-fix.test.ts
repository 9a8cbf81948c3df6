import { describe, expect, inject, it } from 'vitest';
import { connectRedis } from '../redis/connect.ts';
import { decodeStoredFix, encodeStoredFix, LUA_STORED_FIX, slotFix } from './stored-fix.ts';

describe(decodeStoredFix.name, () => {
  it('reads back what encodeStoredFix wrote', () => {
    const fix = { lon: 118.089123, lat: 24.479876, at: 1_782_871_200_123 };
    expect(encodeStoredFix(fix)).toBe('118.089123,24.479876,1782871200123');
    expect(decodeStoredFix(encodeStoredFix(fix))).toEqual(fix);
  });

  it('answers undefined for a missing or unreadable fix', () => {
    expect(decodeStoredFix(null)).toBeUndefined();
    expect(decodeStoredFix(undefined)).toBeUndefined();
    expect(decodeStoredFix('')).toBeUndefined();
    expect(decodeStoredFix('x,y,z')).toBeUndefined();
    expect(decodeStoredFix('118.1,24.5')).toBeUndefined();
  });
});

describe(slotFix.name, () => {
  it('puts a stored fix at its frame slot, or nothing when the slot is unreadable', () => {
    expect(slotFix('7', '118.1,24.5,1000')).toEqual({ slot: 7, lon: 118.1, lat: 24.5, at: 1000 });
    expect(slotFix(undefined, '118.1,24.5,1000')).toBeUndefined();
    expect(slotFix('x', '118.1,24.5,1000')).toBeUndefined();
    expect(slotFix('7', null)).toBeUndefined();
  });
});

describe('LUA_STORED_FIX', () => {
  it('writes the same text as encodeStoredFix and reads the time back, in Redis', async () => {
    const redis = await connectRedis(inject('redisUrl'));
    try {
      const script = `${LUA_STORED_FIX}
local text = stored_fix(ARGV[1], ARGV[2], ARGV[3])
return { text, tostring(stored_fix_at(text)), tostring(stored_fix_at(false)) }`;
      const fix = { lon: 118.089123, lat: -24.5, at: 1_782_871_200_123 };
      const [text, at, none] = (await redis.eval(script, {
        arguments: [String(fix.lon), String(fix.lat), String(fix.at)],
      })) as string[];
      expect(text).toBe(encodeStoredFix(fix));
      expect(Number(at)).toBe(fix.at);
      expect(none).toBe('false'); // HMGET's missing field
    } finally {
      await redis.close();
    }
  });
});
