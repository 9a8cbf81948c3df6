import { describe, expect, it } from 'vitest';
import { newBearerToken, parseBearerToken, parseCookies, signSessionId, unsignSessionId } from './tokens.ts';

describe(signSessionId.name, () => {
  it('signs a session id with HMAC-SHA256 so that a changed id or signature is refused', () => {
    const signed = signSessionId('abcdefghijklmnop', 'secret-1');
    expect(signed).toMatch(/^abcdefghijklmnop\.[\w-]{43}$/);
    expect(unsignSessionId(signed, 'secret-1')).toBe('abcdefghijklmnop');
    expect(unsignSessionId(signed, 'secret-2')).toBeUndefined();
    expect(unsignSessionId(signed.replace('abc', 'abd'), 'secret-1')).toBeUndefined();
    expect(unsignSessionId('no-signature', 'secret-1')).toBeUndefined();
  });
});

describe(parseBearerToken.name, () => {
  it('reads back the kind, id and secret of a token it made, and nothing else', () => {
    const t = newBearerToken('d');
    expect(parseBearerToken(t.token)).toEqual({ kind: 'd', id: t.id, secret: t.secret });
    expect(parseBearerToken(`${t.token}x`)).toBeUndefined();
    expect(parseBearerToken('Bearer abc')).toBeUndefined();
  });
});

describe(parseCookies.name, () => {
  it('reads a Cookie header, the first of each name, decoding values', () => {
    expect(parseCookies('a=1; egret_session=x.y%2Bz; a=2; junk')).toEqual(
      new Map([
        ['a', '1'],
        ['egret_session', 'x.y+z'],
      ]),
    );
    expect(parseCookies(undefined).size).toBe(0);
  });
});
