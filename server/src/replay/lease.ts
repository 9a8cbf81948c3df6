import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/connect.ts';
import { LuaScript } from '../redis/script.ts';

/**
 * Renews the lease if it still holds our token (1); takes it back if the key expired with nobody holding it (2: a
 * holder whose event loop stalled past the TTL, with no rival); 0 when someone else holds it.
 */
const RENEW = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0
`);
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * How long a leader lease lasts by default. It must outlive the longest event-loop stall or GC pause a loaded hub
 * shows (seconds: at load average ~12 on 2 cores we saw stalls of 2–4 s), or a lone hub keeps losing its own lease.
 * A leader that dies is replaced within this time; one that stops cleanly hands over at once (it releases).
 */
export const DEFAULT_LEASE_MS = 15_000;

/**
 * A leader lease in Redis: SET NX PX to take it; renew while it still holds our token (or take it back when it
 * expired and nobody else took it); give it up only if it is still ours. A holder that dies is replaced once the
 * lease expires. The token is the fence: writes that must come from the leader only check it in the same script
 * (see `server/src/redis/commit.lua`), so a paused ex-leader can never write after its successor.
 */
export class Lease {
  readonly token: string;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly ms: number,
    owner: string,
  ) {
    this.token = `${owner}:${randomUUID()}`;
  }

  async acquire(): Promise<boolean> {
    return (
      (await this.redis.set(this.key, this.token, { condition: 'NX', expiration: { type: 'PX', value: this.ms } })) ===
      'OK'
    );
  }

  /** Extends the lease (or takes it back if it expired unclaimed); false when someone else holds it. */
  async renew(): Promise<boolean> {
    return (await this.keep()) !== 'lost';
  }

  /**
   * Extends the lease: `renewed` (it was ours all along), `retaken` (it had expired and nobody held it: ours again,
   * but another holder may have come and gone meanwhile — a holder whose work depends on having been the only one
   * since it took the lease starts over as if it had just taken it), or `lost`.
   */
  async keep(): Promise<'renewed' | 'retaken' | 'lost'> {
    const r = Number(await RENEW.run(this.redis, [this.key], [this.token, String(this.ms)]));
    return r === 1 ? 'renewed' : r === 2 ? 'retaken' : 'lost';
  }

  /** Whether Redis holds our token right now. */
  async held(): Promise<boolean> {
    return (await this.redis.get(this.key)) === this.token;
  }

  async release(): Promise<void> {
    await RELEASE.run(this.redis, [this.key], [this.token]);
  }
}
