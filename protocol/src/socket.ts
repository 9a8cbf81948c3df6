import type { LogEvent } from './events.ts';
import type { WorldSnapshot } from './state.ts';

/** Bumped on any incompatible change to the wire; a screen on another version reloads itself. */
export const PROTOCOL_VERSION = 1;

/** A tagged result for every acknowledged request. */
export type Result<T = undefined> = { ok: true; data: T } | { ok: false; error: string; message: string };

/**
 * What a screen sends in the Socket.IO handshake (`io(url, { auth })`): the last log seq it applied, so the hub
 * sends exactly what it missed, or a fresh snapshot when that part of the log has been trimmed.
 */
export interface HandshakeAuth {
  lastSeq?: number;
  protocol?: number;
}

export interface HubHello {
  protocol: number;
  hubId: string;
  city: string;
}

export interface ServerToClientEvents {
  'hub:hello': (hello: HubHello) => void;
  /** The world at one log seq: the first data message after every (re)connect unless the screen resumed. */
  'wall:snapshot': (snapshot: WorldSnapshot) => void;
  /** Log events in seq order, each carrying its seq; consecutive with what the screen already has. */
  'log:events': (events: LogEvent[]) => void;
  /** A binary position frame (see frame.ts); volatile. */
  'units:frame': (frame: ArrayBuffer | Uint8Array) => void;
}

export interface ClientToServerEvents {
  /** Ask for the log range (afterSeq, toSeq]; answered with the events, or an error if it has been trimmed. */
  'log:range': (req: { afterSeq: number; toSeq: number }, ack: (res: Result<LogEvent[]>) => void) => void;
  /** Ask for a keyframe of all unit positions (after a skipped tick). */
  'units:keyframe': () => void;
}
