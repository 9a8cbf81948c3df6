import type { StreamFormat } from '@egret/protocol';

/**
 * Plays one camera stream into a `<video>`: HLS through hls.js (Media Source Extensions; Safari's own HLS where MSE is
 * missing), HTTP-FLV through mpegts.js, WebRTC through WHEP (the browser's own RTCPeerConnection). Both libraries are
 * imported on first use, so they are separate chunks that a wall without video never downloads. Muted autoplay
 * (browsers allow it without a click); a stream that fails, stalls or never starts is shown down and retried with
 * backoff.
 */

/** 连接中 / 播放中 / 无信号. */
export type StreamState = 'connecting' | 'playing' | 'down';

export interface StreamSource {
  url: string;
  format: StreamFormat;
  /** A recording (视频追溯) rather than a live stream. */
  recording?: boolean;
}

export interface StreamStatus {
  state: StreamState;
  /** While down: when the next attempt starts (ms on `performance.now()`'s clock). */
  retryAt?: number;
  /** Why it is down, for the title bar's tooltip and the logs. */
  detail?: string;
}

/** Backoff between attempts: 1 s, 2 s, 4 s … at most 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

/** A stream that has not played within this long is down (the gateway answered, but nothing came). */
export const START_TIMEOUT_MS = 15_000;
/** A playing stream whose picture has not moved for this long is down (the camera went dark mid-stream). */
export const STALL_TIMEOUT_MS = 10_000;

interface Engine {
  destroy(): void;
}

async function startHls(video: HTMLVideoElement, src: StreamSource, fail: (why: string) => void): Promise<Engine> {
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = src.url; // Safari plays HLS itself
      return { destroy: () => video.removeAttribute('src') };
    }
    throw new Error('no Media Source Extensions for HLS');
  }
  const hls = new Hls({
    // The retry with backoff is ours (one policy for both formats): hls.js gives up at the first fatal error.
    manifestLoadingMaxRetry: 0,
    liveDurationInfinity: !src.recording,
    backBufferLength: 30,
  });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (data.fatal) fail(`${data.type}: ${data.details}`);
  });
  hls.loadSource(src.url);
  hls.attachMedia(video);
  return { destroy: () => hls.destroy() };
}

async function startFlv(video: HTMLVideoElement, src: StreamSource, fail: (why: string) => void): Promise<Engine> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.getFeatureList().mseLivePlayback) throw new Error('no Media Source Extensions for HTTP-FLV');
  const player = mpegts.createPlayer(
    { type: 'flv', isLive: !src.recording, url: src.url },
    { enableWorker: false, lazyLoad: false, liveBufferLatencyChasing: true },
  );
  player.on(mpegts.Events.ERROR, (type: string, detail: string) => fail(`${type}: ${detail}`));
  player.attachMediaElement(video);
  player.load();
  return {
    destroy: () => {
      player.pause();
      player.unload();
      player.detachMediaElement();
      player.destroy();
    },
  };
}

/** Waits until the offer holds every ICE candidate (WHEP sends one offer, no trickle), or `ms` has passed. */
function iceGathered(pc: RTCPeerConnection, ms: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      done();
    }
    function check() {
      if (pc.iceGatheringState === 'complete') finish();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * WHEP (the WebRTC-HTTP Egress Protocol, the IETF draft that mirrors WHIP, RFC 9725): POST a receive-only offer to
 * the stream's URL, take the SDP answer (201, with the session's URL in `Location`), DELETE that URL when done. No
 * ICE servers: the platform sits on the same government network and offers its own address in the answer. The
 * session URL is resolved against the stream's; one on another origin is refused by the CSP like any other fetch.
 */
async function startWhep(video: HTMLVideoElement, src: StreamSource, fail: (why: string) => void): Promise<Engine> {
  const pc = new RTCPeerConnection();
  let session: URL | undefined;
  const destroy = () => {
    pc.close();
    video.srcObject = null;
    if (session) fetch(session, { method: 'DELETE' }).catch(() => {});
  };
  try {
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.addEventListener('track', (e) => {
      stream.addTrack(e.track);
      if (video.srcObject !== stream) video.srcObject = stream;
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'disconnected')
        fail(`WebRTC connection ${pc.connectionState}`);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await iceGathered(pc, 2_000);
    const res = await fetch(src.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: pc.localDescription!.sdp,
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`WHEP ${res.status} ${res.statusText}`.trim());
    const location = res.headers.get('Location');
    if (location) session = new URL(location, src.url);
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    return { destroy };
  } catch (err) {
    destroy();
    throw err;
  }
}

const ENGINES = { hls: startHls, flv: startFlv, whep: startWhep } satisfies Record<StreamFormat, unknown>;

/**
 * Plays `src` into `video` until the returned function is called, reporting each change of state. Pure of any
 * component: the caller passes its element and its clock (`now`, `setTimer`), so the backoff is testable.
 */
export function playStream(
  video: HTMLVideoElement,
  src: StreamSource,
  onStatus: (s: StreamStatus) => void,
  clock: { now: () => number; setTimer: (fn: () => void, ms: number) => () => void } = {
    now: () => performance.now(),
    setTimer: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
  },
): () => void {
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  let attempt = 0;
  let engine: Engine | undefined;
  let stopped = false;
  let cancelTimer: (() => void) | undefined;
  let lastTime = -1;
  let lastMove = 0;
  let state: StreamState = 'connecting';

  const report = (s: StreamStatus) => {
    state = s.state;
    onStatus(s);
  };
  const teardown = () => {
    cancelTimer?.();
    cancelTimer = undefined;
    const e = engine;
    engine = undefined;
    try {
      e?.destroy();
    } catch {
      // A player that failed half-way may throw on destroy: it is gone either way.
    }
  };
  const fail = (why: string) => {
    if (stopped || state === 'down') return;
    teardown();
    const delay = retryDelayMs(++attempt);
    report({ state: 'down', retryAt: clock.now() + delay, detail: why });
    cancelTimer = clock.setTimer(start, delay);
  };
  // Playing means the picture moves: `timeupdate` with a later time. A stall watchdog catches a dark camera.
  const onTime = () => {
    if (video.currentTime === lastTime) return;
    lastTime = video.currentTime;
    lastMove = clock.now();
    if (state !== 'playing') {
      attempt = 0;
      cancelTimer?.();
      report({ state: 'playing' });
      watch();
    }
  };
  const watch = () => {
    cancelTimer = clock.setTimer(() => {
      if (stopped || state !== 'playing') return;
      // A recording that played to its end is done, not down; a live stream that ends has lost its camera.
      if (video.ended && src.recording) return;
      if (clock.now() - lastMove >= STALL_TIMEOUT_MS)
        fail(video.ended ? 'the stream ended' : 'stalled: the picture stopped');
      else watch();
    }, STALL_TIMEOUT_MS / 2);
  };
  const onError = () => fail(`media error ${video.error?.code ?? ''}`.trim());
  video.addEventListener('timeupdate', onTime);
  video.addEventListener('error', onError);

  function start() {
    if (stopped) return;
    report({ state: 'connecting' });
    lastTime = -1;
    const begin = ENGINES[src.format];
    cancelTimer = clock.setTimer(() => fail('no picture in time'), START_TIMEOUT_MS);
    begin(video, src, fail).then(
      (e) => {
        if (stopped) e.destroy();
        else {
          engine = e;
          video.play().catch(() => {
            // Autoplay of a muted video is allowed; a refusal here only means no data yet: timeupdate decides.
          });
        }
      },
      (err: unknown) => fail((err as Error).message),
    );
  }
  start();

  return () => {
    stopped = true;
    teardown();
    video.removeEventListener('timeupdate', onTime);
    video.removeEventListener('error', onError);
    video.removeAttribute('src');
    video.load();
  };
}
