import { LogEvent, redisKeys } from '@egret/protocol';
import type { Redis } from '../publish/connect.ts';

export interface LogTailOptions {
  /** Key namespace (EGRET_NS). */
  ns: string;
  /** How long one XREAD blocks, ms. */
  blockMs?: number;
  /** Entries per read. */
  count?: number;
  /** A read failed (Redis down): the tail retries with backoff. */
  onError?: (err: unknown) => void;
  /** An entry that is not a log event the protocol knows: counted and skipped. */
  onBad?: (entryId: string, reason: string) => void;
  /** How long connecting the blocking connection may take. */
  connectTimeoutMs?: number;
}

interface StreamReply {
  messages: Array<{ id: string; message: Record<string, string> }>;
}

/**
 * The hub's log as a field app sees it: a tail of `{ns}:log` on a connection of its own (XREAD BLOCK, with no
 * command timeout to cut it), starting at the log's end when it opens — `$`, taken as the id of the last entry so
 * that nothing logged between two reads is missed. Each entry's field `e` is parsed as a protocol `LogEvent`; an
 * entry that does not parse is counted and skipped, never fatal. Events are queued for the simulation loop
 * (`drain`) and handed to listeners (the auto-dispatcher) as they arrive.
 */
export class LogTail {
  readonly stats = { events: 0, bad: 0, errors: 0 };
  private queue: LogEvent[] = [];
  private readonly listeners: ((events: readonly LogEvent[]) => void)[] = [];
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly blocking: Redis,
    private readonly key: string,
    private cursor: string,
    private readonly o: LogTailOptions,
  ) {}

  /** Opens the tail at the log's current end and starts reading. */
  static async open(client: Redis, o: LogTailOptions): Promise<LogTail> {
    const key = redisKeys(o.ns).log;
    const last = await client.xRevRange(key, '+', '-', { COUNT: 1 });
    const blocking = client.duplicate({ name: 'egret-simulator-log-tail', commandOptions: { timeout: 0 } }) as Redis;
    blocking.on('error', () => {
      /* reconnects with backoff; the read loop reports failures */
    });
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = o.connectTimeoutMs ?? 5_000;
    try {
      await Promise.race([
        blocking.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the log tail's connection did not connect within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      blocking.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    const tail = new LogTail(blocking, key, last?.[0]?.id ?? '0-0', o);
    tail.running = tail.loop();
    return tail;
  }

  /** Calls `fn` with every batch of events as it arrives. */
  subscribe(fn: (events: readonly LogEvent[]) => void): void {
    this.listeners.push(fn);
  }

  /** The events that arrived since the last call, in log order. */
  drain(): LogEvent[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** Stops reading and closes the tail's connection. */
  async close(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // Destroying the connection ends a read blocked on it at once.
    this.blocking.destroy();
    await this.running;
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (!this.stopping) {
      try {
        const reply = (await this.blocking.xRead(
          { key: this.key, id: this.cursor },
          { COUNT: this.o.count ?? 1_000, BLOCK: this.o.blockMs ?? 2_000 },
        )) as StreamReply[] | null;
        const entries = reply?.[0]?.messages ?? [];
        if (entries.length) this.take(entries);
        backoff = 100;
      } catch (err) {
        if (this.stopping) return;
        this.stats.errors++;
        this.o.onError?.(err);
        await new Promise<void>((r) => {
          const timer = setTimeout(r, backoff);
          this.wake = () => {
            clearTimeout(timer);
            r();
          };
        });
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private take(entries: StreamReply['messages']): void {
    const events: LogEvent[] = [];
    for (const { id, message } of entries) {
      this.cursor = id;
      const parsed = parseEntry(message);
      if (parsed.ok) events.push(parsed.event);
      else {
        this.stats.bad++;
        this.o.onBad?.(id, parsed.reason);
      }
    }
    if (!events.length) return;
    this.stats.events += events.length;
    for (const e of events) this.queue.push(e);
    for (const l of this.listeners) l(events);
  }
}

/** One log entry's event, or why it is not one. */
export function parseEntry(
  message: Record<string, string>,
): { ok: true; event: LogEvent } | { ok: false; reason: string } {
  const raw = message.e;
  if (raw === undefined) return { ok: false, reason: 'no field e' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, reason: `field e is not JSON: ${(err as Error).message}` };
  }
  const r = LogEvent.safeParse(json);
  if (!r.success)
    return {
      ok: false,
      reason: r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; '),
    };
  return { ok: true, event: r.data };
}
