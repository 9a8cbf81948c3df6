import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import { decodeFrame, type HandshakeAuth, type PositionFrame } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import {
  asData,
  caseReport,
  startHub,
  testRedis,
  waitFor,
  xaddInput,
  type ScreenSocket,
  type TestHub,
} from './hub-fixture.ts';

/** A raw connection that records every message the hub sends it, by name, and the position frames decoded. */
function connection(url: string, auth: HandshakeAuth) {
  const socket: ScreenSocket = connectClient(url, {
    transports: ['websocket'],
    auth: { ...auth },
    reconnection: false,
    forceNew: true,
  });
  const got: string[] = [];
  const frames: PositionFrame[] = [];
  socket.onAny((name: string) => got.push(name));
  socket.on('units:frame', (bytes) => frames.push(decodeFrame(bytes)));
  return { socket, got, frames, count: (name: string) => got.filter((n) => n === name).length };
}

/**
 * A page's two connections: its main socket (`positions: false`: the log, no frames) and its worker's positions
 * stream (`stream: 'positions'`: the frames, nothing else) — on two hubs of one Redis, as behind a balancer.
 */
describe('a positions-only stream and a main socket without frames', () => {
  let t: { ns: string; keys: ReturnType<typeof import('@egret/protocol').redisKeys>; redis: Redis };
  let hubs: TestHub[];
  const opened: ScreenSocket[] = [];

  beforeAll(async () => {
    t = await testRedis('pos-stream');
    const first = await startHub(t.ns);
    hubs = [first, await startHub(t.ns)];
  });

  afterAll(async () => {
    for (const s of opened) s.close();
    await Promise.all(hubs.map((h) => h.close()));
    await t.redis.close();
  });

  it('sends the stream hello, a keyframe and the ticks, and never a snapshot, log event or KPI report', async () => {
    const stream = connection(hubs[1]!.url, { stream: 'positions' });
    const main = connection(hubs[0]!.url, { positions: false });
    opened.push(stream.socket, main.socket);
    await waitFor('the stream’s keyframe and ticks', () => stream.frames.length >= 3);
    expect(stream.got[0]).toBe('hub:hello');
    expect(stream.frames[0]!.keyframe).toBe(true);
    expect(stream.frames.slice(1).some((f) => !f.keyframe)).toBe(true);

    // The main socket is synced as ever, and gets the KPI report and the live log.
    await waitFor('the main socket’s snapshot and KPI report', () => main.count('kpi:report') > 0);
    expect(main.got.slice(0, 2)).toEqual(['hub:hello', 'wall:snapshot']);
    await xaddInput(t.redis, t.keys, asData(caseReport('C-STREAM-1')));
    await waitFor('the case on the main socket', () => main.count('log:events') > 0);
    const ticksSoFar = stream.frames.length;
    await waitFor('more ticks on the stream', () => stream.frames.length > ticksSoFar + 2);

    expect(stream.count('wall:snapshot')).toBe(0);
    expect(stream.count('log:events')).toBe(0);
    expect(stream.count('kpi:report')).toBe(0);
    expect(main.count('units:frame')).toBe(0); // its frames go to the stream

    const range = await stream.socket.emitWithAck('log:range', { afterSeq: 0, toSeq: 1 });
    expect(range).toMatchObject({ ok: false, error: 'bad_request' });
  });

  it('sends frames to a main socket without them once it asks for a keyframe (the page’s worker died)', async () => {
    const main = connection(hubs[0]!.url, { positions: false });
    opened.push(main.socket);
    await waitFor('the snapshot', () => main.count('wall:snapshot') > 0);
    await new Promise((r) => setTimeout(r, 600)); // a few ticks
    expect(main.count('units:frame')).toBe(0);
    main.socket.emit('units:keyframe');
    await waitFor('a keyframe and ticks', () => main.frames.length >= 3);
    expect(main.frames[0]!.keyframe).toBe(true);
    expect(main.frames.slice(1).some((f) => !f.keyframe)).toBe(true);
  });

  it('stops the frames on a main socket that says `units:elsewhere` (its worker has them again), until it asks again', async () => {
    const main = connection(hubs[1]!.url, { positions: false });
    const witness = connection(hubs[1]!.url, { stream: 'positions' });
    opened.push(main.socket, witness.socket);
    await waitFor('the snapshot', () => main.count('wall:snapshot') > 0);
    main.socket.emit('units:keyframe');
    await waitFor('a keyframe and ticks', () => main.frames.length >= 3);
    /** Ticks the hub sends meanwhile (the witness's frames) while this socket gets none. */
    const quietThrough = async (ticks: number) => {
      // Events are handled in order: once this is answered, the hub has read what was sent before it.
      await main.socket.emitWithAck('log:range', { afterSeq: 0, toSeq: 0 });
      const [here, there] = [main.frames.length, witness.frames.length];
      await waitFor(`${ticks} ticks on the witness`, () => witness.frames.length >= there + ticks);
      expect(main.frames.length).toBe(here);
    };

    main.socket.emit('units:elsewhere');
    await quietThrough(3);
    // Asked and given up at once (a fallback racing a new worker's return): no keyframe, no ticks after.
    main.socket.emit('units:keyframe');
    main.socket.emit('units:elsewhere');
    await quietThrough(3);
    // Asked again (the worker went away again): a keyframe, then the ticks.
    const before = main.frames.length;
    main.socket.emit('units:keyframe');
    await waitFor('a keyframe and ticks again', () => main.frames.length >= before + 3);
    expect(main.frames[before]!.keyframe).toBe(true);
  });

  it('counts a stream apart from the screens in /metrics', async () => {
    const stream = connection(hubs[0]!.url, { stream: 'positions' });
    opened.push(stream.socket);
    await waitFor('the stream’s keyframe', () => stream.frames.length > 0);
    const text = await (await fetch(`${hubs[0]!.url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    // On this hub: the main sockets of the two tests before (one closed or not) and this stream.
    const streams = hubs[0]!.app.io.sockets.sockets.size;
    expect(gauge('egret_position_streams_connected')).toBe(1);
    expect(gauge('egret_screens_connected')).toBe(streams - 1);
  });
});
