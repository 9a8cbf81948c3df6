import { decodeFrame, encodeFrame } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { aUnit } from '../../test/fixtures.ts';
import { THEME } from '../theme.ts';
import { SHOW_AT_LEAST_EVERY_MS, UnitsStore } from './units.svelte.ts';

const frame = (tick: number, at: number, fixes: [number, number, number][]) =>
  decodeFrame(
    encodeFrame(
      tick,
      at,
      false,
      fixes.map(([slot, lon, lat]) => ({ slot, lon, lat, at })),
    ),
  );

describe('UnitsStore.picture', () => {
  const units = [aUnit({ id: 'a', slot: 1, status: 'available' }), aUnit({ id: 'b', slot: 2, status: 'en_route' })];
  const clock = (worldNow: number) => ({ worldNow, rate: 1, staleAfterMs: 5_000 });

  it('keeps its picture through sweeps that change nothing, so the map is not redrawn', () => {
    const store = new UnitsStore();
    store.applyFrame(
      frame(1, 100_000, [
        [1, 118.1, 24.5],
        [2, 118.2, 24.5],
      ]),
      0,
    );
    const first = store.picture(units, clock(100_000), 7);
    expect(store.picture(units, clock(101_000), 7)).toBe(first);
    expect(store.picture(units, clock(104_000), 7)).toBe(first);
  });

  it('paints anew when a unit turns stale, a frame arrives, or the world changes', () => {
    const store = new UnitsStore();
    store.applyFrame(
      frame(1, 100_000, [
        [1, 118.1, 24.5],
        [2, 118.2, 24.5],
      ]),
      0,
    );
    const first = store.picture(units, clock(100_000), 7);
    const stale = store.picture(units, clock(106_000), 7);
    expect(stale).not.toBe(first);
    expect(stale.summary.stale).toBe(2);
    expect(stale.version).toBeGreaterThan(first.version);

    store.applyFrame(frame(2, 106_000, [[1, 118.1, 24.5]]), 6_000);
    const framed = store.picture(units, clock(106_000), 7);
    expect(framed).not.toBe(stale);
    expect(framed.summary.stale).toBe(1);

    const changed = store.picture(units, clock(106_000), 8);
    expect(changed).not.toBe(framed);
  });

  it('paints anew on every call without the world’s version (replay)', () => {
    const store = new UnitsStore();
    store.applyFrame(frame(1, 100_000, [[1, 118.1, 24.5]]), 0);
    const first = store.picture(units, clock(100_000));
    expect(store.picture(units, clock(100_000))).not.toBe(first);
  });

  it('takes the clock from the hub’s empty frames without a repaint: nothing moved', () => {
    const store = new UnitsStore();
    store.applyFrame(frame(1, 100_000, [[1, 118.1, 24.5]]), 0);
    const version = store.version;
    const first = store.picture(units, clock(100_000), 7);
    store.applyFrame(frame(2, 100_100, []), 100);
    store.applyFrame(frame(3, 100_200, []), 200);
    expect(store.version).toBe(version);
    expect(store.lastChangeRealAt).toBe(0);
    // The hub's clock still advances with its frames.
    expect(store.hubWorldNow(200, 1, 0)).toBe(100_200);
    expect(store.picture(units, clock(100_200), 7)).toBe(first);
  });

  it('greys a silent unit as soon as the first keyframe after a reload places it', () => {
    const store = new UnitsStore();
    const keyframe = decodeFrame(
      encodeFrame(40, 100_000, true, [
        { slot: 1, lon: 118.1, lat: 24.5, at: 90_000 }, // silent for 10 s, past staleAfterMs
        { slot: 2, lon: 118.2, lat: 24.5, at: 99_500 },
      ]),
    );
    store.applyFrame(keyframe, 0);
    const picture = store.picture(units, clock(100_000), 1);
    expect(picture.summary).toMatchObject({ stale: 1, busy: 1, available: 0 });
    expect([...picture.colors.subarray(4, 8)]).toEqual([...THEME.unitStale]);
    expect([...picture.colors.subarray(8, 12)]).not.toEqual([...THEME.unitStale]);
  });
});

describe('UnitsStore.shown', () => {
  const moving = (tick: number) => frame(tick, 100_000 + tick * 100, [[1, 118.1 + tick * 1e-4, 24.5]]);

  it('follows every frame that moves a unit while no map asks (a screen without a map)', () => {
    const store = new UnitsStore();
    for (let t = 1; t <= 5; t++) store.applyFrame(moving(t), t * 100);
    expect(store.shown).toBe(5);
  });

  it('once a map asks, shows one picture per ask: frames between asks are applied but not shown', () => {
    const store = new UnitsStore();
    store.applyFrame(moving(1), 100);
    expect(store.shown).toBe(1);
    // The map drew and is ready again: nothing new yet, so the next frame is shown at once.
    store.mapReady(150);
    store.applyFrame(moving(2), 200);
    expect(store.shown).toBe(2);
    // The map is drawing that picture: ten frames come, all applied, none shown.
    for (let t = 3; t <= 12; t++) store.applyFrame(moving(t), t * 100);
    expect(store.shown).toBe(2);
    expect(store.positions.lon(1)).toBeCloseTo(118.1 + 12e-4, 5);
    // Ready again: the newest is shown at once.
    store.mapReady(1_300);
    expect(store.shown).toBe(3);
  });

  it('does not show a picture when nothing moved since the last', () => {
    const store = new UnitsStore();
    store.applyFrame(moving(1), 100);
    store.mapReady(150);
    store.applyFrame(moving(2), 200);
    store.mapReady(300);
    expect(store.shown).toBe(2);
    // A frame that moves nobody (the hub's clock only).
    store.applyFrame(frame(3, 100_300, []), 300);
    expect(store.shown).toBe(2);
  });

  it('still shows a picture now and then to a map that stopped asking', () => {
    const store = new UnitsStore();
    store.mapReady(0);
    store.applyFrame(moving(1), 100);
    expect(store.shown).toBe(1);
    store.applyFrame(moving(2), 5_000);
    expect(store.shown).toBe(1);
    store.applyFrame(moving(3), 100 + SHOW_AT_LEAST_EVERY_MS + 1);
    expect(store.shown).toBe(2);
  });
});

describe('UnitsStore.picture, derived', () => {
  it('is derived again when the map may take a picture, not on every frame', () => {
    const store = new UnitsStore();
    const units = [aUnit({ id: 'a', slot: 1, status: 'available' })];
    let derivations = 0;
    const cleanup = $effect.root(() => {
      $effect(() => {
        void store.shown;
        store.picture(units, { worldNow: 100_000, rate: 1, staleAfterMs: 5_000 }, 1);
        derivations++;
      });
    });
    flushSync();
    store.applyFrame(frame(1, 100_000, [[1, 118.1, 24.5]]), 0);
    flushSync();
    expect(derivations).toBe(2);
    // The map is drawing: frames come and are applied, nothing is derived again.
    store.mapReady(10);
    store.applyFrame(frame(2, 100_100, [[1, 118.2, 24.5]]), 20);
    flushSync();
    expect(derivations).toBe(3);
    for (let t = 3; t < 10; t++) store.applyFrame(frame(t, 100_000 + t * 100, [[1, 118.1 + t * 1e-3, 24.5]]), t * 10);
    flushSync();
    expect(derivations).toBe(3);
    store.mapReady(200);
    flushSync();
    expect(derivations).toBe(4);
    cleanup();
  });
});
