import { redisKeys } from '@egret/protocol';
import { connectRedis } from '../redis/connect.ts';
import { AccountStore } from './accounts.ts';

/** What `npm start` needs to run unattended against a hub that requires accounts. */
export interface StartAccess {
  /** The first admin's one-time password, when this start created the account (print it once). */
  adminPassword?: string;
  /** A `dispatcher` API key for the simulator's auto-dispatcher (HUB_TOKEN); rotated on every start. */
  hubToken: string;
  /** A one-use pairing token for a wall screen (`/wall?pair=…`); the previous start's unused one is replaced. */
  pairToken: string;
}

/** The simulator's service account, as it appears in the log (`actor.id`). */
export const SIMULATOR_KEY_NAME = 'sim-auto-dispatcher';
/** The wall `npm start` offers to pair. */
export const START_WALL_NAME = 'npm-start-wall';

/**
 * Prepares accounts for `npm start`, in the same Redis the hub will use, before the hub starts: the first admin
 * (on a fresh Redis), a fresh service key for the simulator, and a fresh pairing link for a wall.
 */
export async function prepareStartAccess(redisUrl: string, ns: string): Promise<StartAccess> {
  const redis = await connectRedis(redisUrl);
  try {
    const store = new AccountStore(redis, redisKeys(ns));
    const adminPassword = await store.ensureFirstAdmin();
    const { token: hubToken } = await store.createKey(SIMULATOR_KEY_NAME, 'dispatcher');
    const pairToken = await store.createPairing(START_WALL_NAME);
    return { ...(adminPassword ? { adminPassword } : {}), hubToken, pairToken };
  } finally {
    await redis.close();
  }
}
