import { COMMAND_NAMES, type Result, type SquadCandidate } from '@egret/protocol';
import type pino from 'pino';
import { socketActor } from '../commands/actor.ts';
import type { Commands } from '../commands/execute.ts';
import type { EgretIo } from './types.ts';

export interface SocketCommandsOptions {
  io: EgretIo;
  commands: Commands;
  candidates(req: unknown): Promise<Result<SquadCandidate[]>>;
  logger: pino.Logger;
}

type Ack = (res: Result<unknown>) => void;

/**
 * The commands over Socket.IO: one event per command (`case:dispatch`, …, see `COMMANDS`), each answered through
 * its acknowledgement with the receipt or a tagged refusal; and `case:candidates`. The actor comes from the
 * handshake (`commandActor`). A command sent without an acknowledgement is still carried out.
 */
export function attachCommands(o: SocketCommandsOptions): void {
  o.io.on('connection', (socket) => {
    const actor = socketActor(socket.handshake.auth);
    // The typed map cannot express "any of these names" in one call: the payload is checked by its schema anyway.
    const on = socket.on.bind(socket) as unknown as (event: string, handler: (payload: unknown, ack?: unknown) => void) => void;
    for (const name of COMMAND_NAMES) {
      on(name, (payload, ack) => {
        void o.commands.execute(name, payload, actor).then((res) => {
          if (typeof ack === 'function') (ack as Ack)(res);
        });
      });
    }
    on('case:candidates', (req, ack) => {
      if (typeof ack !== 'function') return;
      o.candidates(req).then(ack as Ack, (err: Error) => {
        o.logger.error({ err }, 'case:candidates failed');
        (ack as Ack)({ ok: false, error: 'internal', message: `case:candidates failed in the hub: ${err.message}` });
      });
    });
  });
}
