import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { CommandName, CommandOf, ReceiptOf, Result } from '@egret/protocol';
import type { CommandTransport } from '../net/commands.ts';
import { IntentKeys, randomKey } from './commands.ts';

/** A refusal or a missing answer, as the console shows it. */
export interface CommandFailure {
  error: string;
  message: string;
}

/** A command without its key: the desk adds the key of the intent. */
export type CommandPayload<N extends CommandName> = Omit<CommandOf<N>, 'idempotencyKey'>;

/**
 * The console's commands: each click intent gets one idempotency key (see `IntentKeys`), a button shows itself
 * busy while its intent is in flight, and the last refusal of each intent stays on screen until it is tried again.
 * A second click while the first is in flight sends nothing more: it waits for the same answer.
 */
export class CommandDesk {
  /** Intents in flight. */
  readonly pending = new SvelteSet<string>();
  /** The latest failure of each intent (cleared when it is tried again or succeeds). */
  readonly failures = new SvelteMap<string, CommandFailure>();
  /** The most recent failure of any intent, with what was asked: the console shows it in one clear place. */
  latest = $state.raw<{
    intent: string;
    name: CommandName;
    payload: Record<string, unknown>;
    failure: CommandFailure;
  } | null>(null);
  /** Commands actually emitted (not reactive: for tests and diagnostics). */
  sent = 0;
  private readonly keys: IntentKeys;
  // Bookkeeping of promises, never drawn: a plain map on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly inFlight = new Map<string, Promise<Result<unknown>>>();

  constructor(
    private readonly transport: CommandTransport,
    newKey: () => string = randomKey,
  ) {
    this.keys = new IntentKeys(newKey);
  }

  /** Sends `name` for `intent` unless that intent is already in flight, in which case it shares that answer. */
  run<N extends CommandName>(intent: string, name: N, payload: CommandPayload<N>): Promise<Result<ReceiptOf<N>>> {
    const running = this.inFlight.get(intent);
    if (running) return running as Promise<Result<ReceiptOf<N>>>;
    const idempotencyKey = this.keys.keyFor(intent, { name, payload });
    this.pending.add(intent);
    this.failures.delete(intent);
    this.sent++;
    const attempt = this.transport
      .send(name, { ...payload, idempotencyKey } as CommandOf<N>)
      .catch((err: unknown): Result<ReceiptOf<N>> => ({ ok: false, error: 'internal', message: String(err) }))
      .then((result) => {
        this.keys.settle(intent, result);
        this.inFlight.delete(intent);
        this.pending.delete(intent);
        if (!result.ok) {
          const failure = { error: result.error, message: result.message };
          this.failures.set(intent, failure);
          this.latest = { intent, name, payload: { ...payload }, failure };
        } else this.latest = null; // a step that went through supersedes an older refusal
        return result;
      });
    this.inFlight.set(intent, attempt);
    return attempt;
  }

  busy(intent: string): boolean {
    return this.pending.has(intent);
  }

  failure(intent: string): CommandFailure | undefined {
    return this.failures.get(intent);
  }

  /** Forgets shown failures (another case was selected). */
  clearFailures(): void {
    this.failures.clear();
    this.latest = null;
  }
}

/** Intent names: one per thing a commander can mean to do, so a double click is recognised as the same intent. */
export const intents = {
  dispatch: (caseId: string, unitId: string) => `dispatch:${caseId}:${unitId}`,
  reassign: (caseId: string, unitId: string) => `reassign:${caseId}:${unitId}`,
  recall: (taskId: string) => `recall:${taskId}`,
  transition: (caseId: string, action: string) => `transition:${caseId}:${action}`,
  extend: (caseId: string) => `extend:${caseId}`,
  supervise: (caseId: string) => `supervise:${caseId}`,
  /** 推屏 (a case on the walls) or, with null, the walls back to the overview. */
  focus: (caseId: string | null) => `focus:${caseId ?? 'overview'}`,
  /** 推屏 of the console's view (an extent). */
  focusView: () => 'focus:view',
  /** The walls' layers (one switch at a time). */
  layers: () => 'layers',
} as const;
