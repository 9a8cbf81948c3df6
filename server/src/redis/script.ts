import { createHash } from 'node:crypto';
import type { Redis } from './connect.ts';

type Multi = ReturnType<Redis['multi']>;

/**
 * A Lua script run by its SHA1: the text goes to Redis once (the first EVAL after a NOSCRIPT caches it), after
 * that only the 40-character SHA does. Redis forgets its scripts on a restart or `SCRIPT FLUSH`; `run` then sends
 * the text once more.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalSha(this.sha, { keys, arguments: args });
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return await redis.eval(this.source, { keys, arguments: args });
    }
  }

  /**
   * Queues the script by its SHA in a MULTI. Redis answers NOSCRIPT only when EXEC runs, and runs the transaction's
   * other commands all the same: call {@link load} first, and handle a NOSCRIPT reply (see `isNoScript`) knowing
   * the rest of the transaction went through.
   */
  queue(multi: Multi, keys: string[], args: string[]): Multi {
    return multi.evalSha(this.sha, { keys, arguments: args });
  }

  private readonly loadedOn = new WeakSet<Redis>();

  /** Sends the text to Redis with SCRIPT LOAD, once per client (again after `forget`, when Redis lost it). */
  async load(redis: Redis): Promise<void> {
    if (this.loadedOn.has(redis)) return;
    await redis.scriptLoad(this.source);
    this.loadedOn.add(redis);
  }

  /** Redis answered NOSCRIPT through this client: load the text again before the next MULTI. */
  forget(redis: Redis): void {
    this.loadedOn.delete(redis);
  }
}

/** Whether a reply or a thrown error is Redis's NOSCRIPT (it lost the script: restarted, or `SCRIPT FLUSH`). */
export function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}
