/** Tagged results: what every acknowledged request, command and pure decider answers. */

/**
 * Why a request was refused: a short machine-readable code (`COMMAND_ERRORS` for commands, `illegal_transition`,
 * `unit_busy` …) and a message for people that names the entities involved. The failing branch of every `Result`:
 * acks, command answers over HTTP, and the pure deciders of the case loop.
 */
export interface Refusal<E extends string = string> {
  ok: false;
  error: E;
  message: string;
}

/** A tagged result for every acknowledged request. */
export type Result<T = undefined> = { ok: true; data: T } | Refusal;

/** A refusal with code `error`. */
export function refuse<E extends string>(error: E, message: string): Refusal<E> {
  return { ok: false, error, message };
}
