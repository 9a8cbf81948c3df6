import { implausibleJump, type Fix, type RedisKeys } from '@egret/protocol';
import type { Principal } from '../auth/permissions.ts';
import { decodeStoredFix } from '../positions/stored-fix.ts';
import type { Redis } from '../redis/connect.ts';

export interface DeviceFixesOptions {
  redis: Redis;
  keys: RedisKeys;
  worldNow: () => number;
  realNow: () => number;
}

/** What becomes of a batch of fixes: sent on (restamped), or refused with the reason. */
export type VettedFixes = { ok: true; fixes: Fix[] } | { ok: false; reason: 'implausible_jump'; detail: string };

/**
 * Fixes from a phone (a field device, issue #16) before they reach the positions stream. A phone stamps its fixes
 * with its own clock (real time): each is restamped in world time at the same age (`worldNow − (realNow − at)`), so
 * a unit on a terminal moves on the wall in a drill whose world clock runs elsewhere, as in real life (where the two
 * are equal). Then each fix must follow the one before — the batch's previous one, or the unit's last accepted fix
 * in Redis — at a speed a unit reaches (`implausibleJump`): a fix far from the last one in no time is a bad fix or a
 * spoofed one, refused `implausible_jump` (the whole batch: the phone keeps its fixes and says why). Fixes of other
 * callers (GPS gateways, the simulator) pass unchanged.
 */
export function deviceFixes(o: DeviceFixesOptions) {
  return async (p: Principal | undefined, fixes: readonly Fix[]): Promise<VettedFixes> => {
    if (!p || p.kind !== 'device') return { ok: true, fixes: [...fixes] };
    const realNow = o.realNow();
    const worldNow = o.worldNow();
    const restamped = fixes.map((f) => ({ ...f, at: Math.max(0, Math.round(worldNow - Math.max(0, realNow - f.at))) }));
    const units = [...new Set(restamped.map((f) => f.unitId))];
    const stored = units.length ? await o.redis.hmGet(o.keys.positions, units) : [];
    const last = new Map<string, { position: [number, number]; at: number }>();
    units.forEach((u, i) => {
      const s = decodeStoredFix(stored[i]);
      if (s) last.set(u, { position: [s.lon, s.lat], at: s.at });
    });
    for (const [i, f] of restamped.entries()) {
      const next = { position: [f.lon, f.lat] as [number, number], at: f.at };
      const prev = last.get(f.unitId);
      const why = prev ? implausibleJump(prev, next) : undefined;
      if (why) return { ok: false, reason: 'implausible_jump', detail: `fixes[${i}]: ${why}` };
      last.set(f.unitId, next);
    }
    return { ok: true, fixes: restamped };
  };
}
