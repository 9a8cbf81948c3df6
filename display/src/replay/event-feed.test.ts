import { describe, expect, it } from 'vitest';
import { fromSnapshot, type ReplayEventPage, type ReplayEvents } from '@egret/protocol';
import { aSnapshot, reportedEvents, T0 } from '../../test/fixtures.ts';
import { EventFeed } from './event-feed.ts';

/** A hub whose pages and windows the test answers; every ask is noted. */
function aHub() {
  const asked: string[] = [];
  const pages: ((page: Omit<ReplayEventPage, 'page' | 'afterSeq'>) => void)[] = [];
  const windows: ((answer: Pick<ReplayEvents, 'events' | 'truncated'>) => void)[] = [];
  const api = {
    eventPage: (n: number) => {
      asked.push(`page ${n}`);
      return new Promise<ReplayEventPage>((r) => pages.push((p) => r({ page: n, afterSeq: 0, ...p })));
    },
    events: (from: number, to: number, afterSeq: number) => {
      asked.push(`window ${from - T0}..${to - T0} after ${afterSeq}`);
      return new Promise<ReplayEvents>((r) => windows.push((w) => r(w as ReplayEvents)));
    },
  };
  return { api, asked, pages, windows };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A feed on a hub, started at T0 (the log at seq 0) and asked its first events (at 60×, up to an hour on). */
function started() {
  const hub = aHub();
  const errors: unknown[] = [];
  const feed = new EventFeed(hub.api, (e) => errors.push(e));
  const world = fromSnapshot(aSnapshot({ seq: 0, at: T0 }));
  feed.restart(T0, 0, T0);
  feed.load(T0, 60, T0 + 3_600_000);
  return { hub, errors, feed, world };
}

describe(EventFeed.name, () => {
  it('reads pages ahead of the clock, applies their events as it passes them, then windows past a page not final', async () => {
    const { hub, errors, feed, world } = started();
    feed.load(T0, 60, T0 + 3_600_000); // one ask at a time
    expect(hub.asked).toEqual(['page 0']);
    // Events 1–5 at T0 + 1 s … 5 s: the clock may run to just before the last one's time.
    hub.pages[0]!({ toSeq: 5, complete: true, events: reportedEvents(1, 5) });
    await tick();
    expect(feed.loadedTo).toBe(T0 + 5_000 - 1);
    expect(feed.applyUpTo(world, T0 + 3_000).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(world.cases.has('C3')).toBe(true);
    expect(world.cases.has('C4')).toBe(false);
    expect(feed.applyUpTo(world, T0 + 3_000)).toEqual([]);
    // The next page is the live tail (not final): dropped, and the events asked by window from where the feed is.
    feed.load(T0 + 3_000, 60, T0 + 3_600_000);
    hub.pages[1]!({ toSeq: 6, complete: false, events: reportedEvents(6, 6) });
    await tick();
    feed.load(T0 + 3_000, 60, T0 + 3_600_000);
    expect(hub.asked.at(-1)).toMatch(/^window 4999\.\.\d+ after 5$/);
    hub.windows[0]!({ events: reportedEvents(6, 7), truncated: false });
    await tick();
    expect(feed.applyUpTo(world, T0 + 10_000).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(errors).toEqual([]);
  });

  it('drops what was on its way when a seek starts, and asks again after it', async () => {
    const { hub, errors, feed, world } = started();
    feed.stop(); // a seek begins
    feed.restart(T0, 0, T0);
    feed.load(T0, 60, T0 + 3_600_000);
    expect(hub.asked).toEqual(['page 0', 'page 0']);
    hub.pages[0]!({ toSeq: 5, complete: true, events: reportedEvents(1, 5) }); // the overtaken ask's answer
    await tick();
    expect(feed.applyUpTo(world, T0 + 10_000)).toEqual([]);
    hub.pages[1]!({ toSeq: 2, complete: true, events: reportedEvents(1, 2) });
    await tick();
    expect(feed.applyUpTo(world, T0 + 10_000).map((e) => e.seq)).toEqual([1, 2]);
    expect(errors).toEqual([]);
  });

  it('tells a failed ask of its own seek, not one overtaken', async () => {
    const errors: string[] = [];
    const api = {
      eventPage: () => Promise.reject(new Error('HTTP 503')),
      events: () => Promise.reject(new Error('unused')),
    };
    const feed = new EventFeed(api, (e) => errors.push((e as Error).message));
    feed.restart(T0, 0, T0);
    feed.load(T0, 60, T0 + 3_600_000);
    feed.stop();
    await tick();
    expect(errors).toEqual([]);
    feed.restart(T0, 0, T0);
    feed.load(T0, 60, T0 + 3_600_000);
    await tick();
    expect(errors).toEqual(['HTTP 503']);
  });
});
