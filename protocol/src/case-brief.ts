import { z } from 'zod';
import { Case, CaseStep } from './entities.ts';
import { isCaseOpen } from './workflow.ts';

/**
 * A finished case as the replay screen holds it before anyone opens it (issue #19): everything a panel, the map and
 * the heat draw of a closed or rejected case — id, category, place, status, report, filing, deadline and closing
 * times, squad, task and counts — without what only the opened case shows: its steps, its photos, its description
 * and the dispatch and handling times (the case card's progress), fetched with `/api/replay/case` when a commander
 * opens it. Late in a three-day storm the screen holds 15,000–35,000 finished cases; their histories were most of a
 * seek's bytes and of the page's work.
 *
 * `history` keeps the step that finished the case only when `closedAt` does not say when (a rejection:
 * `caseFinishedAt`), so a brief is still a `Case` to every rule that reads one — the screen's horizon, the hourly
 * prune, today's counts, the heat — and `steps` says how many steps the whole history has.
 */
export const CaseBrief = Case.omit({
  history: true,
  photos: true,
  description: true,
  dispatchedAt: true,
  handledAt: true,
}).extend({
  history: z.array(CaseStep).max(1),
  steps: z.number().int().nonnegative(),
});
export type CaseBrief = z.infer<typeof CaseBrief>;

/** The brief of a finished case (pure; the case is not changed). */
export function caseBrief(c: Case): CaseBrief {
  const { history, photos: _p, description: _d, dispatchedAt: _s, handledAt: _h, ...rest } = c;
  return { ...rest, history: c.closedAt === undefined ? history.slice(-1) : [], steps: history.length };
}

/** What the replay screen holds of a case before it is opened: an open case whole, a finished one as its brief. */
export function screenCase(c: Case): Case {
  return isCaseOpen(c) ? c : caseBrief(c);
}

/** Whether a case is a brief (its whole history is asked for when it is opened). */
export function isCaseBrief(c: Case): c is Case & CaseBrief {
  return typeof (c as Partial<CaseBrief>).steps === 'number';
}
