import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: a session id, a pairing token, the secret of an API key. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 in hex: how long random secrets are kept (they are unguessable, so a slow hash adds nothing). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time equality of two strings (false when their lengths differ). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `<sessionId>.<HMAC-SHA256(sessionId)>`: the session cookie's value. */
export function signSessionId(sessionId: string, secret: string): string {
  return `${sessionId}.${createHmac('sha256', secret).update(sessionId).digest('base64url')}`;
}

/** The session id of a signed cookie value, or undefined when the signature does not match. */
export function unsignSessionId(value: string, secret: string): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  return sameText(signSessionId(id, secret), value) ? id : undefined;
}

/** The kinds of bearer token: `k` an API key (an integrating system), `d` a field device bound to one unit. */
export type TokenKind = 'k' | 'd';

const TOKEN = /^egret_([kd])_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** A new bearer token (`egret_k_<id>_<secret>`): the id finds its record, the secret proves it. */
export function newBearerToken(kind: TokenKind): { id: string; secret: string; token: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomToken(32);
  return { id, secret, token: `egret_${kind}_${id}_${secret}` };
}

/** The parts of a bearer token, or undefined when it is not shaped like one. */
export function parseBearerToken(token: string): { kind: TokenKind; id: string; secret: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { kind: m[1] as TokenKind, id: m[2]!, secret: m[3]! } : undefined;
}

/** The `Cookie` header as name → value (the first of each name). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}
