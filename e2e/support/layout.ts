import type { Page } from 'playwright-core';

/*
 * Layout checks on a page, from the DOM: every `[data-panel]`'s box, overlaps, boxes off the canvas, and text set
 * too small to read from five metres. Page code is passed as functions, never as strings: the hub's CSP forbids
 * evaluating strings in the page. The e2e project is compiled without the DOM library, so page code is untyped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

export interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every `[data-panel]` element's name and box. */
export function panelBoxes(page: Page): Promise<Box[]> {
  return page.evaluate(() =>
    [...(globalThis as Untyped).document.querySelectorAll('[data-panel]')].map((el: Untyped) => {
      const r = el.getBoundingClientRect();
      return { name: el.getAttribute('data-panel') as string, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

/** Every visible piece of text inside a panel set smaller than `min` pixels, with where it is. */
export function smallText(page: Page, min: number): Promise<{ panel: string; text: string; size: number }[]> {
  return page.evaluate((limit) => {
    const g = globalThis as Untyped;
    const small: { panel: string; text: string; size: number }[] = [];
    for (const panel of g.document.querySelectorAll('[data-panel]')) {
      const walk = g.document.createTreeWalker(panel, g.NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const text = String(n.textContent ?? '').trim();
        const el = n.parentElement;
        if (!text || !el) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const size = parseFloat(g.getComputedStyle(el).fontSize);
        if (size < limit) small.push({ panel: panel.getAttribute('data-panel'), text: text.slice(0, 30), size });
      }
    }
    return small;
  }, min);
}

/** Elements under `selector` whose content is wider than their box (clipped or ellipsised text). */
export function clipped(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const g = globalThis as Untyped;
    return [...g.document.querySelectorAll(`${sel}, ${sel} *`)]
      .filter((el: Untyped) => el.scrollWidth > el.clientWidth + 1 && g.getComputedStyle(el).overflow !== 'visible')
      .map((el: Untyped) => `${el.className}: ${String(el.textContent).trim().slice(0, 40)}`);
  }, selector);
}

/** Stat tiles whose label ("On-time closure") reaches outside the tile or is drawn smaller than `minPx`. */
export function labelsOutsideTiles(page: Page, minPx = 0): Promise<string[]> {
  return page.evaluate((min) => {
    const g = globalThis as Untyped;
    const bad: string[] = [];
    for (const tile of g.document.querySelectorAll('[data-kpi]')) {
      const label = tile.querySelector('.label');
      if (!label) continue;
      const t = tile.getBoundingClientRect();
      const l = label.getBoundingClientRect();
      const size = parseFloat(g.getComputedStyle(label).fontSize);
      if (l.left < t.left - 1 || l.right > t.right + 1 || size < min)
        bad.push(
          `${tile.getAttribute('data-kpi')}: "${label.textContent}" ${Math.round(l.width)} px at ${size} px in a ${Math.round(t.width)}-px tile`,
        );
    }
    return bad;
  }, minPx);
}

/** Pairs of boxes that overlap by more than a pixel each way. */
export function overlaps(boxes: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!,
        b = boxes[j]!;
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 1 && h > 1) out.push(`${a.name} × ${b.name} (${Math.round(w)}×${Math.round(h)} px)`);
    }
  }
  return out;
}

/** Boxes empty or reaching outside a canvas of this size. */
export function outside(boxes: Box[], width: number, height: number): string[] {
  return boxes
    .filter(
      (b) =>
        b.width < 1 ||
        b.height < 1 ||
        b.x < -0.5 ||
        b.y < -0.5 ||
        b.x + b.width > width + 0.5 ||
        b.y + b.height > height + 0.5,
    )
    .map((b) => `${b.name} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`);
}

/**
 * Puts `figure` in every stat tile (`[data-kpi]`: a busy day's 88,888, or 100.0%) and, once the page has refitted
 * it, returns the tiles whose figure reaches outside the tile, is set smaller than `minPx`, or whose panel reaches
 * past the canvas's right edge. Svelte writes the next real figure over it: call it last on a page, or reload.
 */
export function figuresOutsideTiles(page: Page, figure: string, minPx = 0): Promise<string[]> {
  return page.evaluate(
    async ({ text, min }) => {
      const g = globalThis as Untyped;
      const tiles = [...g.document.querySelectorAll('[data-kpi]')];
      for (const tile of tiles) {
        const value = tile.querySelector('.value');
        if (value) value.textContent = text;
      }
      // Two frames: the text's observers run, then layout.
      for (let i = 0; i < 2; i++) await new Promise((r) => g.requestAnimationFrame(r));
      const bad: string[] = [];
      for (const tile of tiles) {
        const value = tile.querySelector('.value');
        if (!value) continue;
        const t = tile.getBoundingClientRect();
        const v = value.getBoundingClientRect();
        const size = parseFloat(g.getComputedStyle(value).fontSize);
        const panel = (tile.closest('[data-panel]') ?? tile.closest('section') ?? tile).getBoundingClientRect();
        if (v.left < t.left - 1 || v.right > t.right + 1 || panel.right > g.innerWidth + 0.5 || size < min)
          bad.push(
            `${tile.getAttribute('data-kpi')}: figure ${Math.round(v.width)} px at ${size} px in a ${Math.round(t.width)}-px tile`,
          );
      }
      return bad;
    },
    { text: figure, min: minPx },
  );
}
