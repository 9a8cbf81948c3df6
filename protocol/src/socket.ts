import type { CandidatesRequest, CommandName, CommandOf, ReceiptOf } from './commands.ts';
import type { LogEvent } from './events.ts';
import type { KpiReport } from './kpi.ts';
import type { SquadCandidate } from './rank-squads.ts';
import type { Result } from './result.ts';
import type { WorldSnapshot } from './state.ts';

/**
 * Bumped on any incompatible change to the wire; a screen on another version reloads itself. 2: position frames of
 * version 3 (frame.ts), which a display of version 1 cannot decode — without the bump a wall open since before the
 * hubs' upgrade would keep its link live and its units frozen.
 */
export const PROTOCOL_VERSION = 2;

/**
 * The oldest hub protocol a screen of {@link PROTOCOL_VERSION} still works with: raise it to the new version when a
 * bump leaves nothing an older hub sends readable. Protocol 2 only added position frames of version 3 and a screen
 * of 2 still decodes version 2's, so it stays with a hub of 1: during a rolling upgrade behind one address a reload
 * there would fetch the old hub's bundle, which reloads again on meeting a new hub — a screen going back and forth
 * for as long as the upgrade lasts. Only a newer hub makes a screen reload, so each screen moves forward once.
 */
export const OLDEST_HUB_PROTOCOL = 1;

/** Whether a screen of this version reads a hub that says `protocol` (hub:hello, /api/config); false: reload. */
export function readsHubProtocol(protocol: unknown): boolean {
  return (
    typeof protocol === 'number' &&
    Number.isInteger(protocol) &&
    protocol >= OLDEST_HUB_PROTOCOL &&
    protocol <= PROTOCOL_VERSION
  );
}

/**
 * What a screen sends in the Socket.IO handshake (`io(url, { auth })`): the last log seq it applied, so the hub
 * sends exactly what it missed, or a fresh snapshot when that part of the log has been trimmed.
 */
export interface HandshakeAuth {
  lastSeq?: number;
  protocol?: number;
  /**
   * `'positions'`: this connection carries position frames only (a page's Web Worker opens it so the socket's
   * messages are received off the page's main thread): `hub:hello`, a keyframe and then the frames; no snapshot, no
   * log events, no KPI reports, and `log:range` is refused. Additive: a hub that predates it treats the connection
   * as a whole screen (it also gets a snapshot and the log, which the worker ignores).
   */
  stream?: 'positions';
  /**
   * `false`: this (main) connection wants no position frames, because another connection of the same page carries
   * them (`stream: 'positions'`). It still gets them once it asks with `units:keyframe` (the page's fallback when its
   * worker dies). A hub that predates it sends frames anyway; the page applies them as well (harmless).
   */
  positions?: false;
}

/** Whether a handshake asks for the position frames only (`stream: 'positions'`). */
export function positionsStreamOnly(auth: unknown): boolean {
  return (auth as HandshakeAuth | undefined)?.stream === 'positions';
}

/** Whether a handshake asks for no position frames on this connection (`positions: false`). */
export function positionsElsewhere(auth: unknown): boolean {
  return (auth as HandshakeAuth | undefined)?.positions === false;
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
  /**
   * The KPI table (kpi.ts) at the world time `report.at`: once right after the snapshot or catch-up, then at most
   * every 2 s while cases change and every 30 s regardless (超期 grows with time alone).
   */
  'kpi:report': (report: KpiReport) => void;
}

/**
 * One event per command (commands.ts), derived from the command list so a command added there is typed here too:
 * each is acknowledged with its receipt or a tagged refusal (`COMMAND_ERRORS`).
 */
export type CommandEvents = {
  [N in CommandName]: (cmd: CommandOf<N>, ack: (res: Result<ReceiptOf<N>>) => void) => void;
};

export interface ClientToServerEvents extends CommandEvents {
  /** Ask for the log range (afterSeq, toSeq]; answered with the events, or an error if it has been trimmed. */
  'log:range': (req: { afterSeq: number; toSeq: number }, ack: (res: Result<LogEvent[]>) => void) => void;
  /**
   * Ask for a keyframe of all unit positions (after a skipped tick); from a connection that asked for none
   * (`positions: false`), the frames from now on too.
   */
  'units:keyframe': () => void;
  /** No more position frames on this connection: the page's worker has them again on its own. */
  'units:elsewhere': () => void;
  /** The squads best placed to take a case, best first (at most 10), each with its units and the reasons. */
  'case:candidates': (req: CandidatesRequest, ack: (res: Result<SquadCandidate[]>) => void) => void;
}
