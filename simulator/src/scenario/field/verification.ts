import type { CaseTransition } from '@egret/protocol';
import type { VerificationProfile } from '@egret/config';
import type { Rng } from '../../rng.ts';

const MINUTE_MS = 60_000;

/** The inspector (监督员) who verifies cases of a district: an upstream actor of the case system. */
export function inspectorOf(district: string): CaseTransition['actor'] {
  return { role: 'upstream', id: `inspector-${district}` };
}

/**
 * 核查: a handled case is verified on site by its district's inspector — the check starts a while after the squad
 * reports it handled (→ verifying), and ends with the case closed (结案) or, for `failShare` of them, sent back to
 * filed (返工) with a reason so it is dispatched again. `rng` is forked from the seed, the case and the round, so
 * the same handling of the same case always gets the same verdict. Returns both steps, each at its world time.
 */
export function planVerification(
  c: { caseId: string; district: string; handledAt: number },
  profile: VerificationProfile,
  rng: Rng,
): CaseTransition[] {
  const fail = rng.chance(profile.failShare);
  const startAt =
    c.handledAt +
    Math.max(1000, Math.round(rng.logNormal(profile.startDelay.median, profile.startDelay.sigma) * MINUTE_MS));
  const endAt =
    startAt +
    Math.max(1000, Math.round(rng.logNormal(profile.checkDelay.median, profile.checkDelay.sigma) * MINUTE_MS));
  const reason = rng.pick(profile.failReasons);
  const actor = inspectorOf(c.district);
  return [
    { kind: 'case.transition', caseId: c.caseId, to: 'verifying', actor, at: startAt },
    fail
      ? { kind: 'case.transition', caseId: c.caseId, to: 'filed', actor, reason, at: endAt }
      : { kind: 'case.transition', caseId: c.caseId, to: 'closed', actor, at: endAt },
  ];
}
