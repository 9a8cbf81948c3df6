import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, emptyWorld, toSnapshot } from '@egret/protocol';
import { parseLogEntry } from '../src/log/log-reader.ts';
import { mirrorSnapshotDue } from '../src/log/mirror-snapshots.ts';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, configWith, Screen, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('resume beyond the in-memory ring', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let ns: string;
  const config = configWith({ snapshotEvery: 100 });
  /** The log as it was before a test trimmed it. */
  let logBeforeTrim: Array<{ id: string; message: Record<string, string> }> = [];

  beforeAll(async () => {
    const t = await testRedis('relog');
    ({ redis, keys, ns } = t);
    hub = await startHub(ns, { ringSize: 20, config });
    const multi = redis.multi();
    for (let i = 0; i < 250; i++) multi.xAdd(keys.inEvents, '*', asData(caseReport(`L-${i}`)));
    await multi.exec();
    await waitFor('250 events applied', () => hub.app.world().seq === 250);
  });
  afterAll(async () => {
    await hub.close();
    await redis.close();
  });

  it('sends what the ring still holds straight from memory', async () => {
    const s = new Screen(hub.url, { lastSeq: 240 });
    await waitFor('10 events', () => s.events.length === 10);
    expect(s.snapshots).toHaveLength(0);
    expect(s.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 241 + i));
    s.close();
  });

  it('reads older events from the Redis log, then joins the live stream with no gap and no duplicate', async () => {
    let flowing = true;
    let sent = 0;
    const flow = (async () => {
      for (; flowing; sent++) {
        await redis.xAdd(keys.inEvents, '*', asData(caseReport(`LIVE-${sent}`)));
        await sleep(2);
      }
    })();
    await waitFor('live inputs flowing', () => hub.app.world().seq > 260);
    const s = new Screen(hub.url, { lastSeq: 150 });
    await sleep(300);
    flowing = false;
    await flow;
    const head = 250 + sent;
    await waitFor('the hub to apply every input', () => hub.app.world().seq === head);
    await waitFor('everything up to the head', () => s.lastSeq === head);
    expect(s.snapshots).toHaveLength(0);
    expect(s.events.map((e) => e.seq)).toEqual(Array.from({ length: head - 150 }, (_, i) => 151 + i));
    s.close();
  });

  it('sends a snapshot to a screen whose last seq was trimmed from the log, and refuses such a range', async () => {
    logBeforeTrim = (await redis.xRange(keys.log, '-', '+')) ?? [];
    await redis.xTrim(keys.log, 'MINID', '201-0');
    const s = new Screen(hub.url, { lastSeq: 150 });
    await waitFor('a snapshot', () => s.snapshots.length === 1);
    expect(s.snapshots[0]!.seq).toBe(hub.app.world().seq);
    expect(s.events).toHaveLength(0);
    expect(await s.socket.emitWithAck('log:range', { afterSeq: 100, toSeq: 120 })).toMatchObject({
      ok: false,
      error: 'trimmed',
    });
    s.close();
  });

  it('starts a new hub from the newest snapshot and the log after it', async () => {
    const snapshots = (await redis.xRange(keys.snapshots, '-', '+')) ?? [];
    // A snapshot at each seq the mirrors' rule picks (every 100 events, spaced out as the world outgrows 200
    // entities: the city's sensors are in it from the start), as far as the log goes.
    const world = emptyWorld();
    const due: string[] = [];
    const after = ((await redis.xRange(keys.log, '-', '+')) ?? []).filter(
      (x) => !logBeforeTrim.some((y) => y.id === x.id),
    );
    for (const entry of [...logBeforeTrim, ...after]) {
      const e = parseLogEntry(entry);
      applyEvent(world, e);
      const entities = world.cases.size + world.units.size + world.tasks.size + world.sensors.size;
      if (mirrorSnapshotDue(e.seq, entities, 100)) due.push(`${e.seq}-0`);
    }
    expect(due.length).toBeGreaterThan(0);
    expect(snapshots.map((e) => e.id)).toEqual(due);
    const second = await startHub(ns, { config });
    try {
      expect(toSnapshot(second.app.world())).toEqual(toSnapshot(hub.app.world()));
    } finally {
      await second.close();
    }
  });
});
