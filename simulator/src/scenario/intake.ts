import type { CaseSource, CaseTransition } from '@egret/protocol';
import type { CityScenarioFile } from '@egret/config';
import type { Rng } from '../rng.ts';

const MINUTE_MS = 60_000;

/**
 * The intake desk of the case system, played upstream: a clerk (受理员) accepts a report after a short delay and a
 * shift lead (值班长) files it (立案); a small share is turned away — at acceptance, or as 不予立案 at filing — with
 * a reason. Returns the transitions to send, each at its own world time; the caller sends them when that time
 * comes. A filed case is where dispatch (a later part) takes over.
 */
export function planIntake(
  report: { caseId: string; source: CaseSource; at: number },
  intake: CityScenarioFile['intake'],
  rng: Rng,
): CaseTransition[] {
  const rejectShare = intake.rejectShare.bySource?.[report.source] ?? intake.rejectShare.default;
  const reject = rng.chance(rejectShare);
  const clerk = { role: 'upstream' as const, id: `intake-clerk-${String(rng.int(1, intake.clerks)).padStart(2, '0')}` };
  const lead = { role: 'upstream' as const, id: `shift-lead-${String(rng.int(1, intake.leads)).padStart(2, '0')}` };
  const acceptAt =
    report.at +
    Math.max(1000, Math.round(rng.logNormal(intake.acceptDelay.median, intake.acceptDelay.sigma) * MINUTE_MS));
  const step = (
    to: CaseTransition['to'],
    actor: CaseTransition['actor'],
    at: number,
    reason?: string,
  ): CaseTransition => ({
    kind: 'case.transition',
    caseId: report.caseId,
    to,
    actor,
    at,
    ...(reason ? { reason } : {}),
  });
  if (reject && rng.chance(intake.rejectAtAcceptShare)) {
    return [step('rejected', clerk, acceptAt, rng.pick(intake.rejectReasons))];
  }
  const fileAt =
    acceptAt + Math.max(1000, Math.round(rng.logNormal(intake.fileDelay.median, intake.fileDelay.sigma) * MINUTE_MS));
  return [
    step('accepted', clerk, acceptAt),
    reject
      ? step('rejected', lead, fileAt, `不予立案：${rng.pick(intake.rejectReasons)}`)
      : step('filed', lead, fileAt),
  ];
}
