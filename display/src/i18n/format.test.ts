import { describe, expect, it } from 'vitest';
import { formatSpan } from './format.ts';

const TZ = 'Asia/Shanghai';
/** 2016-09-14 00:00 in Xiamen. */
const START = Date.UTC(2016, 8, 13, 16);
const HOUR = 3_600_000;

describe(formatSpan.name, () => {
  it('gives the hours alone within one day of the city', () => {
    expect(formatSpan(START + 8 * HOUR, START + 14 * HOUR, 'zh', TZ)).toBe('08:00–14:00');
    expect(formatSpan(START + 8 * HOUR, START + 14 * HOUR, 'en', TZ)).toBe('08:00–14:00');
  });

  it('gives the days too when the stretch spans more than one: a 72-hour run is not 00:00–00:00', () => {
    expect(formatSpan(START, START + 72 * HOUR, 'zh', TZ)).toBe('9月14日 00:00–9月17日 00:00');
    // ICU versions differ on the short month (Sep / Sept) and its comma.
    expect(formatSpan(START, START + 72 * HOUR, 'en', TZ)).toMatch(/^14 Sept?,? 00:00–17 Sept?,? 00:00$/);
    // Across midnight, and a whole day to the minute.
    expect(formatSpan(START + 20 * HOUR, START + 26 * HOUR, 'zh', TZ)).toBe('9月14日 20:00–9月15日 02:00');
    expect(formatSpan(START, START + 24 * HOUR, 'zh', TZ)).toBe('9月14日 00:00–9月15日 00:00');
  });

  it('reads the days in the city’s time zone, not the machine’s', () => {
    // 23:00–01:00 UTC is 07:00–09:00 in Xiamen: one day there.
    const t = Date.UTC(2016, 8, 14, 23);
    expect(formatSpan(t, t + 2 * HOUR, 'zh', TZ)).toBe('07:00–09:00');
  });
});
