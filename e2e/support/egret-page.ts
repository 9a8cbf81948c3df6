import type { Page } from 'playwright-core';

/** What the display's `window.__egret` debug hook tells (display/src/debug-hook.ts). */
export interface EgretDebugView {
  deckCount: number;
  seq: number;
  caseCount: number;
  unitCount: number;
  stormCount: number;
  sensorCount: number;
  eventId: string | null;
  offPostUnits: readonly string[];
  unitsPositioned: number;
  framesReceived: number;
  snapshots: number;
  link: string;
  locale: string;
  staleLayouts: number;
  firstDrawHold: 'state' | 'timeout' | 'timeout-after-state' | 'not-held' | null;
  map: {
    layers(): { id: string; length: number; visible: boolean; loaded: boolean }[];
    drawnLayers(): { id: string; length: number; visible: boolean; loaded: boolean }[];
    pick(x: number, y: number, layerIds?: string[]): { layer: string; index: number; id: string | null } | null;
    project(lon: number, lat: number): [number, number];
    canvasBox(): { x: number; y: number; width: number; height: number };
  } | null;
  unitPositions(max: number): { slot: number; lon: number; lat: number }[];
}

/** The debug hook's plain facts, read in the page. */
export function egretFacts(page: Page) {
  return page.evaluate(() => {
    const e = (globalThis as unknown as { __egret?: EgretDebugView }).__egret;
    if (!e) return null;
    return {
      deckCount: e.deckCount,
      seq: e.seq,
      caseCount: e.caseCount,
      unitCount: e.unitCount,
      unitsPositioned: e.unitsPositioned,
      framesReceived: e.framesReceived,
      snapshots: e.snapshots,
      link: e.link,
      locale: e.locale,
      staleLayouts: e.staleLayouts,
      firstDrawHold: e.firstDrawHold,
      layers: e.map?.layers() ?? [],
      canvas: e.map?.canvasBox() ?? null,
    };
  });
}

/** Waits until `predicate` (an expression over `e`, the debug hook) holds in the page. */
export async function waitForEgret(page: Page, predicate: string, timeout = 90_000): Promise<void> {
  await page.waitForFunction(`(() => { const e = globalThis.__egret; return !!e && (${predicate}); })()`, undefined, {
    timeout,
    polling: 250,
  });
}

/**
 * Waits until the map has drawn rows of every named layer. A map on software GL takes a new picture only every few
 * seconds (display/src/map/draw-pacer.ts): state received, even layers handed to the map, is not yet drawn.
 */
export async function waitForMapToShow(page: Page, ...layerIds: string[]): Promise<void> {
  const ids = JSON.stringify(layerIds);
  await waitForEgret(
    page,
    `${ids}.every((id) => (e.map?.drawnLayers().find((l) => l.id === id)?.length ?? 0) > 0)`,
    60_000,
  );
}

/**
 * Waits until a click on the map at `lonLat`, picking among `layers`, would select the object `id` (the map has taken the state
 * holding it: a map on software GL takes a new picture only every few seconds); answers the click's page coordinates.
 */
export async function waitForMapToPick(
  page: Page,
  layers: readonly string[],
  id: string,
  lonLat: readonly [number, number],
  timeout = 60_000,
): Promise<[number, number]> {
  const handle = await page.waitForFunction(
    ({ layers, id, lonLat }) => {
      const map = (globalThis as unknown as { __egret?: EgretDebugView }).__egret?.map;
      if (!map) return null;
      const [x, y] = map.project(lonLat[0], lonLat[1]);
      if (map.pick(x, y, [...layers])?.id !== id) return null;
      const box = map.canvasBox();
      return [box.x + x, box.y + y];
    },
    { layers, id, lonLat },
    { timeout, polling: 250 },
  );
  return (await handle.jsonValue()) as [number, number];
}

/** Picks at the map pixel of up to `max` drawn units; returns what was found at each. */
export function pickUnits(page: Page, max: number) {
  return page.evaluate((n) => {
    const e = (globalThis as unknown as { __egret?: EgretDebugView }).__egret!;
    return e.unitPositions(n).map((u) => {
      const [x, y] = e.map!.project(u.lon, u.lat);
      return { slot: u.slot, hit: e.map!.pick(x, y) };
    });
  }, max);
}

/** One thing to read from the page's DOM: an element's text, one of its attributes, or how many elements match. */
export type DomRead = { text: string } | { attr: readonly [selector: string, name: string] } | { count: string };

/**
 * Several DOM reads in one round trip (null where no element matches). On software GL a 4K wall's page is busy
 * drawing a frame for a second or more at a time and answers each call only between frames, so a test that reads
 * ten things one locator at a time waits ten frames.
 */
export function readDom<K extends string>(
  page: Page,
  reads: Record<K, DomRead>,
): Promise<Record<K, string | number | null>> {
  return page.evaluate(
    (r) => {
      const doc = (
        globalThis as unknown as {
          document: {
            querySelector(s: string): { textContent: string | null; getAttribute(n: string): string | null } | null;
            querySelectorAll(s: string): { length: number };
          };
        }
      ).document;
      const out: Record<string, string | number | null> = {};
      for (const [key, read] of Object.entries(r)) {
        if ('text' in read) out[key] = doc.querySelector(read.text)?.textContent ?? null;
        else if ('attr' in read) out[key] = doc.querySelector(read.attr[0])?.getAttribute(read.attr[1]) ?? null;
        else out[key] = doc.querySelectorAll(read.count).length;
      }
      return out;
    },
    reads as Record<string, DomRead>,
  ) as Promise<Record<K, string | number | null>>;
}
