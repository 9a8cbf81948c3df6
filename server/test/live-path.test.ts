import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type HubConfig } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, Screen, startHub, testRedis, waitFor, xaddInput, type TestHub } from './hub-fixture.ts';

describe('the live path: Redis → hub → wall', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  const screens: Screen[] = [];
  const displayDir = mkdtempSync(join(tmpdir(), 'egret-display-'));

  beforeAll(async () => {
    const t = await testRedis('live');
    redis = t.redis;
    keys = t.keys;
    writeFileSync(join(displayDir, 'index.html'), '<!doctype html><title>Egret</title>');
    writeFileSync(join(displayDir, 'app.js'), 'console.log(1)');
    hub = await startHub(t.ns, { displayDir });
  });
  afterAll(async () => {
    for (const s of screens) s.close();
    await hub.close();
    await redis.close();
    rmSync(displayDir, { recursive: true, force: true });
  });

  it('greets a screen, sends it a snapshot, then streams a reported case as a numbered log event', async () => {
    const screen = new Screen(hub.url);
    screens.push(screen);
    await waitFor('the first snapshot', () => screen.snapshots.length === 1);
    expect(screen.hello).toMatchObject({ protocol: PROTOCOL_VERSION, city: 'xiamen' });
    const before = screen.snapshots[0]!.seq;

    await xaddInput(redis, keys, asData(caseReport('LIVE-1')));
    await waitFor('the log event', () => screen.events.length === 1);
    const e = screen.events[0]!;
    expect(e).toMatchObject({
      seq: before + 1,
      type: 'case.reported',
      case: { id: 'LIVE-1', status: 'reported', district: '350203' },
    });
    expect(screen.order).toEqual(['snapshot', [before + 1]]);
    expect(hub.app.world().cases.get('LIVE-1')?.status).toBe('reported');

    const later = new Screen(hub.url);
    screens.push(later);
    await waitFor('a later screen’s snapshot', () => later.snapshots.length === 1);
    expect(later.snapshots[0]!.seq).toBe(before + 1);
    expect(later.snapshots[0]!.cases.map((c) => c.id)).toContain('LIVE-1');
  });

  it('answers log:range from what it holds', async () => {
    const screen = screens[0]!;
    const res = await screen.socket.emitWithAck('log:range', { afterSeq: 0, toSeq: 1 });
    expect(res).toMatchObject({ ok: true, data: [{ seq: 1, type: 'case.reported' }] });
    const bad = await screen.socket.emitWithAck('log:range', { afterSeq: -1, toSeq: 'x' } as never);
    expect(bad).toMatchObject({ ok: false, error: 'bad_request' });
  });

  it('accepts a batch over HTTP and applies it through the same stream', async () => {
    const res = await fetch(`${hub.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([caseReport('HTTP-1'), caseReport('HTTP-2')]),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { ids: string[] }).ids).toHaveLength(2);
    await waitFor('both cases in the mirror', () => hub.app.world().cases.has('HTTP-2'));
    expect(hub.app.world().cases.has('HTTP-1')).toBe(true);
  });

  it('answers health, readiness and metrics', async () => {
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/egret_ingest_entries_total\{stream="[^"]+",result="applied"\} 3/);
    expect(metrics).toMatch(/egret_log_seq 3/);
    expect(metrics).toMatch(/egret_log_lag_events 0/);
    expect(metrics).toMatch(/egret_screens_connected 2/);
    expect(metrics).toMatch(/egret_events_fanned_out_total \d+/);
    expect(metrics).toMatch(/process_cpu_seconds_total/);
  });

  it('serves the display’s config: city, categories, deadlines, boundaries and display settings', async () => {
    const cfg = (await (await fetch(`${hub.url}/api/config`)).json()) as HubConfig;
    expect(cfg.city.id).toBe('xiamen');
    expect(cfg.city.districts).toHaveLength(6);
    expect(cfg.categories.entries.find((c) => c.code === '04002')?.name.zh).toBe('行道树异常');
    expect(Object.keys(cfg.categories.groups)).toContain('greenery');
    expect(cfg.deadlines.default.normal).toBeGreaterThan(0);
    expect(cfg.boundaries.geojson.features).toHaveLength(6);
    expect(cfg.display.defaultLocale).toBe('zh');
    expect(cfg.tickMs).toBeGreaterThan(0);
    expect(cfg.staleAfterMs).toBeGreaterThan(0);
  });

  it('serves the display’s files and its pages', async () => {
    for (const page of ['/', '/wall', '/console']) {
      const res = await fetch(`${hub.url}${page}`);
      expect(res.status, page).toBe(200);
      expect(await res.text()).toContain('<title>Egret</title>');
    }
    expect(await (await fetch(`${hub.url}/app.js`)).text()).toBe('console.log(1)');
    expect((await fetch(`${hub.url}/nope`)).status).toBe(404);
  });

  it('refuses a body over 256 kB with 413 and a clear message', async () => {
    const res = await fetch(`${hub.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(300_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'too_large', message: expect.stringContaining('256kb') });
  });
});

describe('a hub whose display is not built', () => {
  it('answers its pages with 503 saying how to build it', async () => {
    const t = await testRedis('nodisplay');
    const hub = await startHub(t.ns);
    try {
      const res = await fetch(`${hub.url}/wall`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('display not built: run npm run build -w @egret/display');
    } finally {
      await hub.close();
      await t.redis.close();
    }
  });
});
