import { describe, expect, it } from 'vitest';
import { LOGIN_TEXT } from './login-text.ts';
import { safeNext } from './session-api.ts';

describe(safeNext.name, () => {
  it('leads only to a path of this hub, and never back to the login page', () => {
    expect(safeNext('/wall?layers=heat')).toBe('/wall?layers=heat');
    expect(safeNext('//evil.example/x')).toBe('/console');
    expect(safeNext('https://evil.example')).toBe('/console');
    expect(safeNext('/\\evil.example')).toBe('/console');
    expect(safeNext('/login?next=/wall')).toBe('/console');
    expect(safeNext(null)).toBe('/console');
  });

  it('never leaves this hub, however the address is disguised (tabs, newlines, backslashes, schemes)', () => {
    const origin = 'https://hub.example:8443';
    // What `new URLSearchParams(location.search).get('next')` hands over for `/login?next=…` (%09 is a tab …).
    const disguised = [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r/evil.example',
      '/\t\\evil.example',
      '/\t\t/evil.example',
      '\t//evil.example',
      '\n/\\/evil.example',
      '/%09/evil.example',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '\\/evil.example',
      'https://evil.example',
      'https:evil.example',
      'http:/evil.example',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,x',
      ' //evil.example',
      '/\u000b/evil.example',
      'evil.example',
      './/evil.example',
      '@evil.example',
      'https://hub.example:8443@evil.example/',
      '//hub.example:8443/console',
    ];
    for (const next of disguised) {
      const to = safeNext(next, origin);
      expect(new URL(to, origin).origin, JSON.stringify(next)).toBe(origin);
      expect(to, JSON.stringify(next)).toMatch(/^\/(?![/\\])/);
      expect(to, JSON.stringify(next)).not.toMatch(/[\t\n\r]/);
    }
    for (const next of ['/\t/evil.example', '/\r/evil.example', '/\n/evil.example', '/\t\\evil.example']) {
      expect(safeNext(next, origin), JSON.stringify(next)).toBe('/console');
    }
    // Paths of this hub pass as they are; the login page never leads to itself.
    expect(safeNext('/wall?layers=heat#k', origin)).toBe('/wall?layers=heat#k');
    expect(safeNext('/replay?t=1', origin)).toBe('/replay?t=1');
    expect(safeNext('/LOGIN?next=/wall', origin)).toBe('/console');
    expect(safeNext('/./login', origin)).toBe('/console');
  });
});

describe('the login page’s words', () => {
  it('exist in Chinese and English alike, with the same placeholders', () => {
    const marks = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(LOGIN_TEXT.en).sort()).toEqual(Object.keys(LOGIN_TEXT.zh).sort());
    for (const [key, zh] of Object.entries(LOGIN_TEXT.zh))
      expect(marks(LOGIN_TEXT.en[key as keyof typeof LOGIN_TEXT.en]), key).toEqual(marks(zh));
  });
});
