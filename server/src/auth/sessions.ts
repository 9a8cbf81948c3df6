import type { RedisKeys } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import type { AccountStore, WallRecord } from './accounts.ts';
import type { Principal } from './permissions.ts';
import { randomToken } from './tokens.ts';

/** A person's session lasts this long after its last use (a shift, with room). */
export const USER_SESSION_TTL_MS = 12 * 3_600_000;
/** A paired wall's session lasts this long after its last use: walls run unattended for months. */
export const WALL_SESSION_TTL_MS = 400 * 24 * 3_600_000;
/** A session's expiry is pushed back at most this often (every use would be a write per request). */
const REFRESH_EVERY_MS = 60_000;

/** One session, as kept under `keys.sessionPrefix + id`. */
export interface SessionRecord {
  kind: 'user' | 'wall';
  /** The user name or the wall name. */
  name: string;
  /** The account's `gen` when the session began (users): a password or role change ends it. */
  gen?: number;
  createdAt: number;
}

/**
 * Sessions in Redis, so any hub answers any screen: a random id (32 bytes) → who, with an expiry that slides with
 * use. A user's session is checked against the account on every use, so its current role applies and a removed
 * account or a changed password ends it everywhere at once.
 */
export class Sessions {
  /** When each session's expiry was last pushed back (per hub; only saves writes). */
  private readonly refreshed = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly accounts: AccountStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session; answers its id. A wall's is also indexed by name so it can be unpaired. */
  async create(record: Omit<SessionRecord, 'createdAt'>): Promise<string> {
    const id = randomToken(32);
    const full: SessionRecord = { ...record, createdAt: this.now() };
    const ttl = record.kind === 'wall' ? WALL_SESSION_TTL_MS : USER_SESSION_TTL_MS;
    const multi = this.redis
      .multi()
      .set(this.keys.sessionPrefix + id, JSON.stringify(full), { expiration: { type: 'PX', value: ttl } });
    if (record.kind === 'wall')
      multi.hSet(
        this.keys.walls,
        id,
        JSON.stringify({ name: record.name, pairedAt: full.createdAt } satisfies WallRecord),
      );
    await multi.exec();
    return id;
  }

  /** Who a session id belongs to now, or undefined when it has ended (expired, logged out, account changed). */
  async resolve(id: string): Promise<Principal | undefined> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return undefined;
    const key = this.keys.sessionPrefix + id;
    const text = await this.redis.get(key);
    if (!text) return undefined;
    let record: SessionRecord;
    try {
      record = JSON.parse(text) as SessionRecord;
    } catch {
      return undefined;
    }
    let principal: Principal;
    if (record.kind === 'wall') {
      principal = { kind: 'wall', id: record.name, role: 'viewer', sessionId: id };
    } else {
      const account = await this.accounts.get(record.name);
      if (!account || account.gen !== record.gen || account.mustChangePassword) {
        await this.redis.del(key);
        return undefined;
      }
      principal = {
        kind: 'user',
        id: account.user,
        role: account.role,
        sessionId: id,
        ...(account.grids ? { grids: account.grids } : {}),
      };
    }
    const at = this.now();
    if (at - (this.refreshed.get(id) ?? 0) > REFRESH_EVERY_MS) {
      this.refreshed.set(id, at);
      if (this.refreshed.size > 10_000) this.refreshed.clear();
      await this.redis.pExpire(key, record.kind === 'wall' ? WALL_SESSION_TTL_MS : USER_SESSION_TTL_MS);
    }
    return principal;
  }

  /** Ends a session (logout). */
  async destroy(id: string): Promise<void> {
    this.refreshed.delete(id);
    await this.redis
      .multi()
      .del(this.keys.sessionPrefix + id)
      .hDel(this.keys.walls, id)
      .exec();
  }
}
