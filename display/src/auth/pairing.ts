import { pairWall, type AuthAnswer } from './session-api.ts';

/** How long to wait before asking again when the hub cannot be reached. */
const RETRY_MS = 3_000;

/**
 * `/wall?pair=<token>`: trades the one-time token for the wall's session cookie before the screen connects, then
 * takes the token out of the address bar (and history), so a reload or a glance cannot reuse it. While the hub is
 * unreachable it keeps asking (walls start unattended, maybe before the hub). Undefined when the page has no token.
 */
export async function completePairing(
  loc: Pick<Location, 'search' | 'pathname' | 'hash'>,
  history: Pick<History, 'replaceState'>,
  pair: (token: string) => Promise<AuthAnswer> = pairWall,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): Promise<AuthAnswer | undefined> {
  const params = new URLSearchParams(loc.search);
  const token = params.get('pair');
  if (token === null) return undefined;
  let answer = await pair(token);
  while (!answer.ok && answer.error === 'network') {
    await wait(RETRY_MS);
    answer = await pair(token);
  }
  params.delete('pair');
  const rest = params.toString();
  history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
  return answer;
}
