import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNamespace } from '../../test/namespace.ts';
import { startHub, type TestHub } from './hub-fixture.ts';

/** The configured tile origin (cspSources below) and the city's video platform (config/cities/xiamen/cameras.json). */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://t0.tianditu.gov.cn; " +
  "font-src 'self' data:; connect-src 'self' https://t0.tianditu.gov.cn https://video.xmcg.example; " +
  "media-src 'self' blob: https://video.xmcg.example; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

describe('security headers', () => {
  let required: TestHub;
  let open: TestHub;
  beforeAll(async () => {
    const authOptions = { cspSources: ['https://t0.tianditu.gov.cn'] };
    required = await startHub(testNamespace('auth-headers'), { auth: 'required', authOptions });
    open = await startHub(testNamespace('auth-headers-open'), { authOptions });
  });
  afterAll(async () => {
    await required.close();
    await open.close();
  });

  it('enforces a strict CSP and the usual protections on pages, API answers and refusals alike', async () => {
    for (const path of ['/wall', '/login', '/api/config', '/api/kpi', '/healthz']) {
      const res = await fetch(`${required.url}${path}`);
      const h = res.headers;
      expect(h.get('content-security-policy'), path).toBe(CSP);
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('x-frame-options')).toBe('DENY');
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('permissions-policy')).toContain('camera=()');
      expect(h.get('x-powered-by')).toBeNull();
      // Plain HTTP here: no HSTS (it would pin browsers to HTTPS the hub does not serve).
      expect(h.get('strict-transport-security')).toBeNull();
    }
    // Express's own 404 page tightens the policy further; the other headers stay.
    const missing = await fetch(`${required.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
  });

  it('only reports CSP violations in open mode (test tools evaluate strings in the page), with the other headers as strict', async () => {
    const h = (await fetch(`${open.url}/wall`)).headers;
    expect(h.get('content-security-policy')).toBeNull();
    expect(h.get('content-security-policy-report-only')).toBe(CSP);
    expect(h.get('x-frame-options')).toBe('DENY');
  });

  it('answers an open-mode hub’s /api/auth/me with its mode, so the display knows no login is needed', async () => {
    expect(await (await fetch(`${open.url}/api/auth/me`)).json()).toEqual({
      ok: true,
      data: { mode: 'open', kind: 'open', id: null, role: 'commander' },
    });
  });
});
