/**
 * 跨区派遣率 on a simulated normal day (issue #17, 属地管理): one hub in this process on a private Redis, the
 * simulator (normal-day, its auto-dispatcher on) as a child process at ×30 for a bounded real time, then the hub's
 * KPI report: the share of the day's tasks given to a unit of another district than the case's.
 *
 *   npx tsx scripts/measure-cross-district.ts [rule|none] [real minutes, default 4]
 *
 * `none` runs the hub without the jurisdiction rule (config settings.jurisdiction removed): the ranking alone, as
 * before. Same seed and world start for both, so the two runs see the same city and the same cases.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '@egret/config';
import type { KpiFigures, KpiReport } from '@egret/protocol';
import { openApp } from '@egret/server/app';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';

const mode = process.argv[2] ?? 'rule';
const minutes = Number(process.argv[3] ?? 4);
if ((mode !== 'rule' && mode !== 'none') || !(minutes > 0)) {
  console.error('usage: measure-cross-district.ts [rule|none] [real minutes]');
  process.exit(2);
}
const RATE = 30;
const START = '2026-12-07T08:00:00+08:00';

const dataDir = mkdtempSync(join(tmpdir(), 'egret-xdistrict-'));
const redis = await startEmbeddedRedis({ dataDir, persist: false, say: () => {} });
const config = loadConfig();
const settings = { ...config.settings };
if (mode === 'none') delete settings.jurisdiction;
const ns = `xd-${mode}-${process.pid}`;
const app = await openApp({
  redisUrl: redis.url,
  config: { ...config, settings },
  ns,
  hubId: `xd-${process.pid}`,
  logger: pino({ level: 'warn' }),
  displayDir: '/nonexistent-display-dist',
});
const port = await app.listen(0, '127.0.0.1');
const hubUrl = `http://127.0.0.1:${port}`;

const sim = spawn(process.execPath, ['--import', 'tsx', 'simulator/src/main.ts'], {
  env: {
    ...process.env,
    REDIS_URL: redis.url,
    EGRET_NS: ns,
    HUB_URL: hubUrl,
    SIM_SCENARIO: 'normal-day',
    SIM_SEED: '20160915',
    SIM_RATE: String(RATE),
    SIM_START: START,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise<void>((r) => sim.once('exit', () => r()));

const say = (f: KpiFigures | undefined) =>
  f
    ? `${f.crossDistrictTasks} of ${f.tasks} tasks across districts (${f.crossDistrictRate === null ? '—' : (f.crossDistrictRate * 100).toFixed(1) + ' %'}); ` +
      `filed ${f.filed}, dispatched ${f.dispatched}, closed ${f.closed}, on-time closure ${f.onTimeClosureRate === null ? '—' : (f.onTimeClosureRate * 100).toFixed(1) + ' %'}, overdue ${f.overdueOpen}`
    : '(no report yet)';
const report = async (): Promise<KpiReport | undefined> => {
  const res = await fetch(`${hubUrl}/api/kpi`);
  const body = (await res.json()) as KpiReport | { ok: true; data: KpiReport } | { ok: false };
  if ('ok' in body) return body.ok ? body.data : undefined;
  return body;
};

const endAt = Date.now() + minutes * 60_000;
while (Date.now() < endAt && sim.exitCode === null) {
  await new Promise((r) => setTimeout(r, Math.min(30_000, Math.max(0, endAt - Date.now()))));
  const r = await report();
  console.log(
    `[${mode}] ${new Date().toISOString()} world ${r ? new Date(r.at).toISOString() : '?'}: ${say(r?.all.city)}`,
  );
}
const final = await report();
console.log(`\n[${mode}] after ${minutes} real min at ×${RATE} from ${START} (seed 20160915):`);
console.log(`  all:   ${say(final?.all.city)}`);
for (const [d, f] of Object.entries(final?.all.byDistrict ?? {})) console.log(`  ${d}: ${say(f)}`);

sim.kill('SIGTERM');
const t = setTimeout(() => sim.kill('SIGKILL'), 10_000);
await exited;
clearTimeout(t);
await app.close();
await redis.stop();
rmSync(dataDir, { recursive: true, force: true });
