import { describe, expect, it } from 'vitest';
import { hashPassword, oneTimePassword, SCRYPT_PARAMS, verifyPassword, weakPasswordReason } from './passwords.ts';

describe(hashPassword.name, () => {
  it('keeps scrypt N=2^17, r=8, p=1 (OWASP) with a salt of its own per password, and verifies only the right password', async () => {
    const a = await hashPassword('correct-horse-battery');
    const b = await hashPassword('correct-horse-battery');
    expect(a).toMatch(new RegExp(`^scrypt\\$${SCRYPT_PARAMS.N}\\$8\\$1\\$[\\w-]{22}\\$[\\w-]{43}$`));
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct-horse-battery', a)).toBe(true);
    expect(await verifyPassword('correct-horse-batterY', a)).toBe(false);
    expect(await verifyPassword('correct-horse-battery', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1048576000$8$1$AAAA$AAAA')).toBe(false);
  });
});

describe(weakPasswordReason.name, () => {
  it('asks for ten characters, not the user name, and some variety', () => {
    expect(weakPasswordReason('short', 'dora')).toMatch(/at least 10/);
    expect(weakPasswordReason('dora-is-great-2026', 'dora')).toMatch(/user name/);
    expect(weakPasswordReason('aaaaaaaaaaaa', 'dora')).toMatch(/different characters/);
    expect(weakPasswordReason('台风莫兰蒂登陆翔安区2016', 'dora')).toBeUndefined();
  });
});

describe(oneTimePassword.name, () => {
  it('draws 20 characters without look-alikes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = oneTimePassword();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
    expect(weakPasswordReason(oneTimePassword(), 'admin')).toBeUndefined();
  });
});
