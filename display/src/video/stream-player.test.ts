import { describe, expect, it, vi } from 'vitest';
import { playStream, retryDelayMs, START_TIMEOUT_MS, type StreamStatus } from './stream-player.ts';

/** A clock the test turns: timers run when `advance` passes them. */
function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => now,
    setTimer(fn: () => void, ms: number) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
    pending: () => timers.filter((t) => t.live).map((t) => t.at - now),
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.live && t.at <= now);
      timers = timers.filter((t) => !due.includes(t));
      for (const t of due) t.fn();
    },
  };
}

/** Waits for the player's (lazy) library import and first attempt to end. */
const downBy = (seen: StreamStatus[]) =>
  vi.waitFor(() => expect(seen.at(-1)?.state).toBe('down'), { timeout: 10_000, interval: 20 });

describe(retryDelayMs.name, () => {
  it('doubles from a second up to half a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe(playStream.name, () => {
  it('plays muted, shows a stream it cannot play as down, and retries with backoff until stopped', async () => {
    // happy-dom has no Media Source Extensions and plays no HLS itself: every attempt fails at once.
    const video = document.createElement('video');
    const seen: StreamStatus[] = [];
    const clock = fakeClock();
    const stop = playStream(
      video,
      { url: 'https://gw.example/live/C1.m3u8', format: 'hls' },
      (s) => seen.push(s),
      clock,
    );
    expect(video.muted).toBe(true);
    expect(seen[0]).toEqual({ state: 'connecting' });
    await downBy(seen);
    expect(seen.at(-1)).toMatchObject({ state: 'down', retryAt: 1_000, detail: 'no Media Source Extensions for HLS' });
    clock.advance(1_000);
    expect(seen.at(-1)).toEqual({ state: 'connecting' });
    await downBy(seen);
    expect(seen.at(-1)).toMatchObject({ state: 'down', retryAt: 1_000 + 2_000 });
    stop();
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((s) => s.state === 'connecting')).toHaveLength(2);
  });

  it('arms the start timeout with each attempt, and fails an HTTP-FLV stream without MSE at once', async () => {
    const video = document.createElement('video');
    const seen: StreamStatus[] = [];
    const clock = fakeClock();
    // The FLV player fails at once too here; what matters is that a hung start is not left "connecting" forever.
    const stop = playStream(
      video,
      { url: 'https://gw.example/live/C1.flv', format: 'flv' },
      (s) => seen.push(s),
      clock,
    );
    expect(clock.pending()).toContain(START_TIMEOUT_MS);
    await downBy(seen);
    stop();
  });
});
