import { randomInt } from 'node:crypto';
import { FIELD_PAIRING_TTL_MS, FieldPairingCode, type RedisKeys } from '@egret/protocol';
import type { AccountStore } from '../auth/accounts.ts';
import { sha256 } from '../auth/tokens.ts';
import type { Redis } from '../redis/connect.ts';
import { LuaScript } from '../redis/script.ts';

/** Crockford base32: no I, L, O or U, so a code read aloud or typed is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new pairing code: 10 characters, 50 bits from the system's CSPRNG. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** A field pairing waiting to be used, as kept under SHA-256 of its code. */
interface FieldPairing {
  unitId: string;
  /** Who made it (a dispatcher), for the record. */
  by: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Takes a pairing once: HGET + HDEL in one step, and drops the unit's other waiting codes (a unit has at most one).
 * KEYS[1] the pairings hash; ARGV[1] the code's hash. Answers the pairing's JSON, or nil.
 */
const TAKE = new LuaScript(`
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return nil end
redis.call('HDEL', KEYS[1], ARGV[1])
return text
`);

/**
 * One-time pairing codes that bind a phone to a unit (issue #16), like the walls' pairing tokens: made by a dispatcher
 * on the console (`POST /api/field/pairings`), shown as a QR code, traded once by the phone for a device token
 * (`POST /api/field/pair`). Codes are kept only as SHA-256, expire after 10 minutes, and a new code for a unit
 * replaces the one still waiting.
 */
export class FieldPairings {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly accounts: () => AccountStore,
    private readonly now: () => number,
    private readonly ttlMs = FIELD_PAIRING_TTL_MS,
  ) {}

  /** A new code for `unitId` (the unit's waiting code, and expired ones, are dropped). */
  async create(unitId: string, by: string): Promise<{ code: string; expiresAt: number }> {
    const code = newPairingCode();
    const at = this.now();
    const all = await this.redis.hGetAll(this.keys.fieldPairings);
    const stale = Object.entries(all)
      .filter(([, text]) => {
        const p = parse(text);
        return !p || p.unitId === unitId || p.expiresAt <= at;
      })
      .map(([k]) => k);
    const pairing: FieldPairing = { unitId, by, createdAt: at, expiresAt: at + this.ttlMs };
    const multi = this.redis.multi();
    if (stale.length) multi.hDel(this.keys.fieldPairings, stale);
    multi.hSet(this.keys.fieldPairings, sha256(code), JSON.stringify(pairing));
    await multi.exec();
    return { code, expiresAt: pairing.expiresAt };
  }

  /**
   * Trades a code for a device token of its unit (replacing, and so revoking, the unit's previous token): once. An
   * unknown, used or expired code answers undefined — the same for all three, so a guesser learns nothing.
   */
  async use(raw: string): Promise<{ token: string; unitId: string } | undefined> {
    const code = FieldPairingCode.safeParse(raw);
    if (!code.success) return undefined;
    const text = (await TAKE.run(this.redis, [this.keys.fieldPairings], [sha256(code.data)])) as string | null;
    const pairing = parse(text);
    if (!pairing || pairing.expiresAt <= this.now()) return undefined;
    const { token } = await this.accounts().createDevice(pairing.unitId);
    return { token, unitId: pairing.unitId };
  }

  /** Drops a unit's waiting code (when its terminal is unpaired). */
  async cancel(unitId: string): Promise<void> {
    const all = await this.redis.hGetAll(this.keys.fieldPairings);
    const mine = Object.entries(all)
      .filter(([, t]) => parse(t)?.unitId === unitId)
      .map(([k]) => k);
    if (mine.length) await this.redis.hDel(this.keys.fieldPairings, mine);
  }
}

function parse(text: string | null | undefined): FieldPairing | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as FieldPairing;
  } catch {
    return undefined;
  }
}
