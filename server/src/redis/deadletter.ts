import type { RedisKeys } from '@egret/protocol';
import type { Redis } from './connect.ts';

/** Largest part of a rejected entry kept in the dead-letter stream: 8 KiB of UTF-8. */
export const DEADLETTER_KEEP_BYTES = 8 * 1024;

/** The longest start of `text` that is at most `max` bytes of UTF-8, cut between characters (never inside one). */
export function keepBytes(text: string, max: number): string {
  // At most 3 bytes per UTF-16 unit (4 per surrogate pair): a short enough string needs no counting.
  if (text.length * 3 <= max) return text;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.codePointAt(i)!;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + size > max) break;
    bytes += size;
    i += c >= 0x10000 ? 2 : 1;
  }
  return text.slice(0, i);
}

export interface Rejection {
  /** Where it came from: an input stream key, `http:/api/ingest/events`, `socket:<event>` … */
  source: string;
  /** The input stream entry id, when there is one. */
  entryId?: string;
  /** Short machine-readable class, e.g. `invalid_json`, `schema`, `unknown_category`, `far_future`, `oversized`. */
  reason: string;
  /** Human-readable detail naming the bad field. */
  detail: string;
  /** The raw input as received (truncated). */
  data: string;
}

/**
 * Keeps a rejected input with its reason, and counts it by reason in Redis (the count survives hub restarts;
 * each hub also counts in its own /metrics). Returns the commands so a caller can add them to a MULTI that also
 * acknowledges the input entry.
 */
export function deadLetterCommands(keys: RedisKeys, r: Rejection, maxLen: number, at: number) {
  const head = keepBytes(r.data, DEADLETTER_KEEP_BYTES);
  const data = head.length < r.data.length ? `${head}…(${Buffer.byteLength(r.data)} bytes)` : r.data;
  return {
    xadd: [
      keys.deadletter,
      { source: r.source, entryId: r.entryId ?? '', reason: r.reason, detail: r.detail, data, at: String(at) },
      maxLen,
    ] as const,
    hincrby: [keys.deadletterCounts, r.reason, 1] as const,
  };
}

/** Dead-letters one rejection on its own (no input entry to acknowledge with it). */
export async function deadLetter(
  redis: Redis,
  keys: RedisKeys,
  r: Rejection,
  maxLen: number,
  at: number,
): Promise<void> {
  const c = deadLetterCommands(keys, r, maxLen, at);
  await redis
    .multi()
    .xAdd(c.xadd[0], '*', c.xadd[1], { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: c.xadd[2] } })
    .hIncrBy(...c.hincrby)
    .exec();
}
