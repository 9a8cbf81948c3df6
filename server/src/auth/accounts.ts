import type { RedisKeys } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import { LuaScript } from '../redis/script.ts';
import {
  decoyHash,
  hashPassword,
  needsRehash,
  oneTimePassword,
  SCRYPT_PARAMS,
  verifyPassword,
  weakPasswordReason,
  type ScryptParams,
} from './passwords.ts';
import {
  FIELD_USER_ROLES,
  KEY_ROLES,
  USER_ROLES,
  type FieldUserRole,
  type KeyRole,
  type UserRole,
} from './permissions.ts';
import { newBearerToken, parseBearerToken, randomToken, sameText, sha256 } from './tokens.ts';

/** A person's account, as kept in `keys.accounts` (never sent anywhere with its hash). */
export interface Account {
  user: string;
  role: UserRole | FieldUserRole;
  /** An inspector's grids (单元网格), the cases they may verify. */
  grids?: string[];
  /** `scrypt$N$r$p$salt$hash` (passwords.ts). */
  hash: string;
  /** Set for one-time passwords (first admin, `add`, `passwd`): the first login must choose a new one. */
  mustChangePassword: boolean;
  /** Bumped when the password or role changes: sessions made under an older `gen` end. */
  gen: number;
  createdAt: number;
  changedAt: number;
}

/** An API key or a field device's token, as kept in `keys.apiKeys`. */
export interface KeyRecord {
  id: string;
  /** Unique among keys: creating a key under a name it already has replaces (revokes) the old one. */
  name: string;
  role: KeyRole | 'field';
  /** A device's unit. */
  unitId?: string;
  /** SHA-256 of the secret part of the token. */
  hash: string;
  createdAt: number;
}

/** A wall pairing token waiting to be used. */
export interface Pairing {
  name: string;
  createdAt: number;
  expiresAt: number;
}

/** A paired wall's session. */
export interface WallRecord {
  name: string;
  pairedAt: number;
}

/** Account, key and wall names: 1–32 letters, digits, `.`, `_`, `-` (they appear in the log as actor ids). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** Grid ids (单元网格) as cases carry them. */
const GRID = /^[0-9A-Za-z]{6,32}$/;
/** Every role a person's account may have. */
const PERSON_ROLES = [...USER_ROLES, ...FIELD_USER_ROLES] as const;

/** Unit ids as the protocol allows them, conservatively. */
const UNIT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A refusal of an account operation, with a message for the operator. */
export class AccountError extends Error {
  override name = 'AccountError';
}

function checkName(what: string, name: string, pattern = NAME): void {
  if (!pattern.test(name))
    throw new AccountError(`${what} "${name}" is not valid: use 1–32 letters, digits, dots, dashes or underscores`);
}

function checkRole<R extends string>(role: string, roles: readonly R[]): R {
  if (!(roles as readonly string[]).includes(role))
    throw new AccountError(`role "${role}" is not one of ${roles.join(', ')}`);
  return role as R;
}

/** An inspector's grids, checked: at least one, each a grid id; other roles have none. */
function checkGrids(role: string, grids: readonly string[] | undefined): string[] | undefined {
  if (role !== 'inspector') {
    if (grids?.length) throw new AccountError(`only inspectors have grids; this account is ${role}`);
    return undefined;
  }
  const list = [...new Set((grids ?? []).map((g) => g.trim()).filter(Boolean))];
  if (!list.length) throw new AccountError('an inspector needs their grids: --grids <g1,g2>');
  const bad = list.find((g) => !GRID.test(g));
  if (bad !== undefined) throw new AccountError(`grid "${bad}" is not a grid id (6–32 letters and digits)`);
  if (list.length > 500) throw new AccountError('at most 500 grids per inspector');
  return list;
}

function parse<T>(text: string | null | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** HSET field to `after` only while it still holds `before`: a compare-and-set of one account. */
const REPLACE_IF_SAME = new LuaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
`);

/** How long a wall pairing token stays usable by default. */
export const PAIRING_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Accounts, API keys, device tokens and wall pairings in Redis — shared by every hub, the CLI and `npm start`.
 * Passwords are kept as scrypt hashes; tokens as SHA-256 of their secret (they are random, so that is enough).
 */
export class AccountStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
    /** The scrypt cost new hashes are made at (default N = 2^17; tests pass a small one to stay fast). */
    readonly cost: ScryptParams = SCRYPT_PARAMS,
  ) {}

  /** A hash to verify against when the user is unknown, at this store's cost (the same time as a wrong password). */
  decoy(): Promise<string> {
    return decoyHash(this.cost);
  }

  async get(user: string): Promise<Account | undefined> {
    return parse<Account>(await this.redis.hGet(this.keys.accounts, user));
  }

  /** Every account, by name, without hashes. */
  async list(): Promise<Array<Omit<Account, 'hash'>>> {
    const all = await this.redis.hGetAll(this.keys.accounts);
    return Object.values(all)
      .map((t) => parse<Account>(t))
      .filter((a): a is Account => a !== undefined)
      .map(({ hash: _hash, ...rest }) => rest)
      .sort((a, b) => a.user.localeCompare(b.user));
  }

  /**
   * Adds a person. Without a password, a one-time password is generated and returned (to be changed at first
   * login). Refuses a name that exists.
   */
  async add(user: string, role: string, password?: string, grids?: readonly string[]): Promise<{ password: string }> {
    checkName('user name', user);
    const r = checkRole(role, PERSON_ROLES);
    const inGrids = checkGrids(r, grids);
    if (password !== undefined) {
      const weak = weakPasswordReason(password, user);
      if (weak) throw new AccountError(weak);
    }
    const chosen = password ?? oneTimePassword();
    const at = this.now();
    const account: Account = {
      user,
      role: r,
      ...(inGrids ? { grids: inGrids } : {}),
      hash: await hashPassword(chosen, this.cost),
      mustChangePassword: password === undefined,
      gen: 1,
      createdAt: at,
      changedAt: at,
    };
    const added = await this.redis.hSetNX(this.keys.accounts, user, JSON.stringify(account));
    if (!added) throw new AccountError(`user "${user}" exists already: use passwd or role to change it`);
    return { password: chosen };
  }

  /**
   * On a Redis without any account: creates `admin` with a one-time password and returns it (to be shown once).
   * Several hubs starting together create it once (HSETNX); undefined when there were accounts already.
   */
  async ensureFirstAdmin(): Promise<string | undefined> {
    if ((await this.redis.hLen(this.keys.accounts)) > 0) return undefined;
    const password = oneTimePassword();
    const at = this.now();
    const account: Account = {
      user: 'admin',
      role: 'admin',
      hash: await hashPassword(password, this.cost),
      mustChangePassword: true,
      gen: 1,
      createdAt: at,
      changedAt: at,
    };
    const added = await this.redis.hSetNX(this.keys.accounts, 'admin', JSON.stringify(account));
    return added ? password : undefined;
  }

  /** Sets a password: a chosen one (checked for strength), or a generated one-time password returned to show. */
  async setPassword(user: string, password?: string): Promise<{ password: string }> {
    const account = await this.get(user);
    if (!account) throw new AccountError(`no user "${user}"`);
    if (password !== undefined) {
      const weak = weakPasswordReason(password, user);
      if (weak) throw new AccountError(weak);
    }
    const chosen = password ?? oneTimePassword();
    await this.save({
      ...account,
      hash: await hashPassword(chosen, this.cost),
      mustChangePassword: password === undefined,
      gen: account.gen + 1,
      changedAt: this.now(),
    });
    return { password: chosen };
  }

  async setRole(user: string, role: string): Promise<void> {
    const account = await this.get(user);
    if (!account) throw new AccountError(`no user "${user}"`);
    const r = checkRole(role, PERSON_ROLES);
    const grids = checkGrids(r, r === 'inspector' ? account.grids : undefined);
    const { grids: _old, ...rest } = account;
    await this.save({ ...rest, role: r, ...(grids ? { grids } : {}), gen: account.gen + 1, changedAt: this.now() });
  }

  /** Sets an inspector's grids (their sessions go on: the grids are read again on every use). */
  async setGrids(user: string, grids: readonly string[]): Promise<string[]> {
    const account = await this.get(user);
    if (!account) throw new AccountError(`no user "${user}"`);
    const list = checkGrids(account.role, grids)!;
    await this.save({ ...account, grids: list, changedAt: this.now() });
    return list;
  }

  /** Removes a person; their sessions end with the account (they are checked against it). */
  async remove(user: string): Promise<boolean> {
    return (await this.redis.hDel(this.keys.accounts, user)) > 0;
  }

  /**
   * The account when `password` is right; undefined otherwise (the same time either way, see `decoyHash`). A right
   * password whose hash was made at a lower cost than this store's is hashed again at this cost (the account is
   * unchanged otherwise: same `gen`, its sessions go on).
   */
  async check(user: string, password: string, decoy?: string): Promise<Account | undefined> {
    const text = NAME.test(user) ? await this.redis.hGet(this.keys.accounts, user) : undefined;
    const account = parse<Account>(text);
    const ok = await verifyPassword(password, account?.hash ?? decoy ?? (await this.decoy()));
    if (!ok || !account) return undefined;
    if (needsRehash(account.hash, this.cost)) await this.rehash(account, text!, password);
    return account;
  }

  /** Replaces an old-cost hash, unless the account changed meanwhile (a password change wins). */
  private async rehash(account: Account, before: string, password: string): Promise<void> {
    const after = JSON.stringify({ ...account, hash: await hashPassword(password, this.cost) });
    await REPLACE_IF_SAME.run(this.redis, [this.keys.accounts], [account.user, before, after]);
  }

  private async save(account: Account): Promise<void> {
    await this.redis.hSet(this.keys.accounts, account.user, JSON.stringify(account));
  }

  /**
   * Creates an API key (`ingest`: writes inputs; `dispatcher`: runs dispatch commands as a service account) and
   * returns its token, shown once. A key with the same name is replaced.
   */
  async createKey(name: string, role: string): Promise<{ token: string; record: KeyRecord }> {
    checkName('key name', name);
    return this.putKey('k', { name, role: checkRole(role, KEY_ROLES) });
  }

  /** Creates the token of a field device bound to `unitId` (replacing that unit's previous token). */
  async createDevice(unitId: string): Promise<{ token: string; record: KeyRecord }> {
    checkName('unit id', unitId, UNIT);
    return this.putKey('d', { name: `device:${unitId}`.slice(0, 64), role: 'field', unitId });
  }

  private async putKey(
    kind: 'k' | 'd',
    what: Pick<KeyRecord, 'name' | 'role' | 'unitId'>,
  ): Promise<{ token: string; record: KeyRecord }> {
    const { id, secret, token } = newBearerToken(kind);
    const record: KeyRecord = { id, ...what, hash: sha256(secret), createdAt: this.now() };
    const old = (await this.listKeys()).filter((k) => k.name === what.name);
    const multi = this.redis.multi();
    if (old.length) this.revoking(multi, old);
    multi.hSet(this.keys.apiKeys, id, JSON.stringify(record));
    await multi.exec();
    return { token, record };
  }

  async listKeys(): Promise<KeyRecord[]> {
    const all = await this.redis.hGetAll(this.keys.apiKeys);
    return Object.values(all)
      .map((t) => parse<KeyRecord>(t))
      .filter((k): k is KeyRecord => k !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Revokes keys by id or by name; answers how many went. */
  async revokeKey(idOrName: string): Promise<number> {
    const gone = (await this.listKeys()).filter((k) => k.id === idOrName || k.name === idOrName);
    if (!gone.length) return 0;
    const multi = this.redis.multi();
    this.revoking(multi, gone);
    await multi.exec();
    return gone.length;
  }

  /**
   * Deletes keys in `multi`; a device token is also remembered as revoked (so its requests are answered `revoked`,
   * not `unauthenticated`) and announced on `keys.fieldRevoked`, where every hub cuts its sockets at once.
   */
  private revoking(multi: ReturnType<Redis['multi']>, gone: readonly KeyRecord[]): void {
    multi.hDel(
      this.keys.apiKeys,
      gone.map((k) => k.id),
    );
    for (const k of gone.filter((r) => r.role === 'field')) {
      multi.hSet(this.keys.revokedKeys, k.id, String(this.now()));
      multi.publish(this.keys.fieldRevoked, k.id);
    }
  }

  /** Whether a bearer token is a device token that was revoked (unpaired, or replaced by a new pairing). */
  async isRevoked(token: string): Promise<boolean> {
    const parts = parseBearerToken(token);
    if (!parts || parts.kind !== 'd') return false;
    return (await this.redis.hExists(this.keys.revokedKeys, parts.id)) === 1;
  }

  /** The key a bearer token belongs to, when its secret matches. */
  async findKey(token: string): Promise<KeyRecord | undefined> {
    const parts = parseBearerToken(token);
    if (!parts) return undefined;
    const record = parse<KeyRecord>(await this.redis.hGet(this.keys.apiKeys, parts.id));
    if (!record || !sameText(record.hash, sha256(parts.secret))) return undefined;
    if ((record.role === 'field') !== (parts.kind === 'd')) return undefined;
    return record;
  }

  /**
   * A pairing token for wall `name`, used once (`/wall?pair=<token>`) to get a long-lived viewer session. A
   * pairing still waiting under that name is replaced.
   */
  async createPairing(name: string, ttlMs = PAIRING_TTL_MS): Promise<string> {
    checkName('wall name', name);
    const token = randomToken(24);
    const at = this.now();
    const all = await this.redis.hGetAll(this.keys.pairings);
    const stale = Object.entries(all)
      .filter(([, t]) => {
        const p = parse<Pairing>(t);
        return !p || p.name === name || p.expiresAt <= at;
      })
      .map(([k]) => k);
    const multi = this.redis.multi();
    if (stale.length) multi.hDel(this.keys.pairings, stale);
    multi.hSet(
      this.keys.pairings,
      sha256(token),
      JSON.stringify({ name, createdAt: at, expiresAt: at + ttlMs } satisfies Pairing),
    );
    await multi.exec();
    return token;
  }

  /** Uses a pairing token: the wall's name the first time, undefined after (or when unknown or expired). */
  async usePairing(token: string): Promise<Pairing | undefined> {
    if (token.length > 128) return undefined;
    const field = sha256(token);
    // HGET and HDEL in one transaction: of two browsers racing with the same token, only one deletes it.
    const [text, deleted] = (await this.redis
      .multi()
      .hGet(this.keys.pairings, field)
      .hDel(this.keys.pairings, field)
      .exec()) as unknown as [string | null, number];
    if (!deleted) return undefined;
    const pairing = parse<Pairing>(text);
    return pairing && pairing.expiresAt > this.now() ? pairing : undefined;
  }

  async listPairings(): Promise<Pairing[]> {
    return Object.values(await this.redis.hGetAll(this.keys.pairings))
      .map((t) => parse<Pairing>(t))
      .filter((p): p is Pairing => p !== undefined);
  }

  /** Paired walls whose sessions are still alive (dead ones are dropped from the index on the way). */
  async listWalls(): Promise<Array<WallRecord & { sessionId: string }>> {
    const all = await this.redis.hGetAll(this.keys.walls);
    const out: Array<WallRecord & { sessionId: string }> = [];
    const dead: string[] = [];
    for (const [sessionId, text] of Object.entries(all)) {
      const wall = parse<WallRecord>(text);
      if (wall && (await this.redis.exists(this.keys.sessionPrefix + sessionId))) out.push({ ...wall, sessionId });
      else dead.push(sessionId);
    }
    if (dead.length) await this.redis.hDel(this.keys.walls, dead);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Ends every session of wall `name` (and a pairing still waiting for it); answers how many sessions ended. */
  async unpair(name: string): Promise<number> {
    const walls = (await this.listWalls()).filter((w) => w.name === name);
    const pending = Object.entries(await this.redis.hGetAll(this.keys.pairings))
      .filter(([, t]) => parse<Pairing>(t)?.name === name)
      .map(([k]) => k);
    const multi = this.redis.multi();
    for (const w of walls) multi.del(this.keys.sessionPrefix + w.sessionId);
    if (walls.length)
      multi.hDel(
        this.keys.walls,
        walls.map((w) => w.sessionId),
      );
    if (pending.length) multi.hDel(this.keys.pairings, pending);
    await multi.exec();
    return walls.length;
  }
}
