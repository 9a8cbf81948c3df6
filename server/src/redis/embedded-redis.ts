import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { platform } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

/**
 * A private redis-server for `npm start` and the tests when no REDIS_URL is given: spawned on a free loopback
 * port with its data (AOF on) in `dataDir`, so a demo's history survives a restart. A pidfile in `dataDir` lets
 * the next start reap a server left behind by a killed run.
 */
export interface EmbeddedRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  dataDir: string;
  /** Where progress is reported (obtaining a server, reaping a stale one). */
  say?: (line: string) => void;
  /** Install redis-server with the system package manager when it is missing (npm start, npm test: yes). */
  install?: boolean;
  /** Keep data on disk (AOF). Tests turn it off for speed. */
  persist?: boolean;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

const INSTRUCTIONS = [
  'Egret needs a Redis server (7 or newer). Either:',
  '  • install one: Debian/Ubuntu `sudo apt-get install -y redis-server`, macOS `brew install redis`, then run again;',
  '  • or point at an existing server: `REDIS_URL=redis://host:6379 npm start`;',
  '  • or run the whole system in containers: `docker compose up`.',
].join('\n');

/** The redis-server binary on this machine, if any. */
export function findRedisServer(): string | undefined {
  const candidates = [
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/bin',
    '/opt/homebrew/bin',
  ];
  for (const dir of candidates) {
    const bin = join(dir, 'redis-server');
    if (existsSync(bin)) return bin;
  }
  return undefined;
}

/** Installs redis-server with the system's package manager where that can be done unattended; says what it does. */
export function obtainRedisServer(say: (line: string) => void): string {
  const existing = findRedisServer();
  if (existing) return existing;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  try {
    if (platform() === 'linux' && existsSync('/usr/bin/apt-get') && isRoot) {
      say('redis-server is not installed: installing it with apt-get (Debian package redis-server) …');
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else if (platform() === 'darwin' && hasCommand('brew')) {
      say('redis-server is not installed: installing it with Homebrew (brew install redis) …');
      execFileSync('brew', ['install', 'redis'], { stdio: 'inherit' });
    }
  } catch (err) {
    throw new RedisUnavailableError(`Installing redis-server failed (${(err as Error).message}).\n${INSTRUCTIONS}`);
  }
  const found = findRedisServer();
  if (!found) throw new RedisUnavailableError(`redis-server was not found on this machine.\n${INSTRUCTIONS}`);
  return found;
}

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Kills a redis-server left behind by a run that was killed before it could stop it. */
function reapStale(pidFile: string, say: (line: string) => void): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    if (platform() === 'linux') return; // not running any more
  }
  if (platform() === 'linux' && !cmdline.includes('redis-server')) return; // the pid was reused by something else
  try {
    process.kill(pid, 'SIGTERM');
    say(`stopped a private redis-server (pid ${pid}) left behind by an earlier run`);
  } catch {
    /* already gone */
  }
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new RedisUnavailableError(`redis-server exited at start (code ${child.exitCode})`);
    const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return;
    } catch (err) {
      lastError = err;
      client.destroy();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new RedisUnavailableError(`redis-server did not answer within ${timeoutMs} ms (${String(lastError)})`);
}

export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const say = options.say ?? (() => {});
  const bin = options.install === false ? findRedisServer() : obtainRedisServer(say);
  if (!bin) throw new RedisUnavailableError(`redis-server was not found on this machine.\n${INSTRUCTIONS}`);
  mkdirSync(options.dataDir, { recursive: true });
  const pidFile = join(options.dataDir, 'redis-server.pid');
  reapStale(pidFile, say);
  const port = await freePort();
  const persist = options.persist ?? true;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dataDir,
    '--daemonize',
    'no',
    '--appendonly',
    persist ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--protected-mode',
    'yes',
    '--logfile',
    '',
    '--loglevel',
    'warning',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!child.pid) throw new RedisUnavailableError(`could not start ${bin}`);
  writeFileSync(pidFile, String(child.pid));
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid,
    stop() {
      stopped ??= new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => {
          rmSync(pidFile, { force: true });
          done();
        });
        child.kill('SIGTERM'); // redis flushes the AOF on SIGTERM
      });
      return stopped;
    },
  };
}
