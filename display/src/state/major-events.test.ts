import { describe, expect, it } from 'vitest';
import type { MajorEventInfo } from '@egret/protocol';
import { countdown, eventExtent, eventHeadline, eventOn, perimeterAt, shownEvent } from './major-events.ts';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

/** The Straits Forum as the city's events.json has it (a drill's dates). */
function forum(over: Partial<MajorEventInfo> = {}): MajorEventInfo {
  return {
    id: 'straits-forum',
    name: { zh: '海峡论坛', en: 'Straits Forum' },
    from: at('2026-06-14T06:00:00+08:00'),
    to: at('2026-06-16T22:00:00+08:00'),
    venues: [
      {
        id: 'xicec',
        name: { zh: '厦门国际会议展览中心', en: 'XICEC' },
        position: [118.181, 24.477],
        approximate: true,
      },
    ],
    perimeters: [
      {
        id: 'venue-core',
        name: { zh: '会展核心保障区', en: 'Venue core zone' },
        ring: [
          [118.17, 24.46],
          [118.2, 24.46],
          [118.2, 24.49],
          [118.17, 24.49],
        ],
        approximate: true,
      },
      {
        id: 'hotel-zone',
        name: { zh: '接待酒店保障区', en: 'Guest hotel zone' },
        ring: [
          [118.12, 24.49],
          [118.13, 24.49],
          [118.13, 24.5],
        ],
        approximate: true,
      },
    ],
    posts: [],
    deadlines: { groups: ['street'], hours: { normal: 1 } },
    ...over,
  };
}

describe(eventOn.name, () => {
  it('is on from its start up to, not including, its end', () => {
    const e = forum();
    expect([e.from - 1, e.from, e.to - 1, e.to].map((t) => eventOn(e, t))).toEqual([false, true, true, false]);
  });
});

describe(shownEvent.name, () => {
  const expo = forum({ id: 'expo', from: at('2026-09-08T08:00:00+08:00'), to: at('2026-09-11T18:00:00+08:00') });

  it('shows the event on now in any mode', () => {
    expect(shownEvent([expo, forum()], at('2026-06-15T09:30:00+08:00'), 'peacetime')?.id).toBe('straits-forum');
  });

  it('shows none in peacetime or a typhoon while none is on', () => {
    expect(shownEvent([forum()], at('2026-06-13T09:00:00+08:00'), 'peacetime')).toBeNull();
    expect(shownEvent([forum()], at('2026-06-13T09:00:00+08:00'), 'typhoon')).toBeNull();
  });

  it('shows the next event in major_event mode before it begins, or the last one after all have ended', () => {
    expect(shownEvent([expo, forum()], at('2026-06-13T09:00:00+08:00'), 'major_event')?.id).toBe('straits-forum');
    expect(shownEvent([expo, forum()], at('2026-07-01T09:00:00+08:00'), 'major_event')?.id).toBe('expo');
    expect(shownEvent([expo, forum()], at('2026-12-01T09:00:00+08:00'), 'major_event')?.id).toBe('expo');
    expect(shownEvent([], at('2026-12-01T09:00:00+08:00'), 'major_event')).toBeNull();
  });
});

describe(eventHeadline.name, () => {
  it('counts the guard’s days in the city’s calendar: 06-15 is day 2 of 3', () => {
    const h = eventHeadline(forum(), at('2026-06-15T09:30:00+08:00'), TZ);
    expect(h).toMatchObject({ phase: 'on', day: 2, days: 3, countdown: null, name: { zh: '海峡论坛' } });
    expect(eventHeadline(forum(), at('2026-06-14T06:00:00+08:00'), TZ).day).toBe(1);
    expect(eventHeadline(forum(), at('2026-06-16T21:59:00+08:00'), TZ).day).toBe(3);
  });

  it('counts down to the start before it, in days and hours and minutes', () => {
    const h = eventHeadline(forum(), at('2026-06-13T03:29:30+08:00'), TZ);
    expect(h).toMatchObject({ phase: 'before', day: null, countdown: { days: 1, hhmm: '02:31' } });
  });

  it('says only that it ended once it has', () => {
    expect(eventHeadline(forum(), at('2026-06-16T22:00:00+08:00'), TZ)).toMatchObject({
      phase: 'after',
      day: null,
      countdown: null,
    });
  });
});

describe(countdown.name, () => {
  it('rounds the minutes up, so the last minute reads 00:01', () => {
    expect(countdown(30_000)).toEqual({ days: 0, hhmm: '00:01' });
    expect(countdown(0)).toEqual({ days: 0, hhmm: '00:00' });
    expect(countdown(25 * 60 * MIN + 5 * MIN)).toEqual({ days: 1, hhmm: '01:05' });
  });
});

describe(perimeterAt.name, () => {
  it('finds the perimeter holding a point, or none', () => {
    const { perimeters } = forum();
    expect(perimeterAt(perimeters, [118.18, 24.47])?.id).toBe('venue-core');
    expect(perimeterAt(perimeters, [118.09, 24.48])).toBeUndefined();
  });
});

describe(eventExtent.name, () => {
  it('frames every perimeter, venue and post with a margin each way', () => {
    const e = forum({ posts: [{ id: 'p1', name: { zh: '岗', en: 'Post' }, position: [118.21, 24.47], radiusM: 100 }] });
    const [w, s, east, n] = eventExtent(e)!;
    // The rings span 118.12–118.2 E, 24.46–24.5 N; the post (radius 100 m) reaches ~118.211 E.
    expect(w).toBeLessThan(118.12);
    expect(east).toBeGreaterThan(118.211);
    expect(s).toBeLessThan(24.46);
    expect(n).toBeGreaterThan(24.5);
    // A margin of a fifth of the larger side (~9.2 km east–west) each way: ~1.8 km, ~0.018° of longitude.
    expect(118.12 - w).toBeCloseTo(0.0184, 3);
    expect(east - 118.211).toBeCloseTo(0.0184, 3);
    // Centred on what it frames.
    expect((s + n) / 2).toBeCloseTo(24.48, 6);
  });

  it('frames an event of one venue at least a few kilometres across', () => {
    const [w, s, east, n] = eventExtent(forum({ perimeters: [], posts: [] }), 0)!;
    expect((east - w) * 111_320 * Math.cos((24.477 * Math.PI) / 180)).toBeCloseTo(3_000, 0);
    expect((n - s) * 111_320).toBeCloseTo(3_000, 0);
    expect((w + east) / 2).toBeCloseTo(118.181, 9);
  });

  it('has nothing to frame for an event with no places', () => {
    expect(eventExtent(forum({ perimeters: [], venues: [], posts: [] }))).toBeNull();
  });
});
