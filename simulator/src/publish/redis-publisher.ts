import { redisKeys, type InputMessage } from '@egret/protocol';
import type { Redis } from './connect.ts';
import type { Publisher, PublishStats } from './publisher.ts';

export interface RedisPublisherOptions {
  /** Key namespace (EGRET_NS). */
  ns: string;
  /** Approximate bound of `in:events` (XADD MAXLEN ~). */
  eventsMaxLen?: number;
  /**
   * Approximate bound of `in:positions`. Entries are up to 64 KiB each and only the latest fix of a unit matters,
   * so this is kept short: 1,000 entries hold ~17 minutes at 240 units, ~16 s at 50,000.
   */
  positionsMaxLen?: number;
  /** Entries per MULTI/EXEC round trip. */
  chunk?: number;
  /** Attempts for a chunk of fix batches before it is dropped (events are retried until stopped). */
  fixAttempts?: number;
  backoff?: { firstMs: number; maxMs: number };
  /** Stops retrying (the promise then rejects with the signal's reason). */
  signal?: AbortSignal;
  onRetry?: (what: 'events' | 'fixes', attempt: number, err: unknown) => void;
}

/**
 * Writes the simulator's output to the input streams, the only place it writes Redis. Each chunk of entries goes
 * in one MULTI/EXEC (all or none, so a failed chunk is retried whole, never half-applied) with XADD MAXLEN ~ to keep
 * the streams bounded. On a Redis error it retries with exponential backoff: control-plane messages until they are
 * written (a case report keeps its caseId across retries, so the hub applies it once), fix batches a few times
 * before giving them up — a fix is stale a second later anyway.
 */
export class RedisPublisher implements Publisher {
  readonly stats: PublishStats = { events: 0, fixBatches: 0, retries: 0, droppedFixBatches: 0 };
  private readonly keys;
  private readonly o: Required<Omit<RedisPublisherOptions, 'signal' | 'onRetry'>> &
    Pick<RedisPublisherOptions, 'signal' | 'onRetry'>;

  constructor(
    private readonly client: Redis,
    options: RedisPublisherOptions,
  ) {
    this.keys = redisKeys(options.ns);
    this.o = {
      eventsMaxLen: 100_000,
      positionsMaxLen: 1_000,
      chunk: 200,
      fixAttempts: 3,
      backoff: { firstMs: 100, maxMs: 5_000 },
      ...options,
    };
  }

  async events(messages: readonly InputMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += this.o.chunk) {
      const chunk = messages.slice(i, i + this.o.chunk).map((m) => JSON.stringify(m));
      await this.withRetry('events', Infinity, () => this.xadd(this.keys.inEvents, chunk, this.o.eventsMaxLen));
      this.stats.events += chunk.length;
    }
  }

  async fixes(batches: readonly string[]): Promise<void> {
    // Fix batches are large (up to 64 KiB): fewer per round trip.
    const size = Math.max(1, Math.floor(this.o.chunk / 10));
    for (let i = 0; i < batches.length; i += size) {
      const chunk = batches.slice(i, i + size);
      const ok = await this.withRetry('fixes', this.o.fixAttempts, () =>
        this.xadd(this.keys.inPositions, chunk, this.o.positionsMaxLen),
      );
      if (ok) this.stats.fixBatches += chunk.length;
      else this.stats.droppedFixBatches += chunk.length;
    }
  }

  private async xadd(key: string, data: readonly string[], maxLen: number): Promise<void> {
    const multi = this.client.multi();
    for (const d of data)
      multi.xAdd(key, '*', { data: d }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: maxLen } });
    await multi.exec();
  }

  /** Runs `op` until it succeeds (true) or `attempts` are spent (false); rejects when the signal aborts. */
  private async withRetry(what: 'events' | 'fixes', attempts: number, op: () => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      this.o.signal?.throwIfAborted();
      try {
        await op();
        return true;
      } catch (err) {
        if (attempt >= attempts) return false;
        this.stats.retries++;
        this.o.onRetry?.(what, attempt, err);
        await sleep(Math.min(this.o.backoff.firstMs * 2 ** (attempt - 1), this.o.backoff.maxMs), this.o.signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
