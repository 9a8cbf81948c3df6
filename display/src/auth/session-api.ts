/**
 * The hub's `/api/auth` as the display uses it: log in, pair a wall. Each answers a tagged result; the session
 * itself is an HttpOnly cookie the page never sees.
 */
import type { Refusal } from '@egret/protocol';

export type AuthAnswer = { ok: true; id: string | null; role: string } | (Refusal & { retryAfterS?: number });

async function post(fetchFn: typeof fetch, path: string, body: unknown): Promise<AuthAnswer> {
  let res: Response;
  try {
    res = await fetchFn(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (err) {
    return { ok: false, error: 'network', message: (err as Error).message };
  }
  let json: {
    ok?: boolean;
    data?: { id?: string | null; role?: string; wall?: string | null };
    error?: string;
    message?: string;
  };
  try {
    json = await res.json();
  } catch {
    return { ok: false, error: 'network', message: `the hub answered ${res.status} without JSON` };
  }
  if (res.ok && json.ok)
    return { ok: true, id: json.data?.id ?? json.data?.wall ?? null, role: json.data?.role ?? 'viewer' };
  const retry = Number(res.headers.get('retry-after'));
  return {
    ok: false,
    error: json.error ?? 'other',
    message: json.message ?? `${res.status}`,
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfterS: retry } : {}),
  };
}

/** `POST /api/auth/login`; `newPassword` replaces a one-time password in the same step. */
export function logIn(
  body: { user: string; password: string; newPassword?: string },
  fetchFn: typeof fetch = fetch,
): Promise<AuthAnswer> {
  return post(fetchFn, '/api/auth/login', body);
}

/** `POST /api/auth/pair`: trades a wall's one-time pairing token for a long-lived viewer session cookie. */
export function pairWall(token: string, fetchFn: typeof fetch = fetch): Promise<AuthAnswer> {
  return post(fetchFn, '/api/auth/pair', { token });
}

/**
 * Where to go after logging in: a path of this hub (`/console?lang=en`), never another site; `/login` itself and
 * anything odd lead to the console. The address is parsed as the browser will (`new URL(next, origin)`) and must stay
 * on `origin`; control characters and backslashes are refused before that, because browsers drop tabs and newlines
 * and read `\` as `/`: `/%09/evil.example` arrives as `/\t/evil.example` and would be followed as `//evil.example`.
 */
export function safeNext(next: string | null | undefined, origin: string = location.origin): string {
  const fallback = '/console';
  if (
    !next ||
    !next.startsWith('/') ||
    next.startsWith('//') ||
    [...next].some((c) => c <= ' ' || c === '\u007f' || c === '\\')
  )
    return fallback;
  let url: URL;
  let own: string;
  try {
    url = new URL(next, origin);
    own = new URL(origin).origin;
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== own || !path.startsWith('/') || path.startsWith('//')) return fallback;
  const page = url.pathname.toLowerCase();
  if (page === '/login' || page.startsWith('/login/')) return fallback;
  return path;
}
