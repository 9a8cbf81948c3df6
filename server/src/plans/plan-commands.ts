import type pino from 'pino';
import type { Commands } from '../commands/execute.ts';
import type { PlanIssuer } from './issue.ts';

/**
 * The command path with the plan's issue after it: a `plan:activate` or `plan:end` that succeeded (or was replayed)
 * is followed by the issue of its inspections and orders (or the release of its orders) in batches, before the
 * receipt is answered — so a console sees the receipt once the round is in the log. The receipt's counts are the
 * decision's (what the level called for that was not issued yet). Everything else passes through unchanged.
 * An issue that fails is logged, not answered: the activation stands and the leader's reconcile issues the rest.
 */
export function withPlanIssue(commands: Commands, issuer: PlanIssuer, logger: pino.Logger): Commands {
  return {
    ...commands,
    async execute(name, payload, actor) {
      const r = await commands.execute(name, payload, actor);
      if (r.ok && (name === 'plan:activate' || name === 'plan:end')) {
        const planId = (r.data as { planId: string }).planId;
        // The command is committed: an issue that fails half-way (Redis gone a moment) is finished by the leader's
        // reconcile within seconds, so the receipt stands.
        await issuer
          .issue(planId)
          .catch((err: unknown) => logger.warn({ err, planId }, 'plan issue failed; the reconcile finishes it'));
      }
      return r;
    },
  };
}
