import { describe, expect, it } from 'vitest';
import type { ReplayRange } from '@egret/protocol';
import type { ReplayApi } from './replay-api.ts';
import { ReplaySession } from './replay-session.svelte.ts';

/** A hub whose range answer the test gives; every other ask is noted and never answered. */
function aHub(range: () => Promise<ReplayRange>) {
  const asked: string[] = [];
  const never = (what: string) => () => {
    asked.push(what);
    return new Promise(() => {});
  };
  const api = {
    snapshot: 'split',
    range,
    histogram: never('histogram'),
    state: never('state'),
    finished: never('finished'),
    positions: never('positions'),
    trails: (from: number) => {
      asked.push(`trails from ${from}`);
      return Promise.reject(new Error(`from=${from}: expected a time between 2000-01-01 and 2100-01-01`));
    },
    kpi: never('kpi'),
    events: never('events'),
    eventPage: never('eventPage'),
  } as unknown as ReplayApi;
  return { api, asked };
}

/** The screen's animation loop, for a few seconds of frames. */
async function frames(session: ReplaySession, seconds: number) {
  const t0 = performance.now();
  for (let ms = 0; ms <= seconds * 1_000; ms += 100) {
    session.frame(t0 + ms);
    await new Promise((r) => setTimeout(r, 0));
  }
}

describe('a replay that could not open', () => {
  it('keeps the reason it could not open, and asks nothing more while there is no period', async () => {
    const hub = aHub(() => Promise.reject(new TypeError('Failed to fetch')));
    const session = new ReplaySession(hub.api);
    await session.open({ t: Date.parse('2026-07-01T09:00:00+08:00') });
    expect(session.error).toBe('Failed to fetch');
    await frames(session, 5);
    // Before: the loop asked the tracks around t = 0 (from = -30 min: refused, its message replaced the reason) and
    // the KPIs at t = 0 every 2 s.
    expect(session.error).toBe('Failed to fetch');
    expect(hub.asked).toEqual([]);
  });

  it('an empty history shows no error and asks nothing', async () => {
    const hub = aHub(() => Promise.resolve({ first: null, last: null } as unknown as ReplayRange));
    const session = new ReplaySession(hub.api);
    await session.open();
    await frames(session, 5);
    expect(session.error).toBeNull();
    expect(hub.asked).toEqual([]);
  });
});
