import { afterEach, describe, expect, it } from 'vitest';
import type { Fix } from '@egret/protocol';
import { publishFixes, registerUnits } from '../src/positions/test-hub.ts';
import { startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';

/**
 * Issue 14: a lone hub killed with position entries pending, which the producer's `XADD MAXLEN ~` then trimmed,
 * used to fail on every read after its restart ("Cannot read properties of null (reading 'length')": node-redis
 * cannot parse a pending entry whose fields are gone), apply no fix again, and still answer /readyz 200.
 */
const fix = (unitId: string, at: number, lon = 118.1): Fix => ({ unitId, lon, lat: 24.5, at });

let hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.map((h) => h.close()));
  hubs = [];
});

async function readyz(url: string): Promise<{ status: number; message?: string }> {
  const res = await fetch(`${url}/readyz`);
  const body = (await res.json()) as { message?: string };
  return { status: res.status, ...(body.message ? { message: body.message } : {}) };
}

async function metric(url: string, name: string, stream: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name}\\{stream="${stream.replace(/[{}]/g, '\\$&')}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('positions ingest recovery', () => {
  it('recovers by itself from pending entries trimmed away while the hub was down, counts them lost, and is ready', async () => {
    const { ns, keys, redis } = await testRedis('trimmed-pending');
    try {
      await registerUnits(redis, keys, ['u-1']);
      // The hub's previous run: 5 entries delivered to its consumer name, never acknowledged (it was killed) …
      await redis.xGroupCreate(keys.inPositions, keys.ingestGroup, '0', { MKSTREAM: true });
      const t = Date.now();
      for (let i = 0; i < 5; i++) await publishFixes(redis, keys, [fix('u-1', t - 60_000 + i)]);
      await redis.xReadGroup(keys.ingestGroup, 'hub-crashed', { key: keys.inPositions, id: '>' }, { COUNT: 10 });
      expect((await redis.xPending(keys.inPositions, keys.ingestGroup)).pending).toBe(5);
      // … then the producer's MAXLEN trimmed them away.
      await publishFixes(redis, keys, [fix('u-1', t - 1_000, 118.2)]);
      await redis.xTrim(keys.inPositions, 'MAXLEN', 1);

      const hub = await startHub(ns, { hubId: 'hub-crashed' });
      hubs.push(hub);
      await waitFor(
        'the later fix applied',
        async () => (await redis.hGet(keys.positions, 'u-1')) === `118.2,24.5,${t - 1_000}`,
      );
      await publishFixes(redis, keys, [fix('u-1', t, 118.3)]);
      await waitFor(
        'a fix sent after the restart applied',
        async () => (await redis.hGet(keys.positions, 'u-1')) === `118.3,24.5,${t}`,
      );

      expect((await redis.xPending(keys.inPositions, keys.ingestGroup)).pending).toBe(0);
      const letters = ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).map((e) => e.message);
      expect(letters.map((l) => [l.source, l.reason])).toEqual(
        Array.from({ length: 5 }, () => [keys.inPositions, 'lost']),
      );
      expect(await metric(hub.url, 'egret_ingest_lost_entries_total', keys.inPositions)).toBe(5);
      expect(await readyz(hub.url)).toEqual({ status: 200 });
      expect(await metric(hub.url, 'egret_ingest_stalled', keys.inPositions)).toBe(0);
    } finally {
      await redis.close();
    }
  });

  it('is not ready while its ingest keeps failing, says why, and is ready again once the ingest recovers', async () => {
    const { ns, keys, redis } = await testRedis('stalled');
    try {
      await registerUnits(redis, keys, ['u-1']);
      const hub = await startHub(ns);
      hubs.push(hub);
      await waitFor('ready', async () => (await readyz(hub.url)).status === 200);
      // Something else took the stream's key (a misconfigured producer): every read now fails while Redis answers.
      await redis.del(keys.inPositions);
      await redis.set(keys.inPositions, 'not a stream');
      await waitFor('not ready', async () => (await readyz(hub.url)).status === 503, 20_000);
      const why = await readyz(hub.url);
      expect(why.message).toMatch(
        new RegExp(
          `ingest of ${keys.inPositions.replace(/[{}]/g, '\\$&')} stalled: \\d+ failed rounds in a row \\(.*WRONGTYPE`,
        ),
      );
      expect(await metric(hub.url, 'egret_ingest_stalled', keys.inPositions)).toBe(1);
      expect(await metric(hub.url, 'egret_ingest_errors_in_row', keys.inPositions)).toBeGreaterThanOrEqual(5);

      await redis.del(keys.inPositions);
      await waitFor('ready again', async () => (await readyz(hub.url)).status === 200, 20_000);
      const t = Date.now();
      await publishFixes(redis, keys, [fix('u-1', t, 118.4)]);
      await waitFor(
        'a fix applied after the recovery',
        async () => (await redis.hGet(keys.positions, 'u-1')) === `118.4,24.5,${t}`,
      );
      expect(await metric(hub.url, 'egret_ingest_stalled', keys.inPositions)).toBe(0);
    } finally {
      await redis.close();
    }
  });
});
