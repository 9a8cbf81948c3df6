/**
 * `npm run accounts -- <command>`: manage who may use the hub, straight in Redis (every hub sees the change at
 * once). Reads REDIS_URL and EGRET_NS like the hub; without REDIS_URL it uses `npm start`'s private Redis in
 * data/redis (the running one, or starts it for the moment). See docs/operations.md.
 *
 *   add <user> --role viewer|dispatcher|commander|admin    prints a one-time password (changed at first login)
 *   add <user> --role inspector --grids <g1,g2>            an inspector (监督员) of the field terminal, with their grids
 *   grids <user> <g1,g2>                                   sets an inspector's grids
 *   passwd <user>                                          a new one-time password
 *   role <user> <role>                                     changes a role (ends the user's sessions)
 *   remove <user>
 *   list                                                   people, keys, devices, walls, waiting pairings
 *   apikey create <name> --role ingest|dispatcher          prints the token once; same name again = rotate
 *   apikey revoke <id|name>
 *   device create <unitId>                                 a field device's token, bound to that unit
 *   device revoke <unitId>
 *   pair-wall <name> [--url http://hub:8080]               a one-time link that pairs a wall screen
 *   unpair <name>                                          ends that wall's sessions
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { redisKeys } from '@egret/protocol';
import { connectRedis, redact, redisUrlFromEnv, type Redis } from '../redis/connect.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/embedded-redis.ts';
import { AccountError, AccountStore } from './accounts.ts';
import { FIELD_USER_ROLES, KEY_ROLES, USER_ROLES } from './permissions.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Where `npm start` notes the URL of its private Redis while it runs. */
export const PRIVATE_REDIS_URL_FILE = join(ROOT, 'data/redis/url');

const USAGE = `usage: npm run accounts -- <command>
  add <user> --role ${[...USER_ROLES, ...FIELD_USER_ROLES].join('|')} [--grids <g1,g2> (inspectors)]
  grids <user> <g1,g2>
  passwd <user>
  role <user> <${USER_ROLES.join('|')}>
  remove <user>
  list
  apikey create <name> --role ${KEY_ROLES.join('|')}
  apikey revoke <id|name>
  device create <unitId>
  device revoke <unitId>
  pair-wall <name> [--url http://hub:8080]
  unpair <name>`;

export interface CliContext {
  store: AccountStore;
  /** Where lines go (stdout). */
  out(line: string): void;
  /** The hub's address as walls reach it, for pairing links. */
  publicUrl: string;
}

/** Runs one command; answers the exit code. Refusals (`AccountError`) print their message and answer 1. */
export async function runAccountsCommand(argv: readonly string[], c: CliContext): Promise<number> {
  const args = [...argv];
  const option = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    if (v === undefined || v.startsWith('--')) throw new AccountError(`--${name} needs a value`);
    return v;
  };
  try {
    const role = option('role');
    const grids = option('grids')?.split(',');
    const url = (option('url') ?? c.publicUrl).replace(/\/+$/, '');
    const [command, a, b] = args;
    const need = (v: string | undefined, what: string): string => {
      if (!v) throw new AccountError(`${command}: say which ${what}\n${USAGE}`);
      return v;
    };
    switch (command) {
      case 'add': {
        const user = need(a, 'user');
        const { password } = await c.store.add(user, need(role, 'role (--role)'), undefined, grids);
        c.out(`added ${user} (${role}${grids ? `, grids ${grids.join(',')}` : ''}); one-time password: ${password}`);
        c.out('they choose their own password at first login');
        return 0;
      }
      case 'passwd': {
        const user = need(a, 'user');
        const { password } = await c.store.setPassword(user);
        c.out(`${user}: new one-time password: ${password} (their sessions have ended)`);
        return 0;
      }
      case 'role': {
        await c.store.setRole(need(a, 'user'), need(b, 'role'));
        c.out(`${a} is now ${b} (their sessions have ended)`);
        return 0;
      }
      case 'grids': {
        const list = await c.store.setGrids(need(a, 'user'), need(b, 'grids (g1,g2)').split(','));
        c.out(`${a} now verifies cases in ${list.length} grid${list.length === 1 ? '' : 's'}: ${list.join(', ')}`);
        return 0;
      }
      case 'remove': {
        const user = need(a, 'user');
        if (!(await c.store.remove(user))) throw new AccountError(`no user "${user}"`);
        c.out(`removed ${user}`);
        return 0;
      }
      case 'list': {
        const people = await c.store.list();
        c.out('people:');
        for (const p of people)
          c.out(
            `  ${p.user.padEnd(20)} ${p.role.padEnd(11)}${p.grids ? ` grids ${p.grids.join(',')}` : ''}${p.mustChangePassword ? ' (one-time password not yet changed)' : ''}`,
          );
        const keys = await c.store.listKeys();
        c.out('api keys and devices:');
        for (const k of keys)
          c.out(`  ${k.id}  ${k.name.padEnd(28)} ${k.role}${k.unitId ? ` (unit ${k.unitId})` : ''}`);
        c.out('walls:');
        for (const w of await c.store.listWalls())
          c.out(`  ${w.name.padEnd(20)} paired ${new Date(w.pairedAt).toISOString()}`);
        for (const p of await c.store.listPairings())
          c.out(`  ${p.name.padEnd(20)} waiting for its pairing link (until ${new Date(p.expiresAt).toISOString()})`);
        return 0;
      }
      case 'apikey': {
        if (a === 'create') {
          const { token, record } = await c.store.createKey(need(b, 'key name'), need(role, 'role (--role)'));
          c.out(`API key ${record.name} (${record.role}), id ${record.id}; shown once:`);
          c.out(token);
          c.out('send it as: Authorization: Bearer <token>');
          return 0;
        }
        if (a === 'revoke') {
          const n = await c.store.revokeKey(need(b, 'key id or name'));
          if (!n) throw new AccountError(`no API key "${b}"`);
          c.out(`revoked ${n} key${n > 1 ? 's' : ''}`);
          return 0;
        }
        throw new AccountError(`apikey create|revoke\n${USAGE}`);
      }
      case 'device': {
        if (a === 'create') {
          const { token, record } = await c.store.createDevice(need(b, 'unit id'));
          c.out(`device token for unit ${record.unitId} (id ${record.id}); shown once:`);
          c.out(token);
          c.out(
            `it may only report fixes, status and task updates of unit ${record.unitId}, through ${url}/api/ingest/*`,
          );
          return 0;
        }
        if (a === 'revoke') {
          const n = await c.store.revokeKey(`device:${need(b, 'unit id')}`);
          if (!n) throw new AccountError(`no device token for unit "${b}"`);
          c.out(`revoked the device token of unit ${b}`);
          return 0;
        }
        throw new AccountError(`device create|revoke\n${USAGE}`);
      }
      case 'pair-wall': {
        const name = need(a, 'wall name');
        const token = await c.store.createPairing(name);
        c.out(`open this once on the wall "${name}" (valid 7 days, one use; it becomes a long-lived viewer session):`);
        c.out(`${url}/wall?pair=${token}`);
        return 0;
      }
      case 'unpair': {
        const n = await c.store.unpair(need(a, 'wall name'));
        c.out(`wall ${a}: ${n} session${n === 1 ? '' : 's'} ended`);
        return 0;
      }
      default:
        c.out(USAGE);
        return command === undefined || command === 'help' || command === '--help' ? 0 : 1;
    }
  } catch (err) {
    if (err instanceof AccountError) {
      console.error(`accounts: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/**
 * The Redis to manage: REDIS_URL; else the private Redis `npm start` is running (its URL noted in data/redis);
 * else that private Redis started just for this command.
 */
export async function openAccountsRedis(): Promise<{ redis: Redis; embedded?: EmbeddedRedis; where: string }> {
  const url = redisUrlFromEnv(process.env); // REDIS_URL, or REDIS_SENTINELS + REDIS_MASTER_NAME (compose)
  if (url) return { redis: await connectRedis(url), where: redact(url) };
  if (existsSync(PRIVATE_REDIS_URL_FILE)) {
    const noted = readFileSync(PRIVATE_REDIS_URL_FILE, 'utf8').trim();
    try {
      return { redis: await connectRedis(noted, { timeoutMs: 1_500 }), where: `npm start's Redis (${noted})` };
    } catch {
      /* npm start is not running any more: start the private Redis ourselves */
    }
  }
  const embedded = await startEmbeddedRedis({ dataDir: join(ROOT, 'data/redis'), install: false });
  return { redis: await connectRedis(embedded.url), embedded, where: 'the private Redis in data/redis' };
}

async function main(): Promise<void> {
  const { redis, embedded, where } = await openAccountsRedis();
  const ns = process.env.EGRET_NS || 'egret';
  let code: number;
  try {
    const store = new AccountStore(redis, redisKeys(ns));
    const publicUrl = process.env.EGRET_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
    if (process.env.LOG_LEVEL !== 'silent') console.error(`accounts: ${where}, namespace ${ns}`);
    code = await runAccountsCommand(process.argv.slice(2), { store, out: (line) => console.log(line), publicUrl });
  } finally {
    await redis.close();
    await embedded?.stop();
  }
  process.exit(code);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    console.error(`accounts: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
