import { describe, expect, it } from 'vitest';
import { applyEvent, fromSnapshot, MapLayer, type LogEvent, type MajorEventInfo } from '@egret/protocol';
import { aCase, aHubConfig, aSensor, aSnapshot, aUnit, T0 } from '../../test/fixtures.ts';
import { mapLayers } from '../map/layers/index.ts';
import { visibilityOf } from '../map/layers/wall-overlays.ts';
import { City } from './city.svelte.ts';
import { MapPicture, type PictureSource } from './map-picture.svelte.ts';
import type { PostWatch } from './post-watch.ts';
import { UnitsStore } from './units.svelte.ts';
import { WorldParts } from './world-parts.svelte.ts';

/** A world source with hand-set clocks: what the live screen and a replay session both are to the picture. */
class HandSource implements PictureSource {
  readonly world = new WorldParts();
  readonly units = new UnitsStore();
  now = $state(T0);
  recount = $state(0);
  get judgedAt(): number {
    return Math.floor(this.now / 1000) * 1000;
  }
  get positions() {
    return this.units.positions;
  }
  unitsPicture = $derived.by(() =>
    this.units.picture(this.world.units.values(), { worldNow: this.now, rate: 1, staleAfterMs: 60_000 }),
  );

  apply(...events: LogEvent[]): void {
    for (const e of events) applyEvent(this.world.world, e);
    this.world.applied(events);
  }
}

const ALL = visibilityOf(new Set(MapLayer.options));
let seq = 0;
const reported = (id: string, o: Parameters<typeof aCase>[0] = {}): LogEvent => ({
  seq: ++seq,
  at: T0,
  type: 'case.reported',
  case: aCase({ id, reportedAt: T0, ...o }),
});
const sensorRead = (value: number): LogEvent =>
  ({ seq: ++seq, at: T0, type: 'sensor.read', sensor: aSensor({ value }) }) as LogEvent;

function picture(options: { posts?: () => PostWatch; events?: MajorEventInfo[] } = {}) {
  seq = 0;
  const source = new HandSource();
  source.world.world = fromSnapshot(aSnapshot({ units: [aUnit({ id: 'U1', slot: 0 })] }));
  const city = new City(aHubConfig(options.events ? { events: options.events } : {}), 'zh');
  return {
    source,
    picture: new MapPicture(city, source, { visible: () => ALL, ...(options.posts ? { posts: options.posts } : {}) }),
  };
}

describe(MapPicture.name, () => {
  it('draws the open cases, and keeps the same array while only a sensor reads', () => {
    const { source, picture: p } = picture();
    source.apply(reported('C1'), reported('C2', { status: 'closed' }));
    const open = p.openCases;
    expect(open.map((c) => c.id)).toEqual(['C1']);
    source.apply(sensorRead(20));
    expect(p.openCases).toBe(open);
    expect(p.sensors.map((s) => s.value)).toEqual([20]);
    source.apply(reported('C3'));
    expect(p.openCases.map((c) => c.id)).toEqual(['C1', 'C3']);
  });

  it('re-counts the day’s heat on its recount step only, and rings the overdue cases', () => {
    const { source, picture: p } = picture();
    source.apply(reported('C1', { deadline: T0 - 1 }));
    expect(p.overlays.today.map((c) => c.id)).toEqual(['C1']);
    expect(p.overlays.overdue.map((c) => c.id)).toEqual(['C1']);
    source.apply(reported('C2'));
    expect(p.overlays.today.map((c) => c.id)).toEqual(['C1']);
    source.recount++;
    expect(p.overlays.today.map((c) => c.id)).toEqual(['C1', 'C2']);
  });

  it('heats the dust and noise complaints only in 环保督察, and every case of the day again when the mode changes back', () => {
    const { source, picture: p } = picture();
    const code = (c: string) => ({ category: { code: c, standard: 'GB/T 47678.5-2026' as const, name: c } });
    const mode = (m: 'environmental' | 'peacetime'): LogEvent =>
      ({ seq: ++seq, at: T0, type: 'mode.changed', mode: m, actor: { role: 'commander', id: 'c' } }) as LogEvent;
    source.apply(reported('DUST', code('08004')), reported('VEND', code('09001')), reported('NOISE', code('06028')));
    expect(p.overlays.today.map((c) => c.id)).toEqual(['DUST', 'VEND', 'NOISE']);
    source.apply(mode('environmental'));
    expect(p.overlays.today.map((c) => c.id)).toEqual(['DUST', 'NOISE']);
    const heat = p.overlays.today;
    source.apply(reported('REFUSE', code('06010')));
    source.recount++;
    expect(p.overlays.today).toBe(heat);
    source.apply(mode('peacetime'));
    expect(p.overlays.today.map((c) => c.id)).toEqual(['DUST', 'VEND', 'NOISE', 'REFUSE']);
  });

  it('draws an event’s posts from the post watch the live screen gives it, and none without one (replay)', () => {
    const post = { id: 'P1', name: { zh: '岗', en: 'Post' }, position: [118.1, 24.5] as [number, number], radiusM: 50 };
    const event = {
      id: 'E1',
      name: { zh: '论坛', en: 'Forum' },
      from: T0 - 1,
      to: T0 + 3_600_000,
      perimeters: [],
      venues: [],
      posts: [post],
    } as unknown as MajorEventInfo;
    const watch: PostWatch = { posts: [{ post, state: 'held', holders: 1, away: 0 }], offPost: [] };
    expect(picture({ events: [event], posts: () => watch }).picture.eventPicture.posts).toBe(watch.posts);
    const replay = picture({ events: [event] }).picture;
    expect(replay.guardEvent?.id).toBe('E1');
    expect(replay.eventPicture.posts).toEqual([]);
  });

  it('gives mapLayers every input of the wall’s map', () => {
    const { source, picture: p } = picture();
    source.apply(reported('C1'));
    const ids = mapLayers({ ...p.input, overlays: p.overlays }).map((l) => l.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'district-fill',
        'cases',
        'case-heat',
        'units',
        'dispatch-lines',
        'district-labels',
        'sensors',
      ]),
    );
    expect(p.input.cases).toBe(p.openCases);
  });
});
