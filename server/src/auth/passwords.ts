import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters: N = 2^17, r = 8, p = 1 — OWASP's current guidance (128 MiB and some 0.3–0.8 s per hash on one
 * core). Stored with every hash (`scrypt$N$r$p$…`), so they can be raised later: old hashes still verify, and are
 * hashed again at the new cost at the next successful login (`needsRehash`).
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
/** The cost a hash is made at: N (a power of two); r and p as in {@link SCRYPT_PARAMS}. */
export type ScryptParams = { N: number; r: number; p: number };
/** The highest N a stored hash may ask for (1 GiB at r = 8): a forged hash must not make the hub allocate more. */
const MAX_N = 2 ** 20;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Shortest and longest password a person may choose (one-time passwords are generated, 20 characters). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** The cost of `N` with the standard r and p; tests pass a small N to stay fast (never a deployment). */
export function scryptCost(N: number = SCRYPT_PARAMS.N): ScryptParams {
  if (!Number.isInteger(Math.log2(N)) || N < 2 || N > MAX_N)
    throw new Error(`scrypt N must be a power of two up to 2^20, not ${N}`);
  return { N, r: SCRYPT_PARAMS.r, p: SCRYPT_PARAMS.p };
}

function derive(password: string, salt: Buffer, o: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes (128 MiB at N = 2^17, r = 8); Node refuses past `maxmem` (32 MiB by default), so the
  // cap is that plus headroom for the rest of its state.
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r + 2 * 1024 * 1024 };
  return new Promise((done, fail) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? fail(err) : done(key))),
  );
}

/** `scrypt$N$r$p$<salt b64url>$<hash b64url>`: a fresh random salt per password. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  const { N, r, p } = params;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** The parameters a stored hash was made with, or undefined when it is not a hash of ours. */
function paramsOf(stored: string): ScryptParams | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > MAX_N || r > 32 || p > 16) return undefined;
  return { N, r, p };
}

/** Whether `password` matches `stored` (compared in constant time); false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = paramsOf(stored);
  if (!params) return false;
  const parts = stored.split('$');
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, params);
  return timingSafeEqual(key, expected);
}

/** Whether a stored hash was made at a lower cost than `target`: hash the password again once it is known right. */
export function needsRehash(stored: string, target: ScryptParams = SCRYPT_PARAMS): boolean {
  const params = paramsOf(stored);
  return params !== undefined && (params.N < target.N || params.r < target.r || params.p < target.p);
}

/**
 * A hash of nothing in particular at the given cost, verified against when a login names an unknown user, so that
 * such a login takes as long as a wrong password and does not tell which user names exist.
 */
const decoys = new Map<string, Promise<string>>();
export function decoyHash(params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const key = `${params.N}$${params.r}$${params.p}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = hashPassword(randomBytes(16).toString('hex'), params);
    decoys.set(key, decoy);
  }
  return decoy;
}

/** Why a new password is refused, or undefined when it will do. */
export function weakPasswordReason(password: string, user: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.toLowerCase().includes(user.toLowerCase())) return 'a password must not contain the user name';
  if (new Set(password).size < 4) return 'a password needs more than three different characters';
  return undefined;
}

/** A one-time password: 20 characters from an alphabet without look-alikes (0/O, 1/l/I), about 115 bits. */
export function oneTimePassword(rng: (n: number) => Buffer = randomBytes): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  // Rejection sampling: bytes ≥ 3·57 would bias the first letters.
  while (out.length < 20) {
    for (const b of rng(32)) {
      if (b < alphabet.length * 4 && out.length < 20) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}
