import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@egret/protocol';
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/redis/embedded-redis.ts';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { asData, caseReport, Screen, startHub, waitFor, type TestHub } from './hub-fixture.ts';

// A Redis of its own: this test empties it and drops every connection, as a restart that lost its data would.
describe('a Redis restart that lost data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'egret-loss-'));
  const keys = redisKeys('loss');
  let server: EmbeddedRedis;
  let hub: TestHub;
  let redis: Redis;

  beforeAll(async () => {
    server = await startEmbeddedRedis({ dataDir, persist: false, install: false });
    redis = await connectRedis(server.url);
    hub = await startHub('loss', { redisUrl: server.url });
  });
  afterAll(async () => {
    await hub.close();
    await redis.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is noticed: the hub makes its consumer group again, rebuilds its mirror and sends screens a fresh snapshot', async () => {
    const screen = new Screen(hub.url);
    for (let i = 0; i < 5; i++) await redis.xAdd(keys.inEvents, '*', asData(caseReport(`OLD-${i}`)));
    await waitFor('the old cases', () => screen.lastSeq === 5);

    // Everything is gone and every connection dropped; then new inputs arrive, and the log hands out seqs 1 … 7
    // again — for other events.
    await redis.flushAll();
    await redis.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal']);
    for (let i = 0; i < 7; i++) await redis.xAdd(keys.inEvents, '*', asData(caseReport(`NEW-${i}`)));

    const ids = Array.from({ length: 7 }, (_, i) => `NEW-${i}`);
    await waitFor(
      'the mirror rebuilt from Redis',
      () => hub.app.world().seq === 7 && !hub.app.world().cases.has('OLD-0'),
      15_000,
    );
    expect([...hub.app.world().cases.keys()]).toEqual(ids);
    // The screen got a fresh snapshot after the loss, and the events after it: it draws the new world only.
    await waitFor('the screen to draw the new world', () => screen.world()?.seq === 7 && screen.snapshots.length >= 2);
    expect([...screen.world()!.cases.keys()]).toEqual(ids);
    screen.close();
  }, 30_000);
});
