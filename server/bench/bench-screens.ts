/**
 * The screens, run as one child process by hub.bench.ts: N real socket.io-client connections to the hub under test,
 * each counting the bytes it receives and how old each position is when it arrives.
 *
 *   tsx server/bench/bench-screens.ts <url> <screens>
 *
 * IPC: sends `ready` when every screen is connected; on `measure` it starts counting afresh; on `report` it answers
 * with the figures of the measured window.
 */
import { io, type Socket } from 'socket.io-client';
import { decodeFrame, type Fix } from '@egret/protocol';
import { Histogram, ageOf } from './measure.ts';

const [url, countArg] = process.argv.slice(2);
if (!url) throw new Error('usage: bench-screens.ts <url> <screens>');
const count = Number(countArg ?? 10);

interface ScreenStats {
  bytes: number;
  /** Position updates received (entries of tick frames, or JSON fix events). */
  updates: number;
  frames: number;
  keyframes: number;
  /** Ticks a screen never received (a jump in tick numbers). */
  skippedTicks: number;
  lastTick: number | undefined;
}

const fixAge = new Histogram();
const tickAge = new Histogram();
let cpuAtStart = process.cpuUsage();
let startedAt = Date.now();

function fresh(): ScreenStats {
  return { bytes: 0, updates: 0, frames: 0, keyframes: 0, skippedTicks: 0, lastTick: undefined };
}

const screens: Array<{ socket: Socket; stats: ScreenStats }> = [];
for (let i = 0; i < count; i++) {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const screen = { socket, stats: fresh() };
  // Engine.IO packets as they arrive: the payload bytes on the wire, without the 2–14 bytes of WebSocket framing.
  socket.io.engine.on('packet', (p: { data?: unknown }) => {
    const d = p.data;
    screen.stats.bytes +=
      1 +
      (typeof d === 'string'
        ? Buffer.byteLength(d)
        : d instanceof ArrayBuffer || ArrayBuffer.isView(d)
          ? d.byteLength
          : 0);
  });
  socket.on('units:frame', (data: ArrayBuffer) => {
    const now = Date.now();
    const frame = decodeFrame(data);
    const s = screen.stats;
    if (frame.keyframe) {
      s.keyframes++;
      s.lastTick = frame.tick;
      return;
    }
    if (s.lastTick !== undefined && frame.tick > s.lastTick + 1) s.skippedTicks += frame.tick - s.lastTick - 1;
    s.lastTick = frame.tick;
    s.frames++;
    s.updates += frame.slots.length;
    tickAge.add(now - frame.at);
    for (let k = 0; k < frame.latE6.length; k++) fixAge.add(ageOf(frame.latE6[k]!, now));
  });
  socket.on('unit:fix', (fix: Fix) => {
    screen.stats.updates++;
    fixAge.add(ageOf(Math.round(fix.lat * 1e6), Date.now()));
  });
  screens.push(screen);
}

await Promise.all(
  screens.map(
    ({ socket }) =>
      new Promise<void>((resolve, reject) => {
        if (socket.connected) return resolve();
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      }),
  ),
);
process.send?.('ready');

process.on('message', (msg: unknown) => {
  if (msg === 'measure') {
    for (const s of screens) s.stats = { ...fresh(), lastTick: s.stats.lastTick };
    fixAge.reset();
    tickAge.reset();
    cpuAtStart = process.cpuUsage();
    startedAt = Date.now();
  } else if (msg === 'report') {
    const seconds = (Date.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    process.send?.({
      seconds,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
      connected: screens.filter((s) => s.socket.connected).length,
      perScreen: screens.map((s) => ({ ...s.stats, lastTick: undefined })),
      fixAge: { p50: fixAge.quantile(0.5), p99: fixAge.quantile(0.99), max: fixAge.quantile(1), count: fixAge.count },
      tickAge: {
        p50: tickAge.quantile(0.5),
        p99: tickAge.quantile(0.99),
        max: tickAge.quantile(1),
        count: tickAge.count,
      },
    });
  } else if (msg === 'stop') {
    for (const s of screens) s.socket.disconnect();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
