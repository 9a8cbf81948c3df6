import type { CandidatesRequest, CommandOf, ReceiptOf } from './commands.ts';
import type { LogEvent } from './events.ts';
import type { KpiReport } from './kpi.ts';
import type { SquadCandidate } from './rank-squads.ts';
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
  /**
   * The KPI table (kpi.ts) at the world time `report.at`: once right after the snapshot or catch-up, then at most
   * every 2 s while cases change and every 30 s regardless (超期 grows with time alone).
   */
  'kpi:report': (report: KpiReport) => void;
}

export interface ClientToServerEvents {
  /** Ask for the log range (afterSeq, toSeq]; answered with the events, or an error if it has been trimmed. */
  'log:range': (req: { afterSeq: number; toSeq: number }, ack: (res: Result<LogEvent[]>) => void) => void;
  /** Ask for a keyframe of all unit positions (after a skipped tick). */
  'units:keyframe': () => void;
  /** Commands (commands.ts): each acknowledged with its receipt or a tagged refusal (`COMMAND_ERRORS`). */
  'case:dispatch': (cmd: CommandOf<'case:dispatch'>, ack: (res: Result<ReceiptOf<'case:dispatch'>>) => void) => void;
  'task:recall': (cmd: CommandOf<'task:recall'>, ack: (res: Result<ReceiptOf<'task:recall'>>) => void) => void;
  'case:reassign': (cmd: CommandOf<'case:reassign'>, ack: (res: Result<ReceiptOf<'case:reassign'>>) => void) => void;
  'case:transition': (cmd: CommandOf<'case:transition'>, ack: (res: Result<ReceiptOf<'case:transition'>>) => void) => void;
  'case:extend': (cmd: CommandOf<'case:extend'>, ack: (res: Result<ReceiptOf<'case:extend'>>) => void) => void;
  'case:supervise': (cmd: CommandOf<'case:supervise'>, ack: (res: Result<ReceiptOf<'case:supervise'>>) => void) => void;
  'mode:set': (cmd: CommandOf<'mode:set'>, ack: (res: Result<ReceiptOf<'mode:set'>>) => void) => void;
  /** The squads best placed to take a case, best first (at most 10), each with its units and the reasons. */
  'case:candidates': (req: CandidatesRequest, ack: (res: Result<SquadCandidate[]>) => void) => void;
}
