/**
 * Which labels fit on the screen without overlapping (pure): a greedy pass in priority order, in screen pixels.
 * deck.gl's GPU collision filter hid single letters of a label in a trial, so the few labels that crowd (the fixed
 * links' names around the western channel, longer in English) are laid out here instead.
 */

/** A label's box on the screen, centred on (x, y), in pixels. */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box of `text` drawn centred at (x, y) at `size` px: CJK characters are square, others about 0.6 em wide. */
export function textBox(text: string, x: number, y: number, size: number): LabelBox {
  let ems = 0;
  for (const ch of text) ems += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6;
  return { x, y, width: ems * size, height: size * 1.2 };
}

const overlap = (a: LabelBox, b: LabelBox, margin: number) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * margin &&
  Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * margin;

/**
 * For each candidate in order, whether it is shown: a candidate is dropped when it comes within `margin` px of a
 * `fixed` box (always shown, e.g. the district names) or of a candidate shown before it.
 */
export function declutter(candidates: readonly LabelBox[], fixed: readonly LabelBox[], margin = 4): boolean[] {
  const placed: LabelBox[] = [...fixed];
  return candidates.map((c) => {
    if (!Number.isFinite(c.x) || !Number.isFinite(c.y) || placed.some((p) => overlap(c, p, margin))) return false;
    placed.push(c);
    return true;
  });
}
