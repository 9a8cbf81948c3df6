import type { CommandName, CommandOf, ReceiptOf, Result, SquadCandidate } from '@egret/protocol';
import type { HubSocket } from './hub-client.ts';

/** How long the console waits for a command's answer before it reports `timeout` (a retry is safe: same key). */
export const COMMAND_TIMEOUT_MS = 10_000;

/** What the console needs from the hub to act: send a command, ask for candidates. */
export interface CommandTransport {
  send<N extends CommandName>(name: N, command: CommandOf<N>): Promise<Result<ReceiptOf<N>>>;
  candidates(caseId: string): Promise<Result<SquadCandidate[]>>;
}

/** Sends command `N` and hands its answer, or the timeout's error, to `ack`. */
type Emit<N extends CommandName> = (
  command: CommandOf<N>,
  ack: (err: Error | null, res: Result<ReceiptOf<N>>) => void,
) => void;

/**
 * One emit per command, each typed by the protocol's event map. Socket.IO's types cannot follow an event name that
 * is a type parameter, so the names are spelt out here, once; the mapped type makes a command added to the
 * protocol's list fail to compile until it has its line.
 */
function commandEmitters(socket: HubSocket, timeoutMs: number): { [N in CommandName]: Emit<N> } {
  const timed = () => socket.timeout(timeoutMs);
  return {
    'case:dispatch': (c, ack) => timed().emit('case:dispatch', c, ack),
    'task:recall': (c, ack) => timed().emit('task:recall', c, ack),
    'case:reassign': (c, ack) => timed().emit('case:reassign', c, ack),
    'case:transition': (c, ack) => timed().emit('case:transition', c, ack),
    'case:extend': (c, ack) => timed().emit('case:extend', c, ack),
    'case:supervise': (c, ack) => timed().emit('case:supervise', c, ack),
    'mode:set': (c, ack) => timed().emit('mode:set', c, ack),
    'wall:focus': (c, ack) => timed().emit('wall:focus', c, ack),
    'wall:layers': (c, ack) => timed().emit('wall:layers', c, ack),
    'wall:video': (c, ack) => timed().emit('wall:video', c, ack),
    'plan:activate': (c, ack) => timed().emit('plan:activate', c, ack),
    'plan:end': (c, ack) => timed().emit('plan:end', c, ack),
    'plan:supervise': (c, ack) => timed().emit('plan:supervise', c, ack),
  };
}

/**
 * Commands over the screen's socket, acknowledged by the hub. No answer within the timeout reads as
 * `{ ok: false, error: 'timeout' }`, and a socket that is down as `offline` (nothing is queued for later: a
 * dispatch sent minutes after the click would surprise everyone).
 */
export function socketTransport(socket: HubSocket, timeoutMs = COMMAND_TIMEOUT_MS): CommandTransport {
  const ask = <T>(emit: (ack: (err: Error | null, res: Result<T>) => void) => void): Promise<Result<T>> => {
    if (!socket.connected) {
      return Promise.resolve({ ok: false, error: 'offline', message: 'not connected to the hub' });
    }
    return new Promise((resolve) => {
      emit((err, res) => {
        if (err)
          resolve({ ok: false, error: 'timeout', message: `no answer from the hub within ${timeoutMs / 1000} s` });
        else resolve(res);
      });
    });
  };
  const emitters = commandEmitters(socket, timeoutMs);
  return {
    send(name, command) {
      const emit = emitters[name];
      return ask((ack) => emit(command, ack));
    },
    candidates(caseId) {
      return ask((ack) => socket.timeout(timeoutMs).emit('case:candidates', { caseId }, ack));
    },
  };
}
