import { get as httpGet } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEvents,
  emptyWorld,
  toSnapshot,
  type InputMessage,
  type LogEvent,
  type ReplayEvents,
  type ReplayHistogram,
  type ReplayRange,
  type ReplayState,
} from '@egret/protocol';
import { asData, caseReport, configWith, startHub, testRedis, waitFor, type TestHub } from '../../test/hub-fixture.ts';
import type { Redis } from '../redis/connect.ts';
import { readLog } from '../log/log-reader.ts';

const base = configWith({ tickMs: 100 });
const config = {
  ...base,
  settings: {
    ...base.settings,
    replay: { ...base.settings.replay, snapshotEveryEvents: 100, snapshotEveryMinutes: 10 },
  },
};
/** A morning in the past: the hub accepts world times behind its clock. */
const T0 = Date.parse('2026-07-01T08:00:00+08:00');
const MIN = 60_000;

describe('the replay API over a hub fed through its input stream', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let log: LogEvent[] = [];

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${hub.url}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const t = await testRedis('replay-api');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns, { config });
    const inputs: InputMessage[] = [
      {
        kind: 'clock.set',
        clock: { baseReal: Date.now(), baseWorld: T0 + 120 * MIN, rate: 1, scenario: 'drill-a' },
        at: T0,
      },
    ];
    // 250 cases, one every 12 s of world time over 50 minutes, some with the same `at` as the one before.
    for (let i = 0; i < 250; i++) {
      const at = T0 + Math.floor(i / 2) * 24_000 + 1_000;
      inputs.push(caseReport(`RP-${i}`, { at, lon: 118.08 + (i % 10) * 0.003, lat: 24.45 + (i % 7) * 0.003 }));
    }
    for (const m of inputs) await redis.xAdd(keys.inEvents, '*', asData(m));
    await waitFor('all inputs applied', () => hub.app.world().cases.size === 250, 20_000);
    log = await readLog(redis, keys, 1, '+', 10_000);
    // The history writer (periods, report counts) has seen the whole log.
    await waitFor(
      'the history writer',
      async () => Number(await redis.hGet(keys.replayCursor, 'countedSeq')) === log.length,
      20_000,
    );
  });
  afterAll(async () => {
    await hub?.close();
    await redis?.close();
  });

  it('names the range and the scenario run', async () => {
    const range = await get<ReplayRange>('/api/replay/range');
    expect(range.first).toBe(T0);
    expect(range.last).toBe(hub.app.world().at);
    expect(range.lastSeq).toBe(log.length);
    expect(range.periods).toEqual([{ scenario: 'drill-a', from: T0, to: hub.app.world().at, fromSeq: 1, open: true }]);
  });

  it('rebuilds the state at any world time as the log prefix whose running time stays at or before it', async () => {
    for (const t of [
      T0 - 1,
      T0,
      T0 + 1_000,
      T0 + 12 * MIN + 1_000,
      T0 + 12 * MIN + 999,
      T0 + 49 * MIN + 13_000,
      T0 + 10 * 60 * MIN,
    ]) {
      const state = await get<ReplayState>(`/api/replay/state?t=${t}`);
      let expected = emptyWorld();
      let i = 0;
      while (i < log.length && Math.max(expected.at, log[i]!.at) <= t) i++;
      expected = applyEvents(expected, log.slice(0, i));
      expect(state.t).toBe(t);
      // Same entities; the order of a snapshot's lists carries no meaning.
      const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
      const want = JSON.parse(JSON.stringify(toSnapshot(expected))) as typeof state.world;
      expect({ ...state.world, cases: byId(state.world.cases) }).toEqual({ ...want, cases: byId(want.cases) });
      expect(state.kpi.at).toBe(t);
      expect(state.kpi.all.city.reported).toBe(expected.cases.size);
    }
  });

  it('compresses a seek for a browser that accepts br or gzip, and sends it plain to one that does not', async () => {
    const t = T0 + 49 * MIN;
    const plain = await rawGet(`${hub.url}/api/replay/state?t=${t}`, 'identity');
    expect(plain.encoding).toBeUndefined();
    for (const [accept, encoding, inflate] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      const packed = await rawGet(`${hub.url}/api/replay/state?t=${t}`, accept);
      expect(packed.encoding).toBe(encoding);
      expect(packed.body.length).toBeLessThan(plain.body.length / 4);
      expect(inflate(packed.body).equals(plain.body)).toBe(true);
    }
  });

  it('accepts ISO times and refuses nonsense', async () => {
    const iso = await get<ReplayState>(
      `/api/replay/state?t=${encodeURIComponent(new Date(T0 + 5 * MIN).toISOString())}`,
    );
    expect(iso.t).toBe(T0 + 5 * MIN);
    const bad = await fetch(`${hub.url}/api/replay/state?t=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_request' });
  });

  it('sends the events between two times, paged', async () => {
    const from = T0 + 10 * MIN;
    const to = T0 + 20 * MIN;
    const all = await get<ReplayEvents>(`/api/replay/events?from=${from}&to=${to}`);
    const inWindow = log.filter((e, i) => {
      const runMax = Math.max(...log.slice(0, i + 1).map((x) => x.at));
      return runMax > from && runMax <= to;
    });
    expect(all.events.map((e) => e.seq)).toEqual(inWindow.map((e) => e.seq));
    expect(all.truncated).toBe(false);
    const first = await get<ReplayEvents>(`/api/replay/events?from=${from}&to=${to}&limit=7`);
    expect(first.events).toHaveLength(7);
    expect(first.truncated).toBe(true);
    const rest = await get<ReplayEvents>(
      `/api/replay/events?from=${from}&to=${to}&afterSeq=${first.events.at(-1)!.seq}`,
    );
    expect([...first.events, ...rest.events]).toEqual(all.events);
  });

  it('counts case reports per bin for the scrubber', async () => {
    const h = await get<ReplayHistogram>(`/api/replay/histogram?from=${T0}&to=${T0 + 60 * MIN}&bins=6`);
    expect(h.counts).toHaveLength(6);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(250);
    const perBin = [0, 1, 2, 3, 4, 5].map(
      (b) =>
        log.filter((e) => e.type === 'case.reported' && e.at >= T0 + b * 10 * MIN && e.at < T0 + (b + 1) * 10 * MIN)
          .length,
    );
    expect(h.counts).toEqual(perBin);
  });
});

/** A GET with this Accept-Encoding, its body as sent (fetch would undo the compression). */
function rawGet(url: string, acceptEncoding: string): Promise<{ encoding: string | undefined; body: Buffer }> {
  return new Promise((done, fail) => {
    httpGet(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      res.on('error', fail);
    }).on('error', fail);
  });
}
