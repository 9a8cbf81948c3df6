import { describe, expect, it } from 'vitest';
import type { KpiReport, ReplayEventPage, ReplayFinished, ReplayHistogram, ReplayState } from '@egret/protocol';
import { aSnapshot, T0 } from '../../test/fixtures.ts';
import type { ReplayApi } from './replay-api.ts';
import { ReplaySession } from './replay-session.svelte.ts';

const HOUR = 3_600_000;

/** A hub that answers every seek at once, and holds the log's pages the session asks for until the test answers them. */
function aHub() {
  const pages: { n: number; answer: (page: ReplayEventPage) => void }[] = [];
  const api = {
    snapshot: 'split',
    state: (t: number) =>
      Promise.resolve({ t, world: aSnapshot({ seq: 10, at: t }), kpi: {} as KpiReport } satisfies ReplayState),
    finished: (t: number) =>
      Promise.resolve({ t, world: { seq: 10, at: t, cases: [], tasks: [] } } satisfies ReplayFinished),
    positions: () => Promise.resolve(undefined),
    trails: () => new Promise(() => {}),
    kpi: () => new Promise(() => {}),
    histogram: () => new Promise(() => {}),
    events: () => new Promise(() => {}),
    eventPage: (n: number) => new Promise<ReplayEventPage>((answer) => pages.push({ n, answer })),
  } as unknown as ReplayApi;
  return { api, pages };
}

describe('the log read ahead of the replay clock', () => {
  it('asks on after a seek that overtook a page on its way: the clock does not wait for events forever', async () => {
    const hub = aHub();
    const session = new ReplaySession(hub.api, 'hold', 0, 0);
    await session.choosePeriod(T0 - 24 * HOUR, T0 + HOUR, T0);
    session.play();
    session.frame(1_000);
    expect(hub.pages).toHaveLength(1);
    // A seek while that page is on its way (the commander clicks the time bar during playback).
    await session.seek(T0 - HOUR);
    session.frame(1_016);
    expect(hub.pages).toHaveLength(2);
    // The overtaken page, answered late, is of the old place in the log: not queued.
    hub.pages[0]!.answer({ n: hub.pages[0]!.n, fromSeq: 1, toSeq: 10, complete: true, events: [] } as never);
    await new Promise((r) => setTimeout(r, 0));
    session.frame(1_032);
    expect(hub.pages).toHaveLength(2);
    expect(session.error).toBeNull();
  });
});

describe('the scrubber’s histogram', () => {
  it('shows the bins of the period chosen last, whatever order the answers come in', async () => {
    const answers: { from: number; answer: (h: ReplayHistogram) => void }[] = [];
    const hub = aHub();
    Object.assign(hub.api, {
      histogram: (from: number) => new Promise<ReplayHistogram>((answer) => answers.push({ from, answer })),
    });
    const session = new ReplaySession(hub.api, 'hold', 0, 0);
    const dayBefore = T0 - 24 * HOUR;
    void session.choosePeriod(dayBefore, T0, dayBefore);
    void session.choosePeriod(T0, T0 + HOUR, T0);
    const bins = (from: number) => ({ from, to: from + HOUR, counts: [1] }) as unknown as ReplayHistogram;
    answers[1]!.answer(bins(T0));
    answers[0]!.answer(bins(dayBefore)); // the first period's answer, late
    await new Promise((r) => setTimeout(r, 0));
    expect(session.histogram).toEqual(bins(T0));
  });
});
