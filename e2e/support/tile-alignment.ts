import { randomUUID } from 'node:crypto';
import gcoordImport from 'gcoord';
import type { Page } from 'playwright-core';
import type { EgretConfig } from '@egret/config';
import type { Browser } from './chromium.ts';
import { waitForEgret } from './egret-page.ts';
import type { TestHub } from './hub.ts';
import { decodePng, type Rgba8Image } from './png.ts';

/**
 * How a tile base map lines up with the district boundary Egret draws: the tests draw the boundary magenta in their
 * tiles (raster or vector), frame the Siming–Huli border at tile zoom 14 on a real wall, and measure the screenshot.
 * Shared by e2e/basemap.test.ts (raster) and e2e/basemap-vector.test.ts (MVT).
 */

export type LonLat = readonly [number, number];

/** Tiles of zoom 14 (256 px) shown at their own size: deck.gl's zoom counts 512-px tiles, so its view zoom is 13. */
export const TILE_Z = 14;
export const VIEW_ZOOM = TILE_Z - 1;
export const MAGENTA = [255, 0, 255, 255] as const;
export const GROUND = [28, 28, 32, 255] as const;
/** The Siming–Huli border on Xiamen Island (WGS-84): the middle of the view. */
const AIM: LonLat = [118.125, 24.487];

// gcoord is CommonJS; its typings describe another build: the API as used here.
const gcoord = gcoordImport as unknown as {
  transform(p: [number, number], from: unknown, to: unknown): [number, number];
  WGS84: unknown;
  GCJ02: unknown;
};
/** Where a Chinese commercial map draws a WGS-84 place. */
export const toGcj = (p: LonLat) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as unknown as LonLat;

/** Every ring of every district, as the hub serves them (WGS-84). */
export function districtRings(config: EgretConfig): LonLat[][] {
  const rings: LonLat[][] = [];
  for (const f of config.boundaries.features) {
    const g = f.geometry as { type: string; coordinates: unknown };
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as LonLat[][][];
    for (const poly of polys) rings.push(...poly);
  }
  return rings;
}

/** Where the view's centre sits: the border vertex nearest AIM. */
export function borderPoint(config: EgretConfig): LonLat {
  let best: LonLat = AIM,
    d = Infinity;
  for (const ring of districtRings(config))
    for (const p of ring) {
      const dd = Math.hypot(p[0] - AIM[0], p[1] - AIM[1]);
      if (dd < d) [best, d] = [p, dd];
    }
  return best;
}

/** World pixels (512-px world, deck.gl's) ↔ longitude/latitude. */
export const toWorld = ([lon, lat]: LonLat, zoom: number): [number, number] => {
  const n = 512 * 2 ** zoom;
  const s = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * n, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n];
};
export const fromWorld = ([x, y]: [number, number], zoom: number): LonLat => {
  const n = 512 * 2 ** zoom;
  return [(x / n) * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI];
};

type Px = readonly [number, number, number];
export const isMagenta = ([r, g, b]: Px) => r > 190 && b > 190 && g < 80;
// Egret's district edge: THEME.map.districtEdge, [120, 210, 255].
const isEdge = ([r, g, b]: Px) => b > 200 && g > 160 && r < 175;
/** Around each edge pixel, the magenta within this many pixels: the whole 9-px band when they line up. */
const REACH = 8;

export interface Alignment {
  edgePixels: number;
  covered: number;
  mean: number;
  median: number;
}

/**
 * How Egret's district edge sits on the tiles' magenta band. For every edge pixel, the centroid of the magenta
 * pixels within REACH: the band is symmetric about a line drawn down its middle, so the centroid is the edge pixel
 * itself, and it moves the way the edge is off (by 1.5× the offset, the edge hiding the band's middle: conservative).
 * `covered`: the share of edge pixels with the band around them at all; `mean`: the average offset vector over them
 * (a misaligned source shifts every one the same way); `median`: the typical single pixel's offset.
 */
export function alignment(img: Rgba8Image): Alignment {
  const { width, height, data } = img;
  const px = (i: number): Px => [data[i * 4]!, data[i * 4 + 1]!, data[i * 4 + 2]!];
  const magenta = new Uint8Array(width * height);
  const edge: number[] = [];
  for (let i = 0; i < width * height; i++) {
    if (isMagenta(px(i))) magenta[i] = 1;
    else if (isEdge(px(i))) edge.push(i);
  }
  let covered = 0,
    sx = 0,
    sy = 0;
  const locals: number[] = [];
  let edgePixels = 0;
  for (const i of edge) {
    const x = i % width,
      y = Math.floor(i / width);
    if (x < REACH || y < REACH || x >= width - REACH || y >= height - REACH) continue;
    edgePixels++;
    let n = 0,
      ax = 0,
      ay = 0;
    for (let dy = -REACH; dy <= REACH; dy++)
      for (let dx = -REACH; dx <= REACH; dx++)
        if (magenta[(y + dy) * width + x + dx]) {
          n++;
          ax += dx;
          ay += dy;
        }
    if (n < 6) continue;
    covered++;
    sx += ax / n;
    sy += ay / n;
    locals.push(Math.hypot(ax / n, ay / n));
  }
  locals.sort((a, b) => a - b);
  return {
    edgePixels,
    covered: covered / Math.max(1, edgePixels),
    mean: covered ? Math.hypot(sx / covered, sy / covered) : Infinity,
    median: locals[Math.floor(locals.length / 2)] ?? Infinity,
  };
}

type CanvasBox = { x: number; y: number; width: number; height: number };
const canvasBox = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { __egret: { map: { canvasBox(): CanvasBox } } }).__egret.map.canvasBox(),
  );

/**
 * The wall of `hub` in a new page, every request to anything but `allowed` origins cut off, framing `center` at
 * tile zoom 14 (推屏 of a view); once the tiles of the view are all answered and two screenshots of the map's
 * middle are alike with the tiles' magenta in them, how Egret's boundary sits on the tiles'. `shot` returns the
 * picture as well.
 */
export async function wallOnTiles(opts: {
  browser: Browser;
  hub: TestHub;
  allowed: readonly string[];
  center: LonLat;
  isTile: (url: string) => boolean;
  label: string;
  /** Places whose position in the screenshot the caller wants (pixels from its top left). */
  points?: readonly LonLat[];
  /**
   * The page's socket reaches the hub only once the map has asked for a tile: the map's first draw is then still
   * held for the state (display map/draw-hold.ts), so its tiles were asked while held — or never, were its loop held.
   */
  stateAfterTiles?: boolean;
}): Promise<{
  aligned: Alignment;
  blocked: string[];
  tiles: number;
  png: Buffer;
  points: [number, number][];
  /** CSP reports (`directive blocked-URI`): open mode's policy only reports, so this is how a stray fetch shows. */
  violations: string[];
  /** What ended the map's first-draw hold, and the tiles the page had asked for before it ended. */
  firstDraw: { hold: string | null; tilesAskedWhileHeld: number };
}> {
  const { browser, hub, center, isTile } = opts;
  const page: Page = await browser.context.newPage();
  const blocked: string[] = [];
  await page.addInitScript(() => {
    // Runs in the page; the e2e tsconfig has no DOM types.
    const g = globalThis as unknown as {
      __csp: string[];
      document: {
        addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
      };
    };
    g.__csp = [];
    g.document.addEventListener('securitypolicyviolation', (e) =>
      g.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const allowed = new Set([hub.base, ...opts.allowed]);
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || allowed.has(new URL(url).origin)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  let pending = 0,
    tiles = 0;
  const requested: string[] = [];
  let tileAsked = () => {};
  const firstTileAsked = new Promise<void>((r) => (tileAsked = r));
  page.on('request', (r) => (requested.push(r.url()), isTile(r.url()) && (pending++, tileAsked())));
  if (opts.stateAfterTiles) {
    await page.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await firstTileAsked;
      ws.connectToServer();
    });
  }
  const answered: string[] = [];
  page.on('requestfinished', (r) => isTile(r.url()) && (pending--, tiles++));
  page.on('response', (r) => isTile(r.url()) && answered.push(`${r.status()} ${new URL(r.url()).pathname}`));
  const failed: string[] = [];
  page.on('requestfailed', (r) => isTile(r.url()) && (pending--, failed.push(r.failure()?.errorText ?? '?')));
  // The page's errors, told with a failure: a tile that parses badly or a layer that throws shows here.
  const errors: string[] = [];
  page.on(
    'console',
    (m) =>
      m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text().slice(0, 300)),
  );
  page.on('pageerror', (e) => errors.push(e.message.slice(0, 300)));
  try {
    // At the wall's own device pixels: the alignment is measured 1:1 at zoom 14, and a slow software-GL draw would
    // otherwise lower the map's drawing resolution (map/resolution.ts) and soften both edges being compared.
    await page.goto(`${hub.base}/wall?resolution=full`);
    await waitForEgret(page, 'e.map !== null && e.snapshots > 0 && e.firstDrawHold !== null');
    // Resource Timing, on the clock the hold's end was taken on (the page's).
    const held = (await page.evaluate(`(() => {
      const e = globalThis.__egret;
      const asked = performance.getEntriesByType('resource').map((r) => [r.name, r.startTime]);
      return { hold: e.firstDrawHold, until: e.firstDrawHeldUntil, asked };
    })()`)) as { hold: string | null; until: number | null; asked: [string, number][] };
    const firstDraw = {
      hold: held.hold,
      tilesAskedWhileHeld: held.asked.filter(([url, at]) => isTile(url) && held.until !== null && at < held.until)
        .length,
    };
    // Frame the border for the canvas as it is once the wall's layout has settled (panels still arriving change
    // it): again if it changed meanwhile, so that tiles of 14 show at 1:1.
    const sameBox = (a: CanvasBox, b: CanvasBox) => a.width === b.width && a.height === b.height;
    let framed: CanvasBox | null = null;
    for (let attempt = 0; attempt < 4; attempt++) {
      let box = await canvasBox(page);
      for (;;) {
        await page.waitForTimeout(300);
        const again = await canvasBox(page);
        if (sameBox(box, again)) break;
        box = again;
      }
      if (framed && sameBox(framed, box)) break;
      // The extent that fits the canvas (less the wall's 64 px padding) exactly at zoom 13: tiles of 14 at 1:1.
      const [wx, wy] = toWorld(center, VIEW_ZOOM);
      const hw = (box.width - 128) / 2,
        hh = (box.height - 128) / 2;
      const [w, n] = fromWorld([wx - hw, wy - hh], VIEW_ZOOM);
      const [e, s] = fromWorld([wx + hw, wy + hh], VIEW_ZOOM);
      const ack = await (
        await hub.commander()
      )
        .timeout(10_000)
        .emitWithAck('wall:focus', { extent: [w, s, e, n], idempotencyKey: randomUUID() });
      if (!ack.ok) throw new Error(`wall:focus refused: ${ack.error}`);
      await page.locator('[data-focus]').waitFor({ timeout: 30_000 });
      framed = box;
    }
    const zoomNow = await page.evaluate(() => {
      const m = (
        globalThis as unknown as {
          __egret: { map: { views(): { id: string; width: number; bounds: [number, number, number, number] }[] } };
        }
      ).__egret.map;
      const v = m.views().find((x) => x.id === 'map')!;
      return Math.log2((v.width * 360) / (512 * (v.bounds[2] - v.bounds[0])));
    });
    console.log(opts.label, 'framed', JSON.stringify(framed), 'zoom', zoomNow);
    // The tiles of the view are requested and all answered, and the map shows them: two screenshots alike.
    const until = Date.now() + 60_000;
    while (!(tiles > 0 && pending === 0)) {
      if (Date.now() > until)
        throw new Error(
          `tiles never settled: ${tiles} loaded, ${pending} pending; ${errors.join(' | ')}; hub ${hub.base}, allowed ${[...allowed].join(' ')}; asked for ${requested.slice(-3).join(', ')}; failed ${[...new Set(failed)].join(', ')}`,
        );
      await page.waitForTimeout(100);
    }
    // Answered is not yet drawn: the layer decodes a tile after its response, and a map on software GL draws the
    // tiles that arrived only at its next draw (map/idle-frames.ts, map/draw-pacer.ts) — two alike screenshots taken
    // before that draw once showed a view with tiles missing (CI: 83 % of the boundary on magenta). So: a frame drawn
    // of the framed view with every tile of it loaded into the base map layer.
    const framedAndLoaded = `(() => {
      const drawn = e.map.drawnViews().find((v) => v.id === 'map');
      const now = e.map.views().find((v) => v.id === 'map');
      return !!drawn && !!now && drawn.bounds.every((x, i) => x === now.bounds[i]) &&
        e.map.drawnLayers().some((l) => l.id === 'basemap' && l.loaded);
    })()`;
    await waitForEgret(page, framedAndLoaded, 60_000).catch((err: unknown) => {
      throw new Error(`the map never drew the view's tiles all loaded; ${errors.join(' | ')}`, { cause: err });
    });
    // The middle of the map: clear of the overview inset (bottom left), the legend (bottom right), the banner.
    const at = await canvasBox(page);
    const clip = {
      x: at.x + at.width * 0.2,
      y: at.y + at.height * 0.12,
      width: at.width * 0.5,
      height: at.height * 0.5,
    };
    const magenta = (png: Buffer) => {
      const { data } = decodePng(png);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (isMagenta([data[i]!, data[i + 1]!, data[i + 2]!])) n++;
      return n;
    };
    let png = await page.screenshot({ clip });
    for (;;) {
      const next = await page.screenshot({ clip });
      if (Buffer.compare(next, png) === 0 && magenta(next) > 1_000) break;
      if (Date.now() > until)
        throw new Error(
          `the map never showed its tiles (${magenta(next)} magenta pixels; ${answered.slice(-12).join(', ')}); ${errors.join(' | ')}`,
        );
      png = next;
    }
    const aligned = alignment(decodePng(png));
    console.log(opts.label, JSON.stringify(aligned));
    const points = await page.evaluate(
      (ps) =>
        ps.map(([lon, lat]) =>
          (
            globalThis as unknown as { __egret: { map: { project(lon: number, lat: number): [number, number] } } }
          ).__egret.map.project(lon, lat),
        ),
      (opts.points ?? []).map((p) => [p[0], p[1]] as [number, number]),
    );
    // project() answers in canvas pixels: into the screenshot's.
    const inShot = points.map(([x, y]): [number, number] => [x + at.x - clip.x, y + at.y - clip.y]);
    const violations = await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp);
    return { aligned, blocked, tiles, png, points: inShot, violations, firstDraw };
  } finally {
    await page.close();
  }
}
