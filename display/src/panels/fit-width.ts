/**
 * A figure that fits its box: a stat tile's number is set large (read from five metres) for the few digits of a
 * quiet morning, and a typhoon day's 88,888 or 100.0% must shrink to its tile rather than push the panel off the
 * screen. CSS cannot size text to its own length, so the figure is measured at its set size and scaled down only as
 * far as it must.
 */

/** The font size (px) at which text `needPx` wide at `basePx` fits `roomPx`: `basePx` when it already fits. */
export function fittedFontSize(basePx: number, roomPx: number, needPx: number): number {
  if (!(needPx > roomPx) || roomPx <= 0) return basePx;
  // Whole pixels, rounded down: text width is not exactly linear in the size, and a pixel over would clip.
  return Math.max(1, Math.floor((basePx * roomPx) / needPx));
}

/**
 * Svelte action: keeps `node`'s text within its parent's content box, refitting when the text changes or the parent
 * is resized. The node's own (CSS) font size is the largest it is drawn at.
 */
export function fitWidth(node: HTMLElement): { destroy(): void } {
  const parent = node.parentElement;
  if (!parent) return { destroy() {} };
  const fit = () => {
    node.style.fontSize = '';
    const style = getComputedStyle(parent);
    const room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const base = parseFloat(getComputedStyle(node).fontSize);
    const size = fittedFontSize(base, room, node.scrollWidth);
    if (size !== base) node.style.fontSize = `${size}px`;
  };
  const text = new MutationObserver(fit);
  text.observe(node, { characterData: true, childList: true, subtree: true });
  const box = new ResizeObserver(fit);
  box.observe(parent);
  fit();
  return {
    destroy() {
      text.disconnect();
      box.disconnect();
    },
  };
}
