import { redisKeys } from '@egret/protocol';
import { caseIdSerial } from '../scenario/case-maker.ts';
import type { Redis } from './connect.ts';

/**
 * The last case serial used per `<prefix>-<YYYYMMDD>`, read from the tail of `in:events`, so a simulator restarted
 * on the same day continues the numbering instead of reusing case numbers (the hub would take a reused number for
 * a retry of the old case and refuse it as a duplicate).
 */
export async function lastCaseSerials(client: Redis, ns: string, scan = 5_000): Promise<Map<string, number>> {
  const entries = await client.xRevRange(redisKeys(ns).inEvents, '+', '-', { COUNT: scan });
  const last = new Map<string, number>();
  for (const e of entries ?? []) {
    const data = e?.message.data;
    if (typeof data !== 'string' || !data.includes('"case.report"')) continue;
    let caseId: unknown;
    try {
      caseId = (JSON.parse(data) as { caseId?: unknown }).caseId;
    } catch {
      continue; // someone else's bad entry: the hub dead-letters it; it has no serial for us
    }
    const parsed = typeof caseId === 'string' ? caseIdSerial(caseId) : undefined;
    if (parsed && parsed[1] > (last.get(parsed[0]) ?? 0)) last.set(parsed[0], parsed[1]);
  }
  return last;
}
