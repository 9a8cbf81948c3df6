import { describe, expect, it } from 'vitest';
import { completePairing } from './pairing.ts';
import type { AuthAnswer } from './session-api.ts';

function page(search: string) {
  const urls: string[] = [];
  return {
    loc: { pathname: '/wall', search, hash: '' },
    history: { replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void urls.push(String(url)) },
    urls,
  };
}

describe(completePairing.name, () => {
  it('does nothing on a page without a pairing token', async () => {
    const p = page('?lang=en');
    expect(
      await completePairing(p.loc, p.history, async () => ({ ok: true, id: 'x', role: 'viewer' })),
    ).toBeUndefined();
    expect(p.urls).toEqual([]);
  });

  it('trades the token once and takes it out of the address, keeping the other parameters', async () => {
    const p = page('?pair=tok-123&lang=en');
    const traded: string[] = [];
    const answer = await completePairing(
      p.loc,
      p.history,
      async (t) => (traded.push(t), { ok: true, id: 'lobby', role: 'viewer' }),
    );
    expect(answer).toEqual({ ok: true, id: 'lobby', role: 'viewer' });
    expect(traded).toEqual(['tok-123']);
    expect(p.urls).toEqual(['/wall?lang=en']);
  });

  it('keeps asking while the hub is unreachable, and removes a refused token too', async () => {
    const p = page('?pair=tok-9');
    const answers: AuthAnswer[] = [
      { ok: false, error: 'network', message: 'down' },
      { ok: false, error: 'network', message: 'down' },
      { ok: false, error: 'pairing_invalid', message: 'used' },
    ];
    const waits: number[] = [];
    const answer = await completePairing(
      p.loc,
      p.history,
      async () => answers.shift()!,
      async (ms) => void waits.push(ms),
    );
    expect(answer).toMatchObject({ ok: false, error: 'pairing_invalid' });
    expect(waits).toEqual([3_000, 3_000]);
    expect(p.urls).toEqual(['/wall']);
  });
});
