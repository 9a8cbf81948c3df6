import { io, type Socket } from 'socket.io-client';
import {
  decodeFrame,
  PROTOCOL_VERSION,
  readsHubProtocol,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerToClientEvents,
} from '@egret/protocol';
import type { KpiStore } from '../state/kpi.svelte.ts';
import type { LinkStore } from '../state/link.svelte.ts';
import type { UnitsStore } from '../state/units.svelte.ts';
import type { WorldStore } from '../state/world.svelte.ts';
import { REFUSAL_RETRY_MS, refusedForNow } from './refusal.ts';
import { FrameFollower } from './frame-follower.ts';
import type { FollowOutcome } from './log-follower.ts';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a `log:range` request may take before the screen gives up and takes a snapshot. */
export const RANGE_TIMEOUT_MS = 10_000;

export interface HubClientDeps {
  world: WorldStore;
  units: UnitsStore;
  link: LinkStore;
  /** Where the hub's KPI reports go (`kpi:report`). */
  kpi?: KpiStore;
  /** The hub's origin; the page's own by default (the hub serves the display). */
  url?: string;
  realNow?: () => number;
  /** The hub speaks a protocol this display does not read (a newer one): the page must reload to get a matching display. */
  onProtocolMismatch?: () => void;
  /**
   * The hub refused this screen's credentials (`connect_error` "unauthenticated: …" or "forbidden: …"): the page
   * shows the login page. Answers true when it took the refusal as such (the socket then stops retrying).
   */
  onAuthRefused?: (message: string) => boolean;
  /**
   * Whether the position frames come on another socket (the page's worker: net/positions-link.ts): while so, the
   * handshake asks the hub for none here (`positions: false`).
   */
  framesElsewhere?: () => boolean;
}

/**
 * The screen's main socket to the hub: resume from the last applied seq on every reconnect (the handshake is a
 * callback, so each attempt sends the current seq), follow the numbered log, fetch missing ranges, and fall back
 * to a fresh snapshot when the log cannot fill a gap. Position frames that come here (`?positions=main`, no worker,
 * a hub that predates the worker's stream) go to the units store; skipped ticks ask for a keyframe.
 */
export function connectHub(deps: HubClientDeps): {
  socket: HubSocket;
  takeFrames(): void;
  giveFrames(): void;
  close(): void;
} {
  const { world, units, link } = deps;
  const now = deps.realNow ?? Date.now;
  const frames = new FrameFollower();
  /** Whether frames that come here are applied: not once the worker has them again (`giveFrames`). */
  let framesHere = true;
  let wantSnapshot = false;
  /** Bumped by every snapshot: a range answer for an older world is dropped. */
  let generation = 0;

  const handshake = (): HandshakeAuth => ({
    protocol: PROTOCOL_VERSION,
    ...(world.synced && !wantSnapshot ? { lastSeq: world.seq } : {}),
    ...(deps.framesElsewhere?.() ? { positions: false as const } : {}),
  });

  const socket: HubSocket = io(deps.url ?? '', {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    auth: (cb) => cb({ ...handshake() }),
  });

  const resnapshot = () => {
    wantSnapshot = true;
    link.reconnects++;
    socket.disconnect();
    socket.connect();
  };

  const follow = (outcome: FollowOutcome): void => {
    if (outcome.resnapshot) return resnapshot();
    if (!outcome.fetch) return;
    const asked = generation;
    socket.timeout(RANGE_TIMEOUT_MS).emit('log:range', outcome.fetch, (err, res) => {
      if (asked !== generation) return;
      if (err || !res.ok) return follow(world.rangeFailed());
      link.touch(now());
      follow(world.receiveRange(res.data));
    });
  };

  socket.on('connect', () => {
    link.connected = true;
    frames.reset();
  });
  // The session cookie goes with the handshake by itself (same origin); a refusal is for the login page to answer.
  let closed = false;
  socket.on('connect_error', (err) => {
    if (deps.onAuthRefused?.(err.message)) socket.disconnect();
    else if (!socket.active && refusedForNow(err.message))
      setTimeout(() => {
        if (!closed && !socket.active) socket.connect();
      }, REFUSAL_RETRY_MS);
  });
  socket.on('disconnect', (reason) => {
    link.connected = false;
    // The hub dropped us on purpose (a stalled screen): come back; the handshake resumes from our seq.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('hub:hello', (hello) => {
    link.hubId = hello.hubId;
    if (!readsHubProtocol(hello.protocol)) deps.onProtocolMismatch?.();
  });
  socket.on('wall:snapshot', (snapshot) => {
    generation++;
    wantSnapshot = false;
    world.replace(snapshot);
    link.touch(now());
  });
  socket.on('log:events', (events) => {
    link.touch(now());
    follow(world.receive(events));
  });
  socket.on('kpi:report', (report) => {
    link.touch(now());
    deps.kpi?.receive(report);
  });
  socket.on('units:frame', (bytes) => {
    if (!framesHere) return; // sent before the hub read our `units:elsewhere`: the worker has them too
    let frame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      units.badFrames++;
      return;
    }
    link.touch(now());
    link.lastFrameAt = now();
    link.framesOnMain++;
    const decision = frames.receive(frame);
    units.applyFrame(frame, now());
    if (decision.askKeyframe) socket.emit('units:keyframe');
  });

  return {
    socket,
    // The worker is gone: frames come here from now on (a keyframe, then the ticks; reconnects no longer refuse them).
    takeFrames: () => {
      framesHere = true;
      frames.reset();
      if (socket.connected) socket.emit('units:keyframe');
    },
    // A new worker has them again: the hub is to send none here (a reconnect's handshake says so by itself).
    giveFrames: () => {
      framesHere = false;
      if (socket.connected) socket.emit('units:elsewhere');
    },
    close: () => {
      closed = true;
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
