import { COMMAND_NAMES, type ClientToServerEvents, type Result, type SquadCandidate } from '@egret/protocol';
import type pino from 'pino';
import type { CommandGate } from '../auth/index.ts';
import { socketActor } from '../commands/actor.ts';
import type { Commands } from '../commands/execute.ts';
import type { EgretIo, EgretSocket } from './types.ts';

export interface SocketCommandsOptions {
  io: EgretIo;
  commands: Commands;
  candidates(req: unknown): Promise<Result<SquadCandidate[]>>;
  logger: pino.Logger;
  /**
   * Whether this screen may run the command (or ask for candidates), and as whom (server/src/auth): its session
   * again, its role, its rate. Absent: everyone may, as the `auth.user` of its handshake (open mode).
   */
  gate?(socket: EgretSocket, name: string, payload: unknown): Promise<CommandGate>;
}

type Ack = (res: Result<unknown>) => void;

/** The events a screen may send (protocol `ClientToServerEvents`); any other is answered `unknown_command`. */
const KNOWN_EVENTS: ReadonlySet<string> = new Set<string>([
  ...COMMAND_NAMES,
  ...(['case:candidates', 'log:range', 'units:keyframe', 'units:elsewhere'] as const satisfies ReadonlyArray<
    keyof ClientToServerEvents
  >),
]);

/**
 * The commands over Socket.IO: one event per command (`case:dispatch`, …, see `COMMANDS`), each answered through
 * its acknowledgement with the receipt or a tagged refusal; and `case:candidates`. The actor and the permission
 * come from the gate (the authenticated screen), or in open mode from the handshake (`commandActor`). A command
 * sent without an acknowledgement is still carried out.
 */
export function attachCommands(o: SocketCommandsOptions): void {
  o.io.on('connection', (socket) => {
    const claimed = socketActor(socket.handshake.auth);
    const gate = (name: string, payload: unknown): Promise<CommandGate> =>
      o.gate?.(socket, name, payload) ?? Promise.resolve({ ok: true, actor: claimed });
    for (const name of COMMAND_NAMES) {
      socket.on(name, (payload, ack) => {
        void gate(name, payload)
          .then((g) => {
            if (g.ok) return o.commands.execute(name, payload, g.actor);
            return g.audit
              ? o.commands.refuse(name, payload, g.actor, g.error, g.message)
              : { ok: false as const, error: g.error, message: g.message };
          })
          .then(
            (res) => {
              ack?.(res);
            },
            (err: Error) => {
              o.logger.error({ err, command: name }, 'command gate failed');
              ack?.({
                ok: false,
                error: 'unavailable',
                message: 'the hub cannot check this command right now; nothing was written, try again',
              });
            },
          );
      });
    }
    // Any other event: a command the hub does not know. One that asks for an acknowledgement gets the refusal every
    // command gets (`unknown_command`), through the same gate (session, rate) and audit; it never hangs unanswered.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event !== 'string' || KNOWN_EVENTS.has(event)) return;
      const ack = args.at(-1);
      const payload = typeof ack === 'function' ? args.slice(0, -1)[0] : args[0];
      void gate(event, payload)
        .then((g) =>
          g.ok
            ? o.commands.execute(event, payload, g.actor)
            : { ok: false as const, error: g.error, message: g.message },
        )
        .then(
          (res) => {
            if (typeof ack === 'function') (ack as Ack)(res);
          },
          (err: Error) => {
            o.logger.error({ err, event }, 'unknown socket event: the gate failed');
            if (typeof ack === 'function')
              (ack as Ack)({
                ok: false,
                error: 'unavailable',
                message: 'the hub cannot check this request right now; nothing was written, try again',
              });
          },
        );
    });
    socket.on('case:candidates', (req, ack) => {
      if (typeof ack !== 'function') return;
      gate('case:candidates', req)
        .then((g) => (g.ok ? o.candidates(req) : { ok: false as const, error: g.error, message: g.message }))
        .then(ack, (err: Error) => {
          o.logger.error({ err }, 'case:candidates failed');
          ack({ ok: false, error: 'internal', message: `case:candidates failed in the hub: ${err.message}` });
        });
    });
  });
}
