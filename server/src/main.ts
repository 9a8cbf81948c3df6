/**
 * The hub process: the only file with side effects. Reads the environment and the config, starts the app and
 * stops it cleanly on SIGTERM/SIGINT.
 *
 *   REDIS_URL  (required)  the Redis holding the streams and the state (redis://…, or redis+sentinel://…)
 *   REDIS_SENTINELS, REDIS_MASTER_NAME   instead of REDIS_URL: find the master through Sentinel
 *              (host:port,host:port…; master name default egret), with REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD
 *   PORT       HTTP port (default: config/settings.json hub.port)
 *   HOST       interface to bind (default: all)
 *   EGRET_NS   key namespace (default egret → keys `{egret}:…`)
 *   HUB_ID     this hub's consumer name (default hub-<hostname>-<pid>); unique per running hub
 *   LOG_LEVEL  pino level (default info)
 *
 * Accounts and protection (docs/operations.md):
 *   EGRET_AUTH              required (default): accounts, sessions, keys and roles; `open` = no accounts (tests, lab demos)
 *   EGRET_SESSION_SECRET    signs session cookies (default: a secret generated once and kept in Redis)
 *   EGRET_COOKIE_SECURE     1 = the hub is reached over HTTPS: Secure cookies and HSTS
 *   EGRET_ALLOWED_ORIGINS   comma-separated origins besides the hub's own that browsers may use it from
 *   EGRET_TRUST_PROXY       Express `trust proxy` (e.g. 1, or loopback) when a proxy sets X-Forwarded-*
 *   EGRET_CSP_SOURCES       space-separated origins added to the CSP img-src/connect-src (a tile server)
 *   EGRET_RATE_LOGIN, EGRET_RATE_INGEST, EGRET_RATE_COMMANDS   limits per minute (defaults 5, 6000, 600)
 *
 *   EGRET_INGEST_APPLY_BATCH   control-plane inputs decided and committed per script call (default 500; 1 is
 *              one commit per input, the path before batches; docs/integration.md)
 */
import { hostname } from 'node:os';
import pino from 'pino';
import { ConfigError, loadConfig } from '@egret/config';
import { createApp } from './app.ts';
import type { AuthMode } from './auth/index.ts';
import { DEFAULT_LIMITS, type Limits } from './http/security.ts';
import { connectRedis, redact, redisUrlFromEnv } from './redis/connect.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

function fail(message: string): never {
  console.error(`hub: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const redisUrl = redisUrlFromEnv(process.env);
  if (!redisUrl)
    fail(
      'REDIS_URL is not set: point it at a Redis server, or set REDIS_SENTINELS and REDIS_MASTER_NAME (npm start provides a private one)',
    );
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`bad config:\n${err.message}`);
    throw err;
  }
  const port = process.env.PORT !== undefined ? Number(process.env.PORT) : config.settings.hub.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`PORT must be a port number, got ${process.env.PORT}`);
  const host = process.env.HOST || undefined;
  const hubId = process.env.HUB_ID || `hub-${hostname()}-${process.pid}`;
  const env = (name: string) => process.env[name]?.trim() || undefined;
  const authMode = env('EGRET_AUTH') ?? 'required';
  if (authMode !== 'required' && authMode !== 'open') fail(`EGRET_AUTH must be required or open, got ${authMode}`);
  if (authMode === 'open')
    console.error(
      'hub: WARNING: EGRET_AUTH=open — no accounts: anyone who reaches this hub can command it. Tests and closed-lab demos only.',
    );
  const limits: Partial<Limits> = {};
  for (const [name, limit] of [
    ['EGRET_RATE_LOGIN', 'login'],
    ['EGRET_RATE_INGEST', 'ingest'],
    ['EGRET_RATE_COMMANDS', 'commands'],
  ] as const) {
    const v = env(name);
    if (v === undefined) continue;
    const max = Number(v);
    if (!Number.isInteger(max) || max < 1) fail(`${name} must be a whole number of requests per minute, got ${v}`);
    limits[limit] = { ...DEFAULT_LIMITS[limit], max };
  }
  const trust = env('EGRET_TRUST_PROXY');
  const secret = env('EGRET_SESSION_SECRET');
  if (secret !== undefined && secret.length < 32)
    fail('EGRET_SESSION_SECRET must have at least 32 characters (e.g. openssl rand -base64 48)');

  const applyBatch = env('EGRET_INGEST_APPLY_BATCH');
  if (applyBatch !== undefined && !(Number.isInteger(Number(applyBatch)) && Number(applyBatch) >= 1))
    fail(`EGRET_INGEST_APPLY_BATCH must be a whole number ≥ 1, got ${applyBatch}`);

  // Connect first (a Redis that cannot be reached stops the process with one message naming it), then wire the app.
  const redis = await connectRedis(redisUrl, { name: `egret-${hubId}` });
  const app = createApp({
    redis,
    redisUrl,
    config,
    ns: process.env.EGRET_NS || 'egret',
    hubId,
    logger,
    realNow: Date.now,
    auth: authMode as AuthMode,
    ...(applyBatch !== undefined ? { ingestApplyBatch: Number(applyBatch) } : {}),
    authOptions: {
      sessionSecret: secret,
      cookieSecure: env('EGRET_COOKIE_SECURE') === '1',
      allowedOrigins: env('EGRET_ALLOWED_ORIGINS')
        ?.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      trustProxy:
        trust === undefined ? undefined : /^\d+$/.test(trust) ? Number(trust) : trust === 'true' ? true : trust,
      cspSources: env('EGRET_CSP_SOURCES')?.split(/\s+/),
      limits,
    },
    // Printed once, on stdout only (never into the JSON log, which may be shipped elsewhere).
    firstAdmin: (password) => {
      console.log(`hub: ┌──────────────────────────────────────────────────────────────────────────`);
      console.log(`hub: │ first start: created the account admin with the one-time password ${password}`);
      console.log(`hub: │ log in at /login and choose a new password; it is not shown again`);
      console.log(`hub: └──────────────────────────────────────────────────────────────────────────`);
    },
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('clean shutdown took too long; exiting');
      process.exit(1);
    }, 8_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const bound = await app.listen(port, host);
  const shown = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
  logger.info({ hubId, redis: redact(redisUrl), port: bound }, 'hub ready');
  console.log(`hub: wall at http://${shown}:${bound}/wall (console /console, metrics /metrics)`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
