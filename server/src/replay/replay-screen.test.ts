import { brotliDecompressSync } from 'node:zlib';
import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackJson, type InputMessage, type ReplayScreenState, type ReplayState } from '@egret/protocol';
import { asData, caseReport, configWith, startHub, testRedis, waitFor, type TestHub } from '../../test/hub-fixture.ts';
import type { Redis } from '../redis/connect.ts';

const base = configWith({ tickMs: 100 });
const config = {
  ...base,
  settings: {
    ...base.settings,
    replay: { ...base.settings.replay, snapshotEveryEvents: 50, snapshotEveryMinutes: 10 },
  },
};
const T0 = Date.parse('2026-07-01T08:00:00+08:00');
const MIN = 60_000;

/** The raw answer as a browser asking for brotli gets it: status, headers and the bytes on the wire. */
const raw = (url: string, encoding: string) =>
  new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    httpGet(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
    }).on('error', reject);
  });

describe('the replay wall’s packed seek (/api/replay/screen)', () => {
  let hub: TestHub;
  let redis: Redis;
  const at = (i: number) => T0 + i * 20_000 + 1_000;

  beforeAll(async () => {
    const t = await testRedis('replay-screen');
    redis = t.redis;
    hub = await startHub(t.ns, { config });
    const inputs: InputMessage[] = [
      { kind: 'clock.set', clock: { baseReal: Date.now(), baseWorld: T0 + 120 * MIN, rate: 1, scenario: 's' }, at: T0 },
    ];
    for (let i = 0; i < 150; i++)
      inputs.push(caseReport(`SC-${i}`, { at: at(i), lon: 118.08 + (i % 10) * 0.003, lat: 24.45 + (i % 7) * 0.003 }));
    for (const m of inputs) await redis.xAdd(t.keys.inEvents, '*', asData(m));
    await waitFor('all inputs applied', () => hub.app.world().cases.size === 150, 20_000);
  });
  afterAll(async () => {
    await hub?.close();
    await redis?.close();
  });

  it('unpacks to exactly what /state sends at the same instant, key for key, compressed as /state is', async () => {
    for (const i of [0, 37, 99, 149]) {
      const t = at(i) + 5_000;
      const state = (await (await fetch(`${hub.url}/api/replay/state?t=${t}`)).json()) as ReplayState;
      const res = await raw(`${hub.url}/api/replay/screen?t=${t}`, 'br');
      expect(res.status).toBe(200);
      expect(res.encoding).toBe('br');
      const packed = JSON.parse(brotliDecompressSync(res.body).toString('utf8')) as ReplayScreenState;
      const screen = unpackJson<ReplayState>(packed);
      expect(screen.world.cases).toHaveLength(i + 1);
      expect(JSON.stringify(screen)).toBe(JSON.stringify(state));
    }
  });

  it('is smaller than the JSON it packs', async () => {
    const t = at(149) + 5_000;
    const json = await (await fetch(`${hub.url}/api/replay/state?t=${t}`)).text();
    const packed = await (await fetch(`${hub.url}/api/replay/screen?t=${t}`)).text();
    expect(packed.length).toBeLessThan(json.length / 2);
  });

  it('refuses a bad instant with a clear 400, and answers an instant before the history as /state does', async () => {
    for (const t of ['', 'abc', '1e3', '-1', '99999999999999999', 'NaN', '2016-09-15T25:00:00Z', '%00']) {
      const res = await fetch(`${hub.url}/api/replay/screen?t=${t}`);
      expect(res.status, `t=${t}`).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('bad_request');
    }
    const missing = await fetch(`${hub.url}/api/replay/screen`);
    expect(missing.status).toBe(400);
    const early = await fetch(`${hub.url}/api/replay/screen?t=${T0 - 24 * 3_600_000}`);
    const stateEarly = await fetch(`${hub.url}/api/replay/state?t=${T0 - 24 * 3_600_000}`);
    expect(early.status).toBe(stateEarly.status);
    if (early.ok)
      expect(JSON.stringify(unpackJson((await early.json()) as ReplayScreenState))).toBe(
        JSON.stringify(await stateEarly.json()),
      );
    // Another spelling of the path reaches the same route (Express matches case-insensitively): the same answer.
    const upper = await fetch(`${hub.url}/API/REPLAY/SCREEN?t=${at(10)}`);
    const lower = await fetch(`${hub.url}/api/replay/screen?t=${at(10)}`);
    expect(upper.status).toBe(lower.status);
    if (upper.ok) expect(await upper.text()).toBe(await lower.text());
  });
});
