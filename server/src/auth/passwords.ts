import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters: N = 2^15, r = 8, p = 1 (32 MiB and ~50–100 ms per hash on one core). Stored with every hash,
 * so they can be raised later and old hashes still verify.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Shortest and longest password a person may choose (one-time passwords are generated, 20 characters). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  // 128·N·r bytes are needed; Node's default cap (32 MiB) is exactly that for N=2^15, r=8, so leave headroom.
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((done, fail) => scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? fail(err) : done(key))));
}

/** `scrypt$N$r$p$<salt b64url>$<hash b64url>`: a fresh random salt per password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` matches `stored` (compared in constant time); false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of nothing in particular, verified against when a login names an unknown user, so that such a login takes
 * as long as a wrong password and does not tell which user names exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
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
