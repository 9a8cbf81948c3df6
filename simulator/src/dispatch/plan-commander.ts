import type { PlanActivateCommand, PlanLevel, PlanReceipt, Result } from '@egret/protocol';
import { HubUnreachableError } from './hub-client.ts';

/** What the scenario's commander asks of the hub. */
export interface PlanApi {
  /** `POST /api/commands/plan:activate`. */
  activatePlan(command: PlanActivateCommand): Promise<Result<PlanReceipt>>;
}

export interface PlanCommanderLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Real ms between two tries while the hub does not answer. */
const RETRY_MS = 5_000;

/**
 * The key of a scenario's activation: the same for the same run (scenario, seed, world start), so a retried or
 * repeated request is the hub's one activation (its idempotency), and another drill gets its own.
 */
export function activationKey(scenario: string, seed: number | string, worldStart: number): string {
  return `sim:${scenario}:${String(seed)}:${worldStart}:plan`.slice(0, 128);
}

/**
 * The scenario's commander (issue #17): once the world is up, activates its plan at its level through the hub's
 * HTTP commands, as a commander's click on the console would — once; a hub that does not answer is asked again
 * every few seconds, a refusal is logged and left (the plan already in force at that level is `already_at_level`,
 * which is what a restarted simulator finds).
 */
export class PlanCommander {
  private state: 'waiting' | 'sending' | 'done' = 'waiting';
  private nextTry = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly o: {
      hub: PlanApi;
      plan: { planId: string; level: PlanLevel; reason: string };
      idempotencyKey: string;
      log: PlanCommanderLog;
      /** Real clock, for the retry pause. */
      now?: () => number;
    },
  ) {}

  get done(): boolean {
    return this.state === 'done';
  }

  /** Called after every step: sends the activation when none is in flight and the pause after a failure is over. */
  tick(): void {
    const now = (this.o.now ?? Date.now)();
    if (this.state !== 'waiting' || now < this.nextTry) return;
    this.state = 'sending';
    this.inFlight = this.send(now);
  }

  /** Waits for a request in flight (on shutdown). */
  async stop(): Promise<void> {
    await this.inFlight;
  }

  private async send(now: number): Promise<void> {
    const { plan } = this.o;
    try {
      const r = await this.o.hub.activatePlan({
        planId: plan.planId,
        level: plan.level,
        reason: plan.reason,
        idempotencyKey: this.o.idempotencyKey,
      });
      this.state = 'done';
      if (r.ok)
        this.o.log.info(
          { plan: plan.planId, level: plan.level, issued: r.data.issued },
          'the commander activated the plan',
        );
      else this.o.log.warn({ plan: plan.planId, level: plan.level, error: r.error }, 'the hub refused the plan');
    } catch (err) {
      if (!(err instanceof HubUnreachableError)) throw err;
      this.state = 'waiting';
      this.nextTry = now + RETRY_MS;
      this.o.log.warn({ plan: plan.planId, err: err.message }, 'the hub did not answer the plan activation; retrying');
    }
  }
}
