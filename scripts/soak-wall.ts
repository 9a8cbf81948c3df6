/**
 * `npm run soak:wall` — does the wall stay flat for a long run? Starts a private Redis, the hub and the simulator
 * (accelerated), opens the wall in Chromium (the end-to-end tests' launch), and once a minute forces a garbage
 * collection and samples the page's JS heap, then reports the heap at the start and the end, its growth, and how
 * many Decks the page created (it must stay 1). A measurement, not a test: it asserts nothing and exits 0 unless
 * something failed to start.
 *
 *   npm run soak:wall                       30 minutes (the target run)
 *   SOAK_MINUTES=5 npm run soak:wall        a quick check
 *
 * Environment: SOAK_MINUTES (30), SOAK_UNITS (300), SOAK_RATE (world ms per real ms, 30), SOAK_WIDTH (3840; the
 * wall's width, 5760 or 7680 for a spliced wall), SOAK_MODES (1: cycle peacetime → typhoon → major event once a
 * minute, so mode switches are part of the soak; 0: stay in peacetime). Each minute the soak also dispatches a few
 * filed cases, as a commander would, so active tasks and the squad table change too.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { build } from 'vite';
import { loadConfig } from '@egret/config';
import { PROTOCOL_VERSION, type ClientToServerEvents, type Mode, type ServerToClientEvents } from '@egret/protocol';
import { openApp } from '@egret/server/app';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';
import { CHROMIUM_PATH, launchChromium } from '../e2e/support/chromium.ts';
import { startSimulator } from '../e2e/support/simulator.ts';

const ROOT = resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`soak │ ${line}`);

interface Sample {
  minute: number;
  heapUsedMB: number;
  heapTotalMB: number;
  deckCount: number;
  seq: number;
  caseCount: number;
  framesReceived: number;
  mode: string;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}

const MB = 1024 * 1024;
/** Page code reaches the DOM untyped: this script is compiled without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;
const round1 = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const minutes = envNumber('SOAK_MINUTES', 30);
  const units = envNumber('SOAK_UNITS', 300);
  const rate = envNumber('SOAK_RATE', 30);
  const width = envNumber('SOAK_WIDTH', 3840);
  const cycleModes = process.env.SOAK_MODES !== '0';

  say('building the display …');
  await build({
    root: join(ROOT, 'display'),
    configFile: join(ROOT, 'display/vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
  });

  const dataDir = mkdtempSync(join(tmpdir(), 'egret-soak-redis-'));
  const redis = await startEmbeddedRedis({ dataDir, persist: false, install: false });
  const config = loadConfig();
  const ns = `soak-${process.pid}`;
  const app = await openApp({
    redisUrl: redis.url,
    config,
    ns,
    hubId: `soak-${process.pid}`,
    logger: pino({ level: 'warn' }),
  });
  const port = await app.listen(0, '127.0.0.1');
  const sim = startSimulator({
    REDIS_URL: redis.url,
    EGRET_NS: ns,
    SIM_UNITS: String(units),
    SIM_RATE: String(rate),
    SIM_START: '2026-07-01T08:00:00+08:00',
  });
  const browser = await launchChromium({ width, height: 2160 });
  const commander: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    auth: { protocol: PROTOCOL_VERSION, user: 'soak' },
  });

  const stopAll = async () => {
    commander.close();
    await browser.close().catch(() => undefined);
    await sim.stop();
    await app.close();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const url = `http://127.0.0.1:${port}/wall${width !== 3840 ? `?w=${width}` : ''}`;
    await page.goto(url);
    // Page code as functions, not strings: the hub's Content-Security-Policy forbids evaluating strings.
    await page.waitForFunction(
      () => {
        const e = (globalThis as Untyped).__egret;
        return !!e && e.caseCount > 0 && e.framesReceived > 2;
      },
      undefined,
      { timeout: 120_000, polling: 500 },
    );
    say(`wall ${url} live; sampling the heap every minute for ${minutes} min (units ${units}, ×${rate})`);

    const facts = () =>
      page.evaluate(() => {
        const g = globalThis as Untyped;
        const e = g.__egret;
        const mode = (g.document.querySelector('[data-mode]')?.getAttribute('data-mode') ?? '?') as string;
        return {
          deckCount: e.deckCount as number,
          seq: e.seq as number,
          caseCount: e.caseCount as number,
          framesReceived: e.framesReceived as number,
          mode,
        };
      });
    const sample = async (minute: number): Promise<Sample> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
      const s = {
        minute,
        heapUsedMB: round1(heap.usedSize / MB),
        heapTotalMB: round1(heap.totalSize / MB),
        ...(await facts()),
      };
      say(
        `min ${String(minute).padStart(3)} │ heap ${s.heapUsedMB} MB (of ${s.heapTotalMB}) │ decks ${s.deckCount} │ seq ${s.seq} │ cases ${s.caseCount} │ frames ${s.framesReceived} │ ${s.mode}`,
      );
      return s;
    };

    /** A commander's share of the work: a few filed cases a minute sent to free units of their district. */
    const dispatchSome = async (n: number) => {
      const world = app.world();
      const free = [...world.units.values()].filter((u) => u.status === 'available');
      let sent = 0;
      for (const c of world.cases.values()) {
        if (sent >= n) break;
        const unit = c.status === 'filed' ? free.find((u) => u.district === c.district) : undefined;
        if (!unit) continue;
        free.splice(free.indexOf(unit), 1);
        const res = await commander
          .timeout(10_000)
          .emitWithAck('case:dispatch', { caseId: c.id, unitId: unit.id, idempotencyKey: randomUUID() })
          .catch(() => null);
        if (res?.ok) sent++;
      }
      return sent;
    };

    const modes: Mode[] = ['peacetime', 'typhoon', 'major_event'];
    let dispatched = 0;
    const samples: Sample[] = [await sample(0)];
    for (let m = 1; m <= minutes; m++) {
      await new Promise((r) => setTimeout(r, 60_000));
      dispatched += await dispatchSome(3);
      if (cycleModes) {
        const mode = modes[m % modes.length]!;
        const res = await commander
          .timeout(10_000)
          .emitWithAck('mode:set', { mode, idempotencyKey: randomUUID() })
          .catch((err: Error) => ({ ok: false as const, error: 'timeout', message: err.message }));
        if (!res.ok && res.error !== 'already_in_mode') say(`mode:set ${mode} refused: ${res.error} ${res.message}`);
      }
      samples.push(await sample(m));
    }

    const first = samples[0]!;
    const last = samples.at(-1)!;
    // The first minute includes loading the city and deck.gl's one-time allocations; growth is judged after it.
    const settled = samples[Math.min(1, samples.length - 1)]!;
    const growth = (from: Sample) => round1(((last.heapUsedMB - from.heapUsedMB) / from.heapUsedMB) * 100);
    const chromiumVersion = execFileSync(CHROMIUM_PATH, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const cpuModel =
      readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model ?? 'unknown';
    console.log('\nWall soak result');
    console.log(
      `  run:          ${minutes} min, ${units} units, ×${rate} simulated time, ${width}×2160, modes ${cycleModes ? 'cycled each minute' : 'fixed'}`,
    );
    console.log(
      `  heap (after GC), MB: start ${first.heapUsedMB} · after 1 min ${settled.heapUsedMB} · end ${last.heapUsedMB}`,
    );
    console.log(`  growth:       ${growth(first)} % from the start, ${growth(settled)} % from minute 1`);
    console.log(`  peak:         ${Math.max(...samples.map((s) => s.heapUsedMB))} MB`);
    // The screen holds the world (every case of the log, as the reducer folds it): the heap grows with it. What
    // matters is that growth tracks the cases, not the minutes.
    const newCases = last.caseCount - settled.caseCount;
    if (newCases > 0)
      console.log(
        `  per case:     ${round1(((last.heapUsedMB - settled.heapUsedMB) * 1024) / newCases)} kB of heap per case added after minute 1 (${newCases} cases)`,
      );
    console.log(`  deckCount:    ${last.deckCount} (target 1)`);
    console.log(
      `  log events:   ${last.seq}, cases ${last.caseCount}, frames ${last.framesReceived}, cases dispatched by the soak ${dispatched}`,
    );
    console.log(`  machine:      nproc ${cpus().length}, ${cpuModel}, Node ${process.version}, ${chromiumVersion}`);
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
