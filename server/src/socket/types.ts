import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@egret/protocol';

/** The hub's Socket.IO server, typed by the protocol's event maps (declared once, in `@egret/protocol`). */
export type EgretIo = Server<ClientToServerEvents, ServerToClientEvents>;

/** One connected screen. */
export type EgretSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
