import { describe, expect, it } from 'vitest';
import { inWindow, localDateStamp, localMinuteOfDay, parseHhMm, utcOffsetMs } from './local-time.ts';

describe(utcOffsetMs.name, () => {
  it('is eight hours for Asia/Shanghai, summer and winter', () => {
    expect(utcOffsetMs('Asia/Shanghai', Date.parse('2016-09-14T19:05:00Z'))).toBe(8 * 3_600_000);
    expect(utcOffsetMs('Asia/Shanghai', Date.parse('2026-01-10T00:00:00Z'))).toBe(8 * 3_600_000);
    expect(utcOffsetMs('UTC', Date.parse('2026-01-10T00:00:00Z'))).toBe(0);
  });
});

describe(localMinuteOfDay.name, () => {
  it('counts minutes from local midnight', () => {
    const eight = 8 * 3_600_000;
    expect(localMinuteOfDay(Date.parse('2016-09-15T03:05:00+08:00'), eight)).toBe(185);
    expect(localDateStamp(Date.parse('2016-09-15T03:05:00+08:00'), eight)).toBe('20160915');
    expect(localDateStamp(Date.parse('2016-09-14T23:59:00+08:00'), eight)).toBe('20160914');
  });
});

describe(inWindow.name, () => {
  it('handles day shifts, night shifts past midnight and whole days', () => {
    expect(inWindow(parseHhMm('09:00'), parseHhMm('08:00'), parseHhMm('18:00'))).toBe(true);
    expect(inWindow(parseHhMm('18:00'), parseHhMm('08:00'), parseHhMm('18:00'))).toBe(false);
    expect(inWindow(parseHhMm('23:30'), parseHhMm('22:00'), parseHhMm('06:00'))).toBe(true);
    expect(inWindow(parseHhMm('03:00'), parseHhMm('22:00'), parseHhMm('06:00'))).toBe(true);
    expect(inWindow(parseHhMm('12:00'), parseHhMm('22:00'), parseHhMm('06:00'))).toBe(false);
    expect(inWindow(parseHhMm('12:00'), parseHhMm('00:00'), parseHhMm('24:00'))).toBe(true);
    // A shift pushed a few minutes before midnight by its jitter still wraps correctly.
    expect(inWindow(parseHhMm('00:05'), -10, parseHhMm('06:00'))).toBe(true);
  });
});
