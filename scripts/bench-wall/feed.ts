/**
 * The baseline pages' data: the same position frames the wall gets, from the same hub socket (`units:frame`,
 * decoded by the protocol's one codec), kept in one Float32Array of [lon, lat] per slot. What a page must do at
 * least to show moving units — the floor the wall's own receiving is compared against.
 */
import { io } from 'socket.io-client';
import { decodeFrame, PROTOCOL_VERSION } from '@egret/protocol';

export interface Feed {
  /** [lon, lat] per slot, degrees (NaN-free: slots never fixed stay at 0, 0 and are out of the city's frame). */
  positions: Float32Array;
  /** One past the highest slot with a fix. */
  length: number;
  framesReceived: number;
  connected: boolean;
}

/** Follows the hub's frames; `onFrame` after each is applied (a page coalesces redraws itself). */
export function followFrames(onFrame: () => void): Feed {
  const feed: Feed = { positions: new Float32Array(2 * 1024), length: 0, framesReceived: 0, connected: false };
  const socket = io({ path: '/socket.io', transports: ['websocket'], auth: { protocol: PROTOCOL_VERSION } });
  socket.on('connect', () => (feed.connected = true));
  socket.on('disconnect', () => (feed.connected = false));
  socket.on('units:frame', (bytes: ArrayBuffer) => {
    const f = decodeFrame(bytes);
    let max = 0;
    for (let i = 0; i < f.slots.length; i++) max = Math.max(max, f.slots[i]!);
    if (max * 2 + 2 > feed.positions.length) {
      let cap = feed.positions.length;
      while (cap < max * 2 + 2) cap *= 2;
      const grown = new Float32Array(cap);
      grown.set(feed.positions);
      feed.positions = grown;
    }
    for (let i = 0; i < f.slots.length; i++) {
      const s = f.slots[i]!;
      feed.positions[s * 2] = f.lonE6[i]! / 1e6;
      feed.positions[s * 2 + 1] = f.latE6[i]! / 1e6;
      if (s >= feed.length) feed.length = s + 1;
    }
    feed.framesReceived++;
    onFrame();
  });
  return feed;
}

/** What the bench reads from a baseline page (`window.__bench`). */
export interface BenchHook {
  readonly framesReceived: number;
  readonly redraws: number;
  readonly connected: boolean;
  readonly length: number;
}

/** Redraws at most once per frame received, each after the previous one is out (the next animation frame after it). */
export function coalesce(draw: () => void): { frame(): void; drawn(): void; redraws: number } {
  let dirty = false;
  let busy = false;
  const out = {
    redraws: 0,
    frame() {
      dirty = true;
      if (!busy) run();
    },
    drawn() {
      out.redraws++;
      requestAnimationFrame(() => {
        busy = false;
        if (dirty) run();
      });
    },
  };
  const run = () => {
    dirty = false;
    busy = true;
    draw();
  };
  return out;
}
