import type { Result } from '@egret/protocol';

/**
 * Errors the screen makes up itself when the hub's answer never came: the command may or may not have been
 * applied, so a retry must carry the same idempotency key (the hub then answers with the first result).
 */
export const NO_ANSWER_ERRORS = ['timeout', 'offline'] as const;
export type NoAnswerError = (typeof NO_ANSWER_ERRORS)[number];

/** Whether the hub answered (a receipt or a refusal), as opposed to no answer arriving at all. */
export function hubAnswered(result: Result<unknown>): boolean {
  return result.ok || !(NO_ANSWER_ERRORS as readonly string[]).includes(result.error);
}

interface Held {
  key: string;
  /** The request the key was made for: the hub refuses a key reused for a different request. */
  fingerprint: string;
}

/**
 * Idempotency keys, one per click intent. An intent is what the commander means to do — "dispatch unit U to case
 * C" — named by the caller (`dispatch:C:U`). Its key is made on the first click and kept while the command is in
 * flight and after an attempt whose answer never came, so a double click or a retry repeats the same key and the
 * hub does it once. Once the hub has answered — a receipt or a refusal — the intent is settled and the next click
 * is a new action with a new key (the hub keeps the first result under a key: reusing it would only repeat an old
 * refusal). A changed request (another reason, another unit) gets a new key too.
 */
export class IntentKeys {
  private readonly held = new Map<string, Held>();

  constructor(private readonly newKey: () => string) {}

  /** The key to send for `intent` with this `payload` (the payload without its key). */
  keyFor(intent: string, payload: unknown): string {
    const fingerprint = stableJson(payload);
    const held = this.held.get(intent);
    if (held && held.fingerprint === fingerprint) return held.key;
    const key = this.newKey();
    this.held.set(intent, { key, fingerprint });
    return key;
  }

  /** Records how an attempt ended: forget the key once the hub has answered, keep it when no answer came. */
  settle(intent: string, result: Result<unknown>): void {
    if (hubAnswered(result)) this.held.delete(intent);
  }

  /** Whether a key is held for `intent` (an attempt is in flight or went unanswered). */
  holds(intent: string): boolean {
    return this.held.has(intent);
  }
}

/** JSON with object keys sorted, so two equal payloads give one fingerprint whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** A fresh idempotency key: a UUID where the browser has one (secure contexts), else 128 random bits in hex. */
export function randomKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
