import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/connect.ts';

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * A leader lease in Redis, the position ticker's pattern: SET NX PX to take it, renew only while it is still ours
 * (compare and PEXPIRE in one script), give it up only if it is still ours. A holder that dies is replaced once
 * the lease expires.
 */
export class Lease {
  readonly token: string;

  constructor(private readonly redis: Redis, private readonly key: string, readonly ms: number, owner: string) {
    this.token = `${owner}:${randomUUID()}`;
  }

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, { condition: 'NX', expiration: { type: 'PX', value: this.ms } })) === 'OK';
  }

  /** Extends the lease; false when it is no longer ours. */
  async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, { keys: [this.key], arguments: [this.token, String(this.ms)] })) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, { keys: [this.key], arguments: [this.token] });
  }
}
