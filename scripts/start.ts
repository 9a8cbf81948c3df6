/**
 * `npm start`: the whole system on one machine for a demo or a drill — a private Redis (unless REDIS_URL is set),
 * the hub and the simulator, each in its own process as in a deployment. Prints the wall's URL once the hub is
 * ready; Ctrl-C stops everything (the private Redis flushes its AOF, so the history survives a restart).
 *
 *   npm start                              normal day
 *   npm start -- --scenario typhoon-meranti
 *   npm start -- --no-simulator           hub only (a real city feeds it)
 *
 * The hub requires accounts (EGRET_AUTH=open turns them off for a closed lab): before it starts, this creates the
 * first admin on a fresh Redis (its one-time password is printed below the URLs), a service key for the
 * simulator's auto-dispatcher (HUB_TOKEN), and a one-use link that pairs a wall screen (docs/operations.md).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedRedis, type EmbeddedRedis } from '@egret/server/embedded-redis';
import { prepareStartAccess, type StartAccess } from '@egret/server/start-access';

const ROOT = resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`egret │ ${line}`);

function parseArgs(argv: string[]) {
  const args = { scenario: process.env.SIM_SCENARIO, simulator: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scenario') args.scenario = argv[++i];
    else if (a?.startsWith('--scenario=')) args.scenario = a.slice('--scenario='.length);
    else if (a === '--no-simulator') args.simulator = false;
    else throw new Error(`unknown option ${a}: use --scenario <name> or --no-simulator`);
  }
  return args;
}

function checkNode(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node ${process.versions.node} is too old: Egret needs Node 20.19 or newer.`);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the display when it has never been built or its sources changed since. */
function ensureDisplayBuilt(): void {
  const index = join(ROOT, 'display/dist/index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'display/src')), newestMtime(join(ROOT, 'protocol/src')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  say('building the display (once after each change, ~20 s) …');
  const r = spawnSync('npm', ['run', '--silent', 'build', '-w', '@egret/display'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('building the display failed (see above)');
}

function run(name: string, script: string, env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${name.padEnd(5)} │ `;
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(prefix + readable(line) + '\n');
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  return child;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: '', 40: 'WARN ', 50: 'ERROR ', 60: 'FATAL ' };
const QUIET_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'hub', 'hubId', 'part']);

/** A pino JSON line as one short human line (`WARN message key=value …`); other lines unchanged. */
function readable(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const extras = Object.entries(o)
      .filter(([k]) => !QUIET_FIELDS.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    return `${LEVELS[Number(o.level)] ?? ''}${String(o.msg ?? '')}${extras.length ? `  ${extras.join(' ')}` : ''}`;
  } catch {
    return line;
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the hub exited (code ${child.exitCode}) before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the hub was not ready within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  checkNode();
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'node_modules'))) throw new Error('dependencies are not installed: run `npm ci` first');
  ensureDisplayBuilt();

  let redis: EmbeddedRedis | undefined;
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    redis = await startEmbeddedRedis({ dataDir: join(ROOT, 'data/redis'), say, install: true });
    redisUrl = redis.url;
    say(`private Redis on ${redisUrl} (data in data/redis, AOF on; set REDIS_URL to use your own)`);
    // `npm run accounts` finds this Redis while it runs.
    writeFileSync(join(ROOT, 'data/redis/url'), redisUrl);
  }
  const open = process.env.EGRET_AUTH === 'open';
  const access: StartAccess | undefined = open
    ? undefined
    : await prepareStartAccess(redisUrl, process.env.EGRET_NS || 'egret');
  const port = process.env.PORT ?? '8080';
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping …');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            c.once('exit', () => done());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 8_000).unref();
          }),
      ),
    );
    if (redis) rmSync(join(ROOT, 'data/redis/url'), { force: true });
    await redis?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const hub = run('hub', 'server/src/main.ts', { REDIS_URL: redisUrl, PORT: port });
  children.push(hub);
  hub.on('exit', (code) => {
    if (!stopping) {
      say(`the hub stopped unexpectedly (code ${code})`);
      void stop(1);
    }
  });
  const base = `http://localhost:${port}`;
  await waitReady(base, hub, 30_000);
  if (args.simulator) {
    const sim = run(
      'sim',
      'simulator/src/main.ts',
      {
        REDIS_URL: redisUrl,
        HUB_URL: `http://127.0.0.1:${port}`,
        ...(access ? { HUB_TOKEN: access.hubToken } : {}),
      },
      args.scenario ? ['--scenario', args.scenario] : [],
    );
    children.push(sim);
    sim.on('exit', (code) => {
      if (!stopping && code !== 0) say(`the simulator stopped (code ${code}); the hub keeps running`);
    });
  }
  say('');
  if (access) {
    say(`wall:     ${base}/wall?pair=${access.pairToken}`);
    say('          (open it once on the wall screen: it pairs that browser for good; then just /wall)');
    say(`console:  ${base}/console   (log in; add people with: npm run accounts -- add <user> --role dispatcher)`);
  } else {
    say(`wall:     ${base}/wall`);
    say(`console:  ${base}/console   (EGRET_AUTH=open: no accounts, anyone can command)`);
  }
  say(`metrics:  ${base}/metrics`);
  if (access?.adminPassword) {
    say('');
    say(`first start: log in as admin with the one-time password ${access.adminPassword}`);
    say('             (you choose a new one at that first login; it is not shown again)');
  }
  say('Ctrl-C stops everything.');
}

main().catch((err: unknown) => {
  console.error(`egret │ ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
