import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, CommandName, Result, ServerToClientEvents } from '@egret/protocol';

/** Requests the hub parses with their schema before it trusts them: the commands and `case:candidates`. */
type Checked = CommandName | 'case:candidates';

/**
 * The protocol's client→server events as the hub hears them (derived from the command list, so a new command is
 * heard too): a command's payload is whatever the screen sent until its schema has parsed it (`unknown`), and its
 * ack is there only if the screen asked for one. Every command has the one listener type, so the hub attaches them
 * all in one loop over `COMMAND_NAMES`, with no cast.
 */
export type HeardEvents = Omit<ClientToServerEvents, Checked> & {
  [N in Checked]: (payload: unknown, ack?: (res: Result<unknown>) => void) => void;
};

/** The hub's Socket.IO server, typed by the protocol's event maps (declared once, in `@egret/protocol`). */
export type EgretIo = Server<HeardEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What the hub notes on a connection. */
export interface SocketData {
  /** A page's positions-only connection (`stream: 'positions'`): not counted as a screen of its own. */
  positionsStream?: boolean;
}

/** One connected screen. */
export type EgretSocket = Socket<HeardEvents, ServerToClientEvents, Record<string, never>, SocketData>;
