import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputMessage } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, now, Screen, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a screen that comes back', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];

  beforeAll(async () => {
    const t = await testRedis('resume');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns);
  });
  afterAll(async () => {
    await hub.close();
    await redis.close();
  });

  /** Case reports and, for each, its acceptance: valid inputs of two kinds, all logged. */
  function input(i: number): InputMessage {
    const id = `R-${Math.floor(i / 2)}`;
    return i % 2 === 0
      ? caseReport(id)
      : {
          kind: 'case.transition',
          caseId: id,
          to: 'accepted',
          actor: { role: 'dispatcher', id: 'clerk-1' },
          at: now(),
        };
  }

  it('after 30 s away gets exactly the 1,000 events it missed, in order, then live ones with no gap', async () => {
    const watcher = new Screen(hub.url);
    const away = new Screen(hub.url);
    for (let i = 0; i < 10; i++) await redis.xAdd(keys.inEvents, '*', asData(caseReport(`PRE-${i}`)));
    await waitFor('the first events', () => away.lastSeq === 10 && watcher.lastSeq === 10);
    const lastSeq = away.lastSeq;
    away.close();

    // 1,000 valid inputs over 30 s of real time, in 100 bursts of 10.
    const started = Date.now();
    for (let burst = 0; burst < 100; burst++) {
      const multi = redis.multi();
      for (let j = 0; j < 10; j++) multi.xAdd(keys.inEvents, '*', asData(input(burst * 10 + j)));
      await multi.exec();
      await sleep(Math.max(0, started + ((burst + 1) * 30_000) / 100 - Date.now()));
    }
    while (Date.now() - started < 30_000) await sleep(10); // timers may fire a millisecond early
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
    await waitFor('the hub to apply all 1,000', () => hub.app.world().seq === lastSeq + 1_000);

    // Inputs keep flowing while it reconnects: the catch-up and the live stream must meet exactly.
    let flowing = true;
    let late = 0;
    const flow = (async () => {
      for (; flowing; late++) {
        await redis.xAdd(keys.inEvents, '*', asData(caseReport(`LATE-${late}`)));
        await sleep(5);
      }
    })();
    const back = new Screen(hub.url, { lastSeq });
    await waitFor('the 1,000 missed events', () => back.events.length >= 1_000, 15_000);
    await sleep(200);
    flowing = false;
    await flow;
    const head = lastSeq + 1_000 + late;
    await waitFor('the live events after them', () => back.lastSeq === head && watcher.lastSeq === head);

    expect(back.snapshots).toHaveLength(0);
    const seqs = back.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: head - lastSeq }, (_, i) => lastSeq + 1 + i));
    // Exactly the events the screen that stayed saw, the same log entries.
    expect(back.events.slice(0, 1_000)).toEqual(
      watcher.events.filter((e) => e.seq > lastSeq && e.seq <= lastSeq + 1_000),
    );
    expect(back.events.slice(1_000)).toEqual(watcher.events.filter((e) => e.seq > lastSeq + 1_000));
    expect(head).toBeGreaterThan(lastSeq + 1_000);
    back.close();
    watcher.close();
  }, 60_000);
});
