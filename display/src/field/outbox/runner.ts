/**
 * Drives the outbox (queue.ts) against the hub: one step at a time, the state saved after every step, so a page
 * closed mid-way resumes where it stood. The transport, the persistence, the clock and the timer are passed in:
 * runner.test.ts runs it against a scripted hub, field/main.ts against IndexedDB and `fetch`.
 */
import {
  dismiss,
  enqueue,
  nextStep,
  outcomeOf,
  retryNow,
  settle,
  type Outbox,
  type OutboxDraft,
  type OutboxPhoto,
  type StepOutcome,
} from './queue.ts';

/** An HTTP answer: `status` 0 when there was none (no link). */
export interface HubAnswer {
  status: number;
  body: unknown;
}

export interface OutboxTransport {
  /** `POST /api/photos` with the photo's bytes. */
  upload(photo: OutboxPhoto): Promise<HubAnswer>;
  /** `POST /api/field/commands/<name>`. */
  send(name: string, payload: Record<string, unknown>): Promise<HubAnswer>;
}

export interface OutboxPersistence {
  save(box: Outbox): Promise<void>;
  /** Forgets photo blobs no action needs any more. */
  release(blobKeys: string[]): Promise<void>;
}

export interface OutboxRunnerOptions {
  box: Outbox;
  transport: OutboxTransport;
  persistence: OutboxPersistence;
  now: () => number;
  /** Called with the new state after every change. */
  onChange?: (box: Outbox) => void;
  /** Called when an action has been applied (or refused), with the hub's answer. */
  onSettled?: (key: string, outcome: StepOutcome, body: unknown) => void;
  /** setTimeout by default. */
  schedule?: (ms: number, fn: () => void) => () => void;
}

export class OutboxRunner {
  #box: Outbox;
  #running: Promise<void> | null = null;
  #again = false;
  #cancelTimer: (() => void) | null = null;

  constructor(private readonly o: OutboxRunnerOptions) {
    this.#box = o.box;
  }

  get box(): Outbox {
    return this.#box;
  }

  /** Queues an action (saved before this resolves) and starts sending. */
  async enqueue(draft: OutboxDraft): Promise<void> {
    await this.#set(enqueue(this.#box, draft, this.o.now()));
    this.kick();
  }

  /** The link is back: try the head now. */
  online(): void {
    const next = retryNow(this.#box);
    if (next !== this.#box) void this.#set(next);
    this.kick();
  }

  async dismiss(key: string): Promise<void> {
    await this.#set(dismiss(this.#box, key));
  }

  /** Starts sending if it is not already; resolves when the queue is empty or waiting for a retry time. */
  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#drain();
      } while (this.#again);
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #set(box: Outbox): Promise<void> {
    this.#box = box;
    this.o.onChange?.(box);
    await this.o.persistence.save(box);
  }

  async #drain(): Promise<void> {
    for (;;) {
      const step = nextStep(this.#box, this.o.now());
      if (step.kind === 'idle') return;
      if (step.kind === 'wait') {
        const schedule = this.o.schedule ?? defaultSchedule;
        this.#cancelTimer = schedule(Math.max(0, step.until - this.o.now()), () => void this.kick());
        return;
      }
      let answer: HubAnswer;
      try {
        answer =
          step.kind === 'upload'
            ? await this.o.transport.upload(step.photo)
            : await this.o.transport.send(step.name, step.payload);
      } catch (err) {
        answer = { status: 0, body: { error: 'network', message: (err as Error).message } };
      }
      const read = outcomeOf(answer.status, answer.body);
      let outcome: StepOutcome;
      if (read.kind === 'ok') {
        const id = (read.body as { id?: unknown } | null)?.id;
        if (step.kind === 'upload' && typeof id !== 'string')
          outcome = { kind: 'failed', error: 'the hub answered the upload without an id' };
        else
          outcome =
            step.kind === 'upload' ? { kind: 'uploaded', index: step.index, id: id as string } : { kind: 'sent' };
      } else outcome = read;
      const { box, release } = settle(this.#box, step.key, outcome, this.o.now());
      await this.#set(box);
      if (release.length) await this.o.persistence.release(release).catch(() => undefined);
      if (outcome.kind !== 'uploaded' && outcome.kind !== 'failed') this.o.onSettled?.(step.key, outcome, answer.body);
    }
  }
}

function defaultSchedule(ms: number, fn: () => void): () => void {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}
