import type { Actor, RedisKeys } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';

/** Largest part of a refused command's payload kept in the audit stream. */
export const AUDIT_KEEP_BYTES = 4 * 1024;

export interface RefusedCommand {
  command: string;
  actor: Actor;
  error: string;
  message: string;
  /** The payload as received (JSON, truncated). */
  payload: unknown;
  realAt: number;
  worldAt: number;
}

/**
 * Appends a refused command to the audit stream (`keys.audit`): who asked, what, when, and why it was refused.
 * Accepted commands need no entry here — their log events carry the actor.
 */
export async function auditRefusal(redis: Redis, keys: RedisKeys, r: RefusedCommand, maxLen: number): Promise<void> {
  let payload: string;
  try {
    payload = JSON.stringify(r.payload) ?? String(r.payload);
  } catch {
    payload = String(r.payload);
  }
  if (payload.length > AUDIT_KEEP_BYTES)
    payload = `${payload.slice(0, AUDIT_KEEP_BYTES)}…(${payload.length} characters)`;
  await redis.xAdd(
    keys.audit,
    '*',
    {
      command: r.command.slice(0, 64),
      actor: JSON.stringify(r.actor),
      error: r.error,
      message: r.message,
      payload,
      at: String(r.realAt),
      worldAt: String(r.worldAt),
    },
    { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: maxLen } },
  );
}
