import type { CommandName, CommandOf, ReceiptOf, Result, SquadCandidate } from '@egret/protocol';
import type { HubSocket } from './hub-client.ts';

/** How long the console waits for a command's answer before it reports `timeout` (a retry is safe: same key). */
export const COMMAND_TIMEOUT_MS = 10_000;

/** What the console needs from the hub to act: send a command, ask for candidates. */
export interface CommandTransport {
  send<N extends CommandName>(name: N, command: CommandOf<N>): Promise<Result<ReceiptOf<N>>>;
  candidates(caseId: string): Promise<Result<SquadCandidate[]>>;
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
        if (err) resolve({ ok: false, error: 'timeout', message: `no answer from the hub within ${timeoutMs / 1000} s` });
        else resolve(res);
      });
    });
  };
  return {
    send(name, command) {
      // The event map types each command's payload and ack; the generic name needs one widening cast here.
      const emitter = socket.timeout(timeoutMs) as unknown as {
        emit(ev: string, payload: unknown, ack: (err: Error | null, res: Result<never>) => void): void;
      };
      return ask((ack) => emitter.emit(name, command, ack));
    },
    candidates(caseId) {
      return ask((ack) => socket.timeout(timeoutMs).emit('case:candidates', { caseId }, ack));
    },
  };
}
