/**
 * `npm run bench:latency` — how long a wall takes to follow the console: 推屏 (a case put on the wall) and a mode
 * switch, from the command's receipt to the event reaching the wall's socket, to the wall's page showing it, and
 * (on the real map) to the map having drawn it. The 4K wall on the real map (SwiftShader here: each frame blocks the
 * page 1–1.5 s) beside the same wall without its canvas (`?map=off`), the baseline, in one run; a live city of a few
 * hundred moving units and its cases around it. A measurement, not a test: it prints a table and asserts nothing.
 * The end-to-end tests check that the wall follows; the targets (event → shown < 1 s, command → shown < 5 s) are
 * read here.
 *
 * Environment: BENCH_ROUNDS (8 switches of each kind per wall), BENCH_UNITS (300).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { loadConfig } from '@egret/config';
import { isCaseOpen } from '@egret/protocol';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';
import { launchChromium } from '../e2e/support/chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const UNITS = Number(process.env.BENCH_UNITS ?? 300);
const say = (line: string) => console.log(`bench │ ${line}`);
/**
 * A commander's pause between two actions (2–4 s): commands land at any moment of the wall's draw cycle, not always
 * right after the draw the previous one caused (the page blocks a while after a frame on software GL).
 */
const pause = () => new Promise((r) => setTimeout(r, 2_000 + Math.random() * 2_000));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

/** In the page, before its scripts: when each event of interest reaches the socket, and when the DOM shows it. */
function instrument(): void {
  const g = globalThis as Untyped;
  const Native = g.WebSocket;
  g.__bench = { arrived: { 'focus.changed': [], 'mode.changed': [] } as Record<string, number[]> };
  g.WebSocket = class extends Native {
    constructor(...args: Untyped[]) {
      super(...args);
      this.addEventListener('message', (ev: Untyped) => {
        if (typeof ev.data !== 'string') return;
        for (const type of Object.keys(g.__bench.arrived))
          if (ev.data.includes(`"${type}"`)) g.__bench.arrived[type].push(Date.now());
      });
    }
  };
}

/**
 * Waits in the page until `shown()` holds, checking on every DOM change and animation frame; answers when it first
 * held and when the map had drawn it (`drawn()`, or null without a canvas), by the page's clock.
 */
function watch(page: Page, what: 'focus' | 'mode', value: string) {
  return page.evaluate(
    ({ what, value }) =>
      new Promise<{ shownAt: number; handedAt: number; drawnAt: number | null }>((done) => {
        const g = globalThis as Untyped;
        const doc = g.document;
        const layerOn = (layers: { id: string; visible: boolean; length: number }[] | undefined) =>
          what === 'mode'
            ? !!layers?.find((l) => l.id === 'case-heat')?.visible === (value === 'typhoon')
            : (layers?.find((l) => l.id === 'selected-case')?.length ?? 0) > 0;
        const shown = () =>
          what === 'mode'
            ? doc.querySelector('[data-mode]')?.getAttribute('data-mode') === value
            : doc.querySelector(`[data-focus="${value}"]`) !== null;
        let shownAt: number | null = null;
        let handedAt: number | null = null;
        const canvas = g.__egret?.map?.drawnLayers && !g.location.search.includes('map=off');
        const check = () => {
          const now = Date.now();
          if (shownAt === null && shown()) shownAt = now;
          if (handedAt === null && layerOn(g.__egret?.map?.layers())) handedAt = now;
          const drawn = canvas ? layerOn(g.__egret.map.drawnLayers()) : true;
          if (shownAt !== null && handedAt !== null && drawn) {
            observer.disconnect();
            done({ shownAt, handedAt, drawnAt: canvas ? now : null });
          } else g.requestAnimationFrame(check);
        };
        const observer = new g.MutationObserver(check);
        observer.observe(doc, { childList: true, subtree: true, attributes: true });
        check();
      }),
    { what, value },
  );
}

function stats(xs: number[]): string {
  if (!xs.length) return '—';
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `${q(0.5)} / ${q(0.95)} / ${s[s.length - 1]}`;
}

const dataDir = mkdtempSync(join(tmpdir(), 'egret-bench-latency-'));
const displayDir = join(dataDir, 'display');
say('building the display …');
await build({
  root: join(ROOT, 'display'),
  configFile: join(ROOT, 'display/vite.config.ts'),
  logLevel: 'error',
  build: { outDir: displayDir, emptyOutDir: true },
});
process.env.EGRET_E2E_DISPLAY_DIR = displayDir;
const { startHub } = await import('../e2e/support/hub.ts');
const { keepFixesFresh, simulateCity, writeCity } = await import('../e2e/support/world.ts');

const redisServer = await startEmbeddedRedis({ dataDir, persist: false, install: false });
const config = loadConfig();
const hub = await startHub({ redisUrl: redisServer.url, config, label: 'bench-latency' });
const city = simulateCity({ config, units: UNITS, start: Date.parse('2026-07-01T09:00:00+08:00'), minutes: 30 });
await writeCity(hub, city);
const stopFixes = keepFixesFresh(hub, city.fixes, 1_000);
const cases = [...hub.app.world().cases.values()].filter(isCaseOpen).map((c) => c.id);
say(`${hub.app.world().units.size} units moving, ${cases.length} open cases; ${ROUNDS} rounds per wall`);
const commander = await hub.commander();

type Row = { wall: string; what: string; arrive: number[]; show: number[]; hand: number[]; draw: number[] };
const rows: Row[] = [];
try {
  for (const [wall, query] of [
    ['4K, map off (baseline)', '?map=off'],
    ['4K, real map (SwiftShader)', ''],
  ] as const) {
    const browser = await launchChromium({ width: 3840, height: 2160 });
    try {
      const page = await browser.context.newPage();
      // tsx names the functions this file hands the page (`__name(fn, "check")`): give the page that helper.
      await page.addInitScript('globalThis.__name = (fn) => fn;');
      await page.addInitScript(instrument);
      await page.goto(`${hub.base}/wall${query}`);
      await page.waitForFunction(
        () => {
          const e = (globalThis as Untyped).__egret;
          return !!e && e.link === 'live' && e.unitsPositioned > 0 && e.caseCount > 0;
        },
        undefined,
        { timeout: 120_000, polling: 250 },
      );
      const focus: Row = { wall, what: '推屏 a case', arrive: [], show: [], hand: [], draw: [] };
      const mode: Row = { wall, what: 'mode switch', arrive: [], show: [], hand: [], draw: [] };
      rows.push(focus, mode);
      for (let k = 0; k < ROUNDS; k++) {
        // 推屏 of a case, then the walls released.
        const caseId = cases[k % cases.length]!;
        await pause();
        const seen = watch(page, 'focus', caseId);
        const sent = Date.now();
        const ack = await commander.timeout(10_000).emitWithAck('wall:focus', { caseId, idempotencyKey: randomUUID() });
        if (!ack.ok) throw new Error(`wall:focus refused: ${JSON.stringify(ack)}`);
        const t = await seen;
        const arrived = await page.evaluate(
          (since) => ((globalThis as Untyped).__bench.arrived['focus.changed'] as number[]).find((x) => x >= since),
          sent,
        );
        focus.arrive.push(arrived! - sent);
        focus.show.push(t.shownAt - arrived!);
        focus.hand.push(t.handedAt - arrived!);
        if (t.drawnAt !== null) focus.draw.push(t.drawnAt - arrived!);
        await commander.timeout(10_000).emitWithAck('wall:focus', { idempotencyKey: randomUUID() });
        // Released, on the page and on the map, before the next round measures anything.
        await page.waitForFunction(
          () => {
            const g = globalThis as Untyped;
            const map = g.__egret?.map;
            const none = (ls: { id: string; length: number }[] | undefined) =>
              (ls?.find((l) => l.id === 'selected-case')?.length ?? 0) === 0;
            return !g.document.querySelector('[data-focus]') && none(map?.layers()) && none(map?.drawnLayers());
          },
          undefined,
          { timeout: 60_000, polling: 100 },
        );

        // A mode switch: typhoon, then back.
        for (const m of ['typhoon', 'peacetime'] as const) {
          await pause();
          const seenMode = watch(page, 'mode', m);
          const sentMode = Date.now();
          await hub.setMode(m);
          const tm = await seenMode;
          const arrivedMode = await page.evaluate(
            (since) => ((globalThis as Untyped).__bench.arrived['mode.changed'] as number[]).find((x) => x >= since),
            sentMode,
          );
          mode.arrive.push(arrivedMode! - sentMode);
          mode.show.push(tm.shownAt - arrivedMode!);
          mode.hand.push(tm.handedAt - arrivedMode!);
          if (tm.drawnAt !== null) mode.draw.push(tm.drawnAt - arrivedMode!);
        }
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await stopFixes();
  await hub.close();
  await redisServer.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log('');
console.log('ms, median / p95 / max; "event" = the event reaching the wall\'s socket');
console.log('| wall | what | command → event | event → page shows it | event → map has it | event → map drew it |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.wall} | ${r.what} | ${stats(r.arrive)} | ${stats(r.show)} | ${stats(r.hand)} | ${stats(r.draw)} |`,
  );
console.log('targets: event → page shows it < 1,000 ms; command → shown < 5,000 ms (issue #19: < 2 s to respond)');
