import { connectRedis as connect, redact, type ConnectOptions, type Redis } from '@egret/server/redis-connect';

export { RedisUnreachableError, type Redis } from '@egret/server/redis-connect';

/**
 * The simulator's Redis: the hub's one connect helper (a plain URL or `redis+sentinel://`, the version check, a
 * bounded start), with the offline queue off — commands sent while the connection is down fail at once instead of
 * queueing in memory: the publisher retries them itself, and a stalled simulator must not pile up minutes of fixes.
 */
export function connectRedis(url: string, options: Omit<ConnectOptions, 'offlineQueue'> = {}): Promise<Redis> {
  return connect(url, { offlineQueue: false, hint: 'check REDIS_URL', ...options });
}

/** The URL without its password, for messages and logs. */
export const redactUrl = redact;
