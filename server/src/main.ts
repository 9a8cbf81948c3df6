/**
 * The hub process: the only file with side effects. Reads the environment and the config, starts the app and
 * stops it cleanly on SIGTERM/SIGINT.
 *
 *   REDIS_URL  (required)  the Redis holding the streams and the state
 *   PORT       HTTP port (default: config/settings.json hub.port)
 *   HOST       interface to bind (default: all)
 *   EGRET_NS   key namespace (default egret → keys `{egret}:…`)
 *   HUB_ID     this hub's consumer name (default hub-<hostname>-<pid>); unique per running hub
 *   LOG_LEVEL  pino level (default info)
 */
import { hostname } from 'node:os';
import pino from 'pino';
import { ConfigError, loadConfig } from '@egret/config';
import { createApp } from './app.ts';
import { redact } from './redis/connect.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

function fail(message: string): never {
  console.error(`hub: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) fail('REDIS_URL is not set: point it at a Redis server (npm start provides a private one)');
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

  const app = createApp({ redisUrl, config, ns: process.env.EGRET_NS || 'egret', hubId, logger, realNow: Date.now });
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
