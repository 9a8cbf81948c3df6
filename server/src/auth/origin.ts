/**
 * Whether a browser's `Origin` may talk to this hub: its own origin (the Host it was reached at, or the
 * forwarded host behind a trusted proxy) or one listed in EGRET_ALLOWED_ORIGINS. A request without an Origin is
 * not from a browser page (a system, a test client): its credentials decide.
 */
export function originAllowed(
  origin: string | undefined,
  hosts: ReadonlyArray<string | undefined>,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || origin === '') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null" (sandboxed frames, file: pages)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.host.toLowerCase();
  if (hosts.some((h) => h !== undefined && h.split(',')[0]!.trim().toLowerCase() === host)) return true;
  return allowed.some((a) => normalizeOrigin(a) === url.origin);
}

/** `https://Wall.example:443/` → `https://wall.example`; anything unparsable stays as it is. */
export function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin.trim()).origin;
  } catch {
    return origin.trim();
  }
}
