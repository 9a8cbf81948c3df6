import type { Case } from '@egret/protocol';

/**
 * Filed cases waiting for a squad, the nearest deadline first (overdue ones lead), at most `max`: the console's
 * to-do list beside the map. One pass with a capped sorted list: the city may hold tens of thousands of cases.
 */
export function waitingForDispatch(cases: Iterable<Case>, max: number): Case[] {
  const out: Case[] = [];
  for (const c of cases) {
    if (c.status !== 'filed') continue;
    if (out.length === max && !sooner(c, out[max - 1]!)) continue;
    let i = out.length;
    while (i > 0 && sooner(c, out[i - 1]!)) i--;
    out.splice(i, 0, c);
    if (out.length > max) out.pop();
  }
  return out;
}

function sooner(a: Case, b: Case): boolean {
  const da = a.deadline ?? Infinity;
  const db = b.deadline ?? Infinity;
  return da < db || (da === db && a.id < b.id);
}
