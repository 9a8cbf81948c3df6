import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';

/**
 * The deployment of docker-compose.yml, as real processes on loopback ports, without Docker: Redis master and
 * replica (AOF, everysec), three redis-sentinel processes, and Debian's nginx running the project's own proxy
 * template (deploy/nginx.conf.template). The hubs are started by the test (hub-process.ts).
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const NGINX_TEMPLATE = join(ROOT, 'deploy/nginx.conf.template');
export const MASTER_NAME = 'egret';

/** The Debian binaries the deployment test runs; throws naming the apt command when one is missing. */
export function deploymentBinaries(): { redisServer: string; redisSentinel: string; nginx: string } {
  const find = (names: string[]) => names.find((p) => existsSync(p));
  const redisServer = find(['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server']);
  const redisSentinel = find(['/usr/bin/redis-sentinel', '/usr/sbin/redis-sentinel', '/usr/local/bin/redis-sentinel']);
  const nginx = find(['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']);
  const missing = [!redisServer && 'redis-server', !redisSentinel && 'redis-sentinel', !nginx && 'nginx-light'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    throw new Error(
      `the deployment test needs ${missing.join(', ')}: sudo apt-get install -y ${missing.join(' ')} (npm test installs them when run as root)`,
    );
  }
  return { redisServer: redisServer!, redisSentinel: redisSentinel!, nginx: nginx! };
}

/**
 * Renders a template as the nginx image's entrypoint does (envsubst limited to the variables given): `${NAME}` for
 * each given name is replaced; nginx's own `$variables` are left alone. Throws if a `${…}` is left unrendered.
 */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const out = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    name in vars ? vars[name]! : whole,
  );
  const left = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(out.replace(/^\s*#.*$/gm, ''));
  if (left) throw new Error(`the nginx template needs ${left[1]}`);
  return out;
}

/** The `${NAME}` variables a template uses outside its comments. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.replace(/^\s*#.*$/gm, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1]!);
  return [...names].sort();
}

/** Every stack process started in this test process, so that a failure half-way through leaves none behind. */
const started = new Set<StackProcess>();

/** Kills every stack process still running (afterAll, whatever failed). */
export async function killStackProcesses(): Promise<void> {
  await Promise.all([...started].map((p) => p.kill()));
  started.clear();
}

/** A child process of the stack: killed with its whole process group (nginx's workers outlive a killed master). */
export class StackProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private out = '';

  constructor(
    readonly label: string,
    bin: string,
    args: string[],
    cwd: string,
  ) {
    this.child = spawn(bin, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => (this.out = (this.out + b.toString()).slice(-8_000));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
    started.add(this);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.out;
  }

  /** SIGKILL to the whole group, as on a power cut. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}

/** Waits until `cond` holds, polling; throws naming what it waited for. */
export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = tcpConnect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** One command to a Redis or Sentinel on loopback, on a connection of its own. */
export async function redisCommand(port: number, args: string[]): Promise<unknown> {
  const c = createClient({ socket: { host: '127.0.0.1', port, connectTimeout: 1_000, reconnectStrategy: false } });
  c.on('error', () => {});
  try {
    await c.connect();
    return await c.sendCommand(args);
  } finally {
    c.destroy();
  }
}

export interface RedisSet {
  master: StackProcess;
  replica: StackProcess;
  sentinels: StackProcess[];
  masterPort: number;
  replicaPort: number;
  sentinelPorts: number[];
  /** `redis+sentinel://127.0.0.1:p1,…/egret`: what the hubs are given (as REDIS_SENTINELS + REDIS_MASTER_NAME). */
  sentinelUrl: string;
}

/**
 * Redis master + one replica (AOF, `appendfsync everysec`) and three Sentinels (quorum 2) watching them, with short
 * failure detection (down after 1 s) so a failover fits in a test. Waits until the Sentinels know the replica and
 * each other: before that a failover could not happen.
 */
export async function startRedisSet(
  dir: string,
  ports: { master: number; replica: number; sentinels: number[] },
  bins: ReturnType<typeof deploymentBinaries>,
): Promise<RedisSet> {
  const server = (name: string, port: number, extra: string[]) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    return new StackProcess(
      name,
      bins.redisServer,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        d,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--logfile',
        join(d, 'redis.log'),
        '--daemonize',
        'no',
        '--protected-mode',
        'no',
        ...extra,
      ],
      d,
    );
  };
  const master = server('redis-master', ports.master, []);
  const replica = server('redis-replica', ports.replica, ['--replicaof', '127.0.0.1', String(ports.master)]);
  await until('the Redis master', () => listening(ports.master), 10_000);
  await until(
    'the replica in sync',
    async () => /master_link_status:up/.test(String(await redisCommand(ports.replica, ['INFO', 'replication']))),
    20_000,
  );

  const sentinels = ports.sentinels.map((port, i) => {
    const d = join(dir, `sentinel-${i + 1}`);
    mkdirSync(d, { recursive: true });
    const conf = join(d, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        'protected-mode no',
        'daemonize no',
        `dir ${d}`,
        `logfile ${join(d, 'sentinel.log')}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${ports.master} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    return new StackProcess(`sentinel-${i + 1}`, bins.redisSentinel, [conf], d);
  });
  // Sentinels find the replica from the master's INFO and each other through hello messages (every 2 s).
  await until(
    'three Sentinels that know the replica and each other',
    async () => {
      for (const port of ports.sentinels) {
        const reply = (await redisCommand(port, ['SENTINEL', 'MASTER', MASTER_NAME])) as
          string[] | Record<string, string>;
        // RESP2 answers a flat list of names and values, RESP3 a map.
        const field = (k: string) => (Array.isArray(reply) ? reply[reply.indexOf(k) + 1] : reply[k]);
        if (field('num-slaves') !== '1' || field('num-other-sentinels') !== '2') return false;
      }
      return true;
    },
    30_000,
    200,
  );
  return {
    master,
    replica,
    sentinels,
    masterPort: ports.master,
    replicaPort: ports.replica,
    sentinelPorts: ports.sentinels,
    sentinelUrl: `redis+sentinel://${ports.sentinels.map((p) => `127.0.0.1:${p}`).join(',')}/${MASTER_NAME}`,
  };
}

/** The master's port as the Sentinels name it now. */
export async function sentinelMasterPort(sentinelPort: number): Promise<number | undefined> {
  const reply = (await redisCommand(sentinelPort, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME])) as
    string[] | null;
  return reply ? Number(reply[1]) : undefined;
}

/**
 * The variables a hub of the deployment is started with: docker-compose.yml gives its hubs these same names
 * (deployment-compose.test.ts checks it), with service names where the test has loopback ports.
 */
export function hubEnvironment(o: {
  sentinelPorts: number[];
  ns: string;
  hubId: string;
  port: number;
}): Record<HubEnvName, string> {
  return {
    REDIS_SENTINELS: o.sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    REDIS_MASTER_NAME: MASTER_NAME,
    EGRET_NS: o.ns,
    HUB_ID: o.hubId,
    PORT: String(o.port),
    HOST: '127.0.0.1',
    EGRET_AUTH: 'required',
    EGRET_TRUST_PROXY: '1',
    EGRET_SESSION_SECRET: 'deployment-test-secret-0123456789-abcdefghij',
    EGRET_COOKIE_SECURE: '0',
    LOG_LEVEL: 'warn',
  };
}

export const HUB_ENV_NAMES = [
  'REDIS_SENTINELS',
  'REDIS_MASTER_NAME',
  'EGRET_NS',
  'HUB_ID',
  'PORT',
  'HOST',
  'EGRET_AUTH',
  'EGRET_TRUST_PROXY',
  'EGRET_SESSION_SECRET',
  'EGRET_COOKIE_SECURE',
  'LOG_LEVEL',
] as const;
export type HubEnvName = (typeof HUB_ENV_NAMES)[number];

export interface Proxy {
  process: StackProcess;
  url: string;
  /** The rendered http-context file (what the nginx image makes of the template). */
  rendered: string;
  errorLog(): string;
}

/** The variables the deployment test renders the template with (compose gives the same names other values). */
export function testProxyVariables(proxyPort: number, hubPorts: [number, number]): Record<string, string> {
  return {
    EGRET_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
    EGRET_HUB_1: `127.0.0.1:${hubPorts[0]}`,
    EGRET_HUB_2: `127.0.0.1:${hubPorts[1]}`,
    EGRET_HUB_RESOLVE: '', // literal addresses: nothing to look up (and Debian 12's nginx 1.22 predates `resolve`)
    EGRET_RESOLVER: '127.0.0.1',
  };
}

/** Debian's nginx with the project's template rendered for loopback ports: a prefix of its own, no daemon. */
export async function startProxy(
  dir: string,
  proxyPort: number,
  hubPorts: [number, number],
  bins: ReturnType<typeof deploymentBinaries>,
): Promise<Proxy> {
  const d = join(dir, 'nginx');
  mkdirSync(join(d, 'temp'), { recursive: true });
  // Workers run as an unprivileged user when nginx starts as root: they need the temp folders.
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(d, 'temp', t), { recursive: true });
    chmodSync(join(d, 'temp', t), 0o777);
  }
  chmodSync(dir, 0o755);
  chmodSync(d, 0o755);
  chmodSync(join(d, 'temp'), 0o755);
  const rendered = renderTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), testProxyVariables(proxyPort, hubPorts));
  writeFileSync(join(d, 'egret.conf'), rendered);
  writeFileSync(
    join(d, 'nginx.conf'),
    [
      'worker_processes 1;',
      `error_log ${join(d, 'error.log')} info;`,
      `pid ${join(d, 'nginx.pid')};`,
      'events { worker_connections 512; }',
      'http {',
      `  access_log ${join(d, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(d, 'temp', t)};`),
      `  include ${join(d, 'egret.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const process = new StackProcess(
    'nginx',
    bins.nginx,
    ['-p', `${d}/`, '-e', join(d, 'error.log'), '-c', join(d, 'nginx.conf'), '-g', 'daemon off;'],
    d,
  );
  const errorLog = () => (existsSync(join(d, 'error.log')) ? readFileSync(join(d, 'error.log'), 'utf8') : '');
  await until(
    'nginx listening',
    async () => {
      if (!process.alive)
        throw Object.assign(new Error(`nginx exited: ${process.output()}\n${errorLog()}`), { fatal: true });
      return listening(proxyPort);
    },
    10_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${process.output()}\n${errorLog()}`);
  });
  return { process, url: `http://127.0.0.1:${proxyPort}`, rendered, errorLog };
}

/** A temporary folder for the stack, removed by `remove()`. */
export function stackDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'egret-deploy-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
