import { describe, expect, it } from 'vitest';
import { InputMessage, MAX_TRACK_POINTS, type StormUpdate } from '@egret/protocol';
import { signalTimeline } from './signal-timeline.ts';
import { createStormFeed, FORECAST_LEADS_H, STORM_UPDATE_MS, stormUpdateAt } from './storm-feed.ts';
import { trackSpan } from './track.ts';
import { typhoonAt } from './typhoon-at.ts';
import { LANDFALL, meranti, typhoonFile } from '../../../test/typhoon.ts';

const HOUR = 3_600_000;
const { start: TRACK_START, end: TRACK_END } = trackSpan(meranti.track);
const signal = signalTimeline(meranti.track, meranti.signals.cityPoint, meranti.signals.holdHours);

describe(stormUpdateAt.name, () => {
  it('describes the storm at landfall as the protocol wants it: force-15 winds, red signal, the landfall itself', () => {
    const u = InputMessage.parse(stormUpdateAt(typhoonFile.storm, meranti, LANDFALL, signal(LANDFALL))) as StormUpdate;
    const s = u.storm;
    expect(s).toMatchObject({
      id: '1614',
      stage: 'landfall',
      phase: 'landfall',
      signal: 'red',
      pressureHpa: 945,
      maxWindMs: 48,
    });
    expect(s.center).toEqual([118.3, 24.6]);
    expect(s.landfall).toEqual({ at: LANDFALL, center: [118.3, 24.6], place: '厦门市翔安区沿海' });
    expect(s.r12Km).toBeGreaterThan(0);
    expect(s.r7Km).toBeGreaterThan(s.r10Km);
    const state = typhoonAt(meranti.track, LANDFALL);
    expect(s.r7Km).toBeCloseTo(state.r7Km, 0);
  });

  it('carries the track hourly from its start up to now, and the forecast at 6, 12, 24, 48 and 72 h while the track lasts', () => {
    const t = TRACK_START + 5.5 * HOUR;
    const s = stormUpdateAt(typhoonFile.storm, meranti, t, 'blue').storm;
    expect(s.track.map((f) => (f.at - TRACK_START) / HOUR)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.forecast.map((f) => f.leadHours)).toEqual([...FORECAST_LEADS_H]);
    expect(s.forecast.map((f) => f.coneKm)).toEqual([15, 30, 60, 120, 180]);
    expect(s.forecast.every((f, i) => f.at === t + FORECAST_LEADS_H[i]! * HOUR)).toBe(true);
    const late = stormUpdateAt(typhoonFile.storm, meranti, TRACK_END, 'none').storm;
    expect(late.forecast).toEqual([]);
    expect(late.track.length).toBeLessThanOrEqual(MAX_TRACK_POINTS);
    expect(late.stage).not.toBe('landfall');
  });
});

describe(createStormFeed.name, () => {
  const feed = createStormFeed(typhoonFile.storm, meranti, signal);

  it('sends the storm as it stands at start, then on the 10-minute clock', () => {
    const t0 = LANDFALL - 7 * 60_000; // 02:58
    expect(feed.start(t0).map((e) => e.at)).toEqual([t0]);
    const { events, reports } = feed.step(t0, t0 + HOUR);
    expect(reports).toEqual([]);
    expect(events.map((e) => new Date(e.at + 8 * HOUR).toISOString().slice(11, 16))).toEqual([
      '03:00',
      '03:10',
      '03:20',
      '03:30',
      '03:40',
      '03:50',
    ]);
    for (const e of events) expect(e.at % STORM_UPDATE_MS).toBe(0);
  });

  it('gives the same updates whether asked second by second or for the hour at once', () => {
    const t0 = LANDFALL;
    const once = feed.step(t0, t0 + HOUR).events;
    const bySecond = [];
    for (let t = t0; t < t0 + HOUR; t += 1000) bySecond.push(...feed.step(t, t + 1000).events);
    expect(bySecond).toEqual(once);
  });

  it('says nothing before the storm forms or after its last track point', () => {
    expect(feed.start(TRACK_START - HOUR)).toEqual([]);
    expect(feed.step(TRACK_START - 2 * HOUR, TRACK_START - 1).events).toEqual([]);
    expect(feed.step(TRACK_END, TRACK_END + 6 * HOUR).events).toEqual([]);
  });
});
