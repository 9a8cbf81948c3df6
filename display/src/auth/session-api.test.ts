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
});

describe('the login page’s words', () => {
  it('exist in Chinese and English alike, with the same placeholders', () => {
    const marks = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(LOGIN_TEXT.en).sort()).toEqual(Object.keys(LOGIN_TEXT.zh).sort());
    for (const [key, zh] of Object.entries(LOGIN_TEXT.zh)) expect(marks(LOGIN_TEXT.en[key as keyof typeof LOGIN_TEXT.en]), key).toEqual(marks(zh));
  });
});
