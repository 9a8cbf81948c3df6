import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import {
  caseBrief,
  decodeTrails,
  encodeTrails,
  type KpiReport,
  type ReplayFinished,
  type ReplayState,
  type Trails,
} from '@egret/protocol';
import { aCase, aHubConfig, aSnapshot, aUnit, T0 } from '../../test/fixtures.ts';
import { City } from '../state/city.svelte.ts';
import type { ReplayApi } from './replay-api.ts';
import { ReplayMap } from './replay-map.svelte.ts';
import { ReplaySession } from './replay-session.svelte.ts';
import { seekPlanOf, type SeekPlan } from './seek-plan.ts';

const HOUR = 3_600_000;
/** The seek's instant: 10:00 in Asia/Shanghai, so 09:00 there is "today" and yesterday is not. */
const T = T0;

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Unit 0 moved east over the 10 minutes before T. */
const tracks: Trails = decodeTrails(
  encodeTrails({
    epoch: T - 10 * 60_000,
    slots: Uint32Array.from([0]),
    starts: Uint32Array.from([0]),
    times: Int32Array.from([0, 300_000, 600_000]),
    lonE6: Int32Array.from([118_080_000, 118_085_000, 118_090_000]),
    latE6: Int32Array.from([24_480_000, 24_480_000, 24_480_000]),
  }),
);

/**
 * A hub whose answers the test releases one by one, in the order it chooses, and which notes what was asked when.
 * The state at T: one open case (C-open), one unit; the finished part: the closed cases given.
 */
function aHub(finishedCases: ReturnType<typeof aCase>[]) {
  const asked: string[] = [];
  const open = deferred<ReplayState>();
  const finished = deferred<ReplayFinished>();
  const trails = deferred<Trails>();
  let bodyIn: (() => void) | undefined;
  const world = aSnapshot({
    seq: 10,
    at: T,
    mode: 'typhoon',
    cases: [aCase({ id: 'C-open', reportedAt: T - HOUR })],
    units: [aUnit({ id: 'U1', slot: 0 })],
  });
  const api = {
    snapshot: 'split',
    state: (_t: number, part: string) => {
      asked.push(`state?${part}`);
      return open.promise;
    },
    positions: () => {
      asked.push('positions');
      return Promise.resolve(undefined);
    },
    finished: async (_t: number, readWhen: Promise<unknown>, _signal?: AbortSignal, onBodyIn?: () => void) => {
      asked.push('state?finished');
      bodyIn = onBodyIn;
      const rest = await finished.promise;
      await readWhen;
      return rest;
    },
    trails: () => {
      asked.push('trails');
      return trails.promise;
    },
    kpi: () => new Promise(() => {}),
    eventPage: () => new Promise(() => {}),
    events: () => new Promise(() => {}),
  } as unknown as ReplayApi;
  return {
    api,
    asked,
    answerOpen: () => open.resolve({ t: T, world, kpi: {} as KpiReport }),
    answerFinished: () =>
      finished.resolve({
        t: T,
        world: { seq: 10, at: T, cases: finishedCases.map((c) => caseBrief(c)), tasks: [] },
      }),
    answerTrails: () => trails.resolve(tracks),
    /** The fetch worker has the finished part's bytes and parses them. */
    finishedBodyIn: () => bodyIn?.(),
  };
}

/** Lets the session's awaits and the page's next frame run. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    flushSync();
  }
}

/** A session on a hub, seeking to T, with its map watched the way the map's canvas watches it (an effect). */
function watched(
  plan: SeekPlan,
  finishedCases: ReturnType<typeof aCase>[] = [],
  hold?: { ms: number; graceMs: number; readWaitMs?: number },
) {
  const hub = aHub(finishedCases);
  const session = new ReplaySession(hub.api, plan, hold?.ms, hold?.graceMs, hold?.readWaitMs);
  session.from = T - 24 * HOUR;
  session.to = T + HOUR;
  const map = new ReplayMap(session, new City(aHubConfig(), 'zh'));
  const pictures: Layer[][] = [];
  const stop = $effect.root(() => {
    $effect(() => {
      pictures.push(map.layers);
    });
  });
  flushSync();
  const seeking = session.seek(T);
  return { hub, session, map, pictures, stop, seeking };
}

const trailRows = (layers: Layer[]) =>
  (layers.find((l) => l.id === 'replay-trails')?.props.data as { length: number } | undefined)?.length ?? 0;
const heatIds = (layers: Layer[]) =>
  ((layers.find((l) => l.id === 'case-heat')?.props.data as { id: string }[] | undefined) ?? []).map((c) => c.id);

/** One new picture since `count`, and it shows everything: the tracks, and the heat with today's closed case. */
function expectOnePictureOfAll(pictures: Layer[][], count: number) {
  expect(pictures).toHaveLength(count + 1);
  expect(trailRows(pictures.at(-1)!)).toBe(1);
  expect(heatIds(pictures.at(-1)!).sort()).toEqual(['C-open', 'C-today']);
}

describe('a seek drawn in one picture (issue #19)', () => {
  it('asks for the tracks with what is open, and draws them with it when they are in by then', async () => {
    const { hub, session, pictures, stop, seeking } = watched('together');
    await settle();
    expect(hub.asked).toEqual(['state?open', 'positions', 'trails']);
    const before = session.answered;
    hub.answerTrails();
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(true);
    // One picture with the open case and the tracks: one bump of `answered`, one new picture.
    expect(session.answered).toBe(before + 1);
    const first = pictures.at(-1)!;
    expect(trailRows(first)).toBe(1);
    expect(pictures.filter((p) => trailRows(p) === 1)).toHaveLength(1);
    hub.answerFinished();
    await seeking;
    await settle();
    expect(session.loading).toBe(false);
    expect(hub.asked.filter((a) => a === 'trails')).toHaveLength(1); // not asked again once the state is in
    stop();
  });

  it('draws what is open at once; tracks that come while the finished part is on its way are drawn with it', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('together', [today]);
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(true);
    expect(trailRows(pictures.at(-1)!)).toBe(0);
    const count = pictures.length;
    const answered = session.answered;
    hub.answerTrails();
    await settle();
    expect(pictures).toHaveLength(count); // held for the finished part
    hub.answerFinished();
    await seeking;
    await settle();
    // One new picture with both: the tracks, and the heat with today's closed case.
    expectOnePictureOfAll(pictures, count);
    expect(session.answered).toBe(answered + 1);
    stop();
  });

  it('draws tracks that come after the finished part when they come', async () => {
    const { hub, session, pictures, stop, seeking } = watched('together');
    hub.answerOpen();
    await settle();
    hub.answerFinished();
    await seeking;
    await settle();
    expect(session.loading).toBe(false);
    expect(trailRows(pictures.at(-1)!)).toBe(0);
    const answered = session.answered;
    hub.answerTrails();
    await settle();
    expect(trailRows(pictures.at(-1)!)).toBe(1);
    expect(session.answered).toBe(answered + 1);
    stop();
  });

  it('keeps the map’s picture when the finished part holds nothing the map shows (closed before today)', async () => {
    const yesterday = aCase({ id: 'C-old', status: 'closed', reportedAt: T - 20 * HOUR, closedAt: T - 19 * HOUR });
    const { hub, session, map, pictures, stop, seeking } = watched('together', [yesterday]);
    hub.answerTrails();
    hub.answerOpen();
    await settle();
    const shown = pictures.at(-1)!;
    const count = pictures.length;
    hub.answerFinished();
    await seeking;
    await settle();
    expect(session.world.cases.has('C-old')).toBe(true); // the panels have it
    expect(pictures).toHaveLength(count); // the map drew nothing new
    expect(map.layers).toBe(shown);
    expect(map.picture.openCases.map((c) => c.id)).toEqual(['C-open']);
    stop();
  });

  it('re-counts the heat when the finished part holds a case reported today (the map draws it)', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, pictures, stop, seeking } = watched('together', [today]);
    hub.answerTrails();
    hub.answerOpen();
    await settle();
    expect(heatIds(pictures.at(-1)!)).toEqual(['C-open']);
    hub.answerFinished();
    await seeking;
    await settle();
    expect(heatIds(pictures.at(-1)!).sort()).toEqual(['C-open', 'C-today']);
    expect(trailRows(pictures.at(-1)!)).toBe(1);
    stop();
  });

  it('holds the heat of a finished part that comes before the tracks, and draws both in one picture', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('together', [today]);
    hub.answerOpen();
    await settle();
    const count = pictures.length;
    hub.answerFinished();
    await seeking;
    await settle();
    expect(session.world.cases.has('C-today')).toBe(true); // the panels count it at once
    expect(pictures).toHaveLength(count); // the map waits for the tracks
    hub.answerTrails();
    await settle();
    expectOnePictureOfAll(pictures, count);
    stop();
  });

  it('shows the new world’s heat after a seek within the same bin of heat time', async () => {
    const { hub, session, pictures, stop, seeking } = watched('together');
    hub.answerTrails();
    hub.answerOpen();
    hub.answerFinished();
    await seeking;
    await settle();
    expect(heatIds(pictures.at(-1)!)).toEqual(['C-open']);
    // A second seek a minute on (the heat's bin is 5 minutes at 60×) to a world where another case is open.
    const next = aSnapshot({
      seq: 11,
      at: T + 60_000,
      mode: 'typhoon',
      cases: [aCase({ id: 'C-next', reportedAt: T - HOUR / 3 })],
      units: [aUnit({ id: 'U1', slot: 0 })],
    });
    const api = hub.api as unknown as Record<string, unknown>;
    api.state = () => Promise.resolve({ t: T + 60_000, world: next, kpi: {} as KpiReport });
    const rest = deferred<ReplayFinished>();
    api.finished = () => rest.promise;
    api.trails = () => Promise.resolve(tracks);
    const again = session.seek(T + 60_000);
    await settle();
    // What is open drawn, the finished part still on its way: the heat is already the new world's.
    expect(session.loading).toBe(true);
    expect(heatIds(pictures.at(-1)!)).toEqual(['C-next']);
    rest.resolve({ t: T + 60_000, world: { seq: 11, at: T + 60_000, cases: [], tasks: [] } });
    await again;
    stop();
  });

  it('`wait` applies what is open only once the tracks are in', async () => {
    const { hub, session, pictures, stop, seeking } = watched('wait');
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(false);
    hub.answerTrails();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(true);
    expect(trailRows(pictures.at(-1)!)).toBe(1);
    hub.answerFinished();
    await seeking;
    stop();
  });

  it('`apart` (the baseline) asks for the tracks only once the whole state is in', async () => {
    const { hub, session, stop, seeking } = watched('apart');
    hub.answerOpen();
    await settle();
    expect(hub.asked).not.toContain('trails');
    hub.answerFinished();
    await seeking;
    await settle();
    expect(hub.asked.at(-1)).toBe('trails');
    hub.answerTrails();
    await settle();
    expect(session.trails.length).toBe(1);
    stop();
  });

  it('reads the plan from the page’s `?seek=`; anything else is the default', () => {
    expect(seekPlanOf('apart')).toBe('apart');
    expect(seekPlanOf('wait')).toBe('wait');
    expect(seekPlanOf('together')).toBe('together');
    for (const v of [null, '', 'APART', 'hold ', 'Together', 'x']) expect(seekPlanOf(v)).toBe('hold');
  });
});

describe('`hold` (the default): a seek drawn whole in one picture when the hub answers in time', () => {
  /** Longer than any test waits: the hold ends only when every part is in. */
  const LONG = { ms: 600_000, graceMs: 0 };
  /** A hold already over when what is open comes, and no grace: what is open is drawn as it comes. */
  const OVER = { ms: 0, graceMs: 0 };

  it('asks for every part at once, holds what is open for the rest, and draws them all in one picture', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('hold', [today], LONG);
    await settle();
    expect(hub.asked).toEqual(['state?open', 'positions', 'trails', 'state?finished']);
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(false); // held for the rest
    hub.answerFinished();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(false); // still held: the tracks are not in
    const count = pictures.length;
    const answered = session.answered;
    hub.answerTrails();
    await seeking;
    await settle();
    expect(session.loading).toBe(false);
    expect(session.world.cases.has('C-today')).toBe(true);
    // One new picture: the open case, the tracks and the heat with today's closed case.
    expect(pictures).toHaveLength(count + 1);
    const shown = pictures.at(-1)!;
    expect(trailRows(shown)).toBe(1);
    expect(heatIds(shown).sort()).toEqual(['C-open', 'C-today']);
    expect(session.answered).toBe(answered + 1);
    expect(hub.asked.filter((a) => a === 'trails' || a === 'state?finished')).toHaveLength(2); // each once
    stop();
  });

  it('draws what is open once the hold is over, and the rest as in `together` when it comes', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('hold', [today], OVER);
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(true);
    expect(trailRows(pictures.at(-1)!)).toBe(0);
    const count = pictures.length;
    hub.answerFinished();
    await seeking;
    await settle();
    expect(session.world.cases.has('C-today')).toBe(true);
    expect(pictures).toHaveLength(count); // the heat waits for the tracks
    hub.answerTrails();
    await settle();
    expectOnePictureOfAll(pictures, count);
    stop();
  });

  it('waits on past the hold for a finished part whose bytes are in and being parsed: still one picture', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('hold', [today], { ...OVER, readWaitMs: 600_000 });
    hub.answerTrails();
    hub.finishedBodyIn();
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(false); // the hold is over; the finished part is being parsed
    const count = pictures.length;
    hub.answerFinished();
    await seeking;
    await settle();
    expectOnePictureOfAll(pictures, count);
    stop();
  });

  it('waits for a finished part being parsed no longer than its bound, and not at all for one not yet in', async () => {
    for (const bodyIn of [true, false]) {
      const { hub, session, stop } = watched('hold', [], { ...OVER, readWaitMs: bodyIn ? 30 : 600_000 });
      if (bodyIn) hub.finishedBodyIn();
      hub.answerOpen();
      await settle(); // ~100 ms: past the 30-ms bound
      expect(session.world.cases.has('C-open')).toBe(true);
      stop();
    }
  });

  it('gives what is open that comes after the hold a grace for the rest: still one picture', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('hold', [today], { ms: 0, graceMs: 600_000 });
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(false); // the hold is over, the grace is not
    const count = pictures.length;
    hub.answerFinished();
    hub.answerTrails();
    await seeking;
    await settle();
    expectOnePictureOfAll(pictures, count);
    stop();
  });

  it('tracks that fail do not end the hold: the finished part still goes into the one picture, and the seek fails', async () => {
    const today = aCase({ id: 'C-today', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 });
    const { hub, session, pictures, stop, seeking } = watched('hold', [today], LONG);
    const api = hub.api as unknown as Record<string, unknown>;
    api.trails = () => Promise.reject(new Error('HTTP 500 /api/replay/tracks'));
    const second = session.seek(T); // the seek under test: the one `watched` started used the old `trails`
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(false); // held for the finished part
    const count = pictures.length;
    hub.answerFinished();
    await second;
    await settle();
    expect(session.world.cases.has('C-open')).toBe(true);
    expect(session.world.cases.has('C-today')).toBe(true);
    expect(pictures).toHaveLength(count + 1);
    expect(heatIds(pictures.at(-1)!).sort()).toEqual(['C-open', 'C-today']);
    expect(session.error).toMatch(/500/);
    expect(session.loading).toBe(false);
    await seeking.catch(() => {});
    stop();
  });

  it('a second seek while the first is held: only the second’s answers reach the map, whatever their order', async () => {
    const { hub, session, stop, seeking } = watched('hold', [], LONG);
    const first = hub;
    const api = hub.api as unknown as Record<string, unknown>;
    const later = aHub([aCase({ id: 'C-later', status: 'closed', reportedAt: T - HOUR / 2, closedAt: T - HOUR / 4 })]);
    Object.assign(api, later.api);
    const second = session.seek(T - HOUR / 8);
    // The second seek's answers first, then the first's (a slow hub): the first's must not replace them.
    later.answerOpen();
    later.answerFinished();
    later.answerTrails();
    await second;
    await settle();
    expect(session.world.cases.has('C-later')).toBe(true);
    const shown = session.world;
    first.answerOpen();
    first.answerFinished();
    first.answerTrails();
    await seeking;
    await settle();
    expect(session.world).toBe(shown);
    expect(session.t).toBe(T - HOUR / 8);
    expect(session.loading).toBe(false);
    stop();
  });

  it('takes a finished part of another state by the path that asks for the whole state again', async () => {
    const { hub, session, stop, seeking } = watched('hold', [], LONG);
    const api = hub.api as unknown as Record<string, unknown>;
    const asked = hub.asked;
    api.finished = () => {
      asked.push('state?finished');
      return Promise.resolve({ t: T, world: { seq: 9, at: T, cases: [], tasks: [] } });
    };
    // Asked again once the finished part proved to be of another state: the whole of it.
    const whole = deferred<ReplayState>();
    const open = api.state as (t: number, part: string) => Promise<ReplayState>;
    api.state = (t: number, part?: string) =>
      part === 'open' ? open(t, part) : (asked.push('state?all'), whole.promise);
    void session.seek(T); // the seek under test: the one `watched` started used the old `finished`
    hub.answerTrails();
    hub.answerOpen();
    await settle();
    expect(session.world.cases.has('C-open')).toBe(true);
    expect(asked).toContain('state?all');
    whole.resolve({ t: T, world: aSnapshot({ seq: 10, at: T, mode: 'typhoon' }), kpi: {} as KpiReport });
    await settle();
    expect(session.loading).toBe(false);
    await seeking.catch(() => {});
    stop();
  });
});

describe('an overtaken seek', () => {
  it('drops its asks when another seek starts: their signals abort, the new seek’s do not', async () => {
    const signals: { ask: string; t: number; signal: AbortSignal | undefined }[] = [];
    const never = () => new Promise<never>(() => {});
    const api = {
      snapshot: 'split',
      state: (t: number, _part: string, signal?: AbortSignal) => (signals.push({ ask: 'state', t, signal }), never()),
      positions: (t: number, signal?: AbortSignal) => (signals.push({ ask: 'positions', t, signal }), never()),
      finished: (t: number, _readWhen: unknown, signal?: AbortSignal) => (
        signals.push({ ask: 'finished', t, signal }),
        never()
      ),
      trails: (_f: number, _to: number, _s: number, signal?: AbortSignal) => (
        signals.push({ ask: 'trails', t: -1, signal }),
        never()
      ),
      kpi: never,
      eventPage: never,
      events: never,
    } as unknown as ReplayApi;
    const session = new ReplaySession(api, 'hold');
    session.from = T - 24 * HOUR;
    session.to = T + HOUR;
    void session.seek(T);
    void session.seek(T + 60_000);
    await settle();
    const first = signals.slice(0, 4);
    const second = signals.slice(4);
    expect(first.map((s) => s.ask).sort()).toEqual(['finished', 'positions', 'state', 'trails']);
    expect(second.map((s) => s.ask).sort()).toEqual(['finished', 'positions', 'state', 'trails']);
    expect(first.every((s) => s.signal?.aborted === true)).toBe(true);
    expect(second.every((s) => s.signal !== undefined && !s.signal.aborted)).toBe(true);
  });
});
