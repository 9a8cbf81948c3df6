import { describe, expect, it } from 'vitest';
import { planFit } from './plan-fit.ts';

const SIZES = { line: 56, more: 46 };
/** `n` actions of 132 px at full size. */
const actions = (n: number) => Array.from({ length: n }, () => 132);

describe(planFit.name, () => {
  it('draws every action at full size when they fit, and before there is a layout', () => {
    expect(planFit(actions(4), 4 * 132, SIZES)).toEqual({ full: 4, compact: 0, hidden: 0 });
    expect(planFit(actions(11), 0, SIZES)).toEqual({ full: 11, compact: 0, hidden: 0 });
  });

  it('keeps the first actions at full size and puts the rest on one line each, leaving none out', () => {
    // 7 actions in 700 px: 4 full (528) + 3 lines (168) = 696.
    expect(planFit(actions(7), 700, SIZES)).toEqual({ full: 4, compact: 3, hidden: 0 });
    // The typhoon plan at Ⅰ (11 actions) in a 4K column's plan slot of ~650 px: one full, ten lines.
    expect(planFit(actions(11), 700, SIZES)).toEqual({ full: 1, compact: 10, hidden: 0 });
  });

  it('counts an action’s line of squads behind in its full size', () => {
    // 7 actions in 700 px, the first two naming squads behind (+46 each): 3 full (488) + 4 lines (224) = 712 > 700.
    expect(planFit([178, 178, 132, 132, 132, 132, 132], 700, SIZES)).toEqual({ full: 2, compact: 5, hidden: 0 });
  });

  it('puts every action on one line when not even one can keep its full size', () => {
    expect(planFit(actions(11), 11 * 56, SIZES)).toEqual({ full: 0, compact: 11, hidden: 0 });
  });

  it('leaves out the last and says how many only when even the lines do not fit', () => {
    expect(planFit(actions(11), 300, SIZES)).toEqual({ full: 0, compact: 4, hidden: 7 });
    expect(planFit(actions(11), 10, SIZES)).toEqual({ full: 0, compact: 1, hidden: 10 });
  });
});
