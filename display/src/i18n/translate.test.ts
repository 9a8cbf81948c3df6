import { describe, expect, it } from 'vitest';
import { CATALOGUES, localeFromQuery, placeholders, translate } from './translate.ts';

describe('the message catalogues', () => {
  it('have the same keys in Chinese and English', () => {
    expect(Object.keys(CATALOGUES.en).sort()).toEqual(Object.keys(CATALOGUES.zh).sort());
  });

  it('use the same placeholders for every key in both languages', () => {
    for (const key of Object.keys(CATALOGUES.zh) as (keyof typeof CATALOGUES.zh)[]) {
      expect(placeholders(CATALOGUES.en[key]), key).toEqual(placeholders(CATALOGUES.zh[key]));
    }
  });

  it('leave no message empty', () => {
    for (const catalogue of Object.values(CATALOGUES)) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), key).not.toBe('');
    }
  });

  it(`write English apostrophes and quotes in ASCII: the screens' CJK font draws ’ “ ” full-width ("today’ s")`, () => {
    for (const [key, text] of Object.entries(CATALOGUES.en)) expect(text, key).not.toMatch(/[‘’“”]/);
  });
});

describe(translate.name, () => {
  it('fills placeholders', () => {
    expect(translate('zh', 'link.stale', { seconds: 12 })).toBe('数据已过期 12 秒');
    expect(translate('en', 'link.stale', { seconds: 12 })).toBe('Data stale for 12 s');
  });

  it(`says a plan round's problems without a plural to get wrong ("1 problems" on the Straits Forum wall)`, () => {
    expect(translate('en', 'plan.problems', { n: 1 })).toBe('Problems found: 1');
  });

  it('puts no count before an English plural ("1 alerts"): a count comes after a colon or with "+"', () => {
    const counted = Object.entries(CATALOGUES.en).filter(([, text]) => /\{(n|count)\} [a-z]+s\b/.test(text));
    expect(counted).toEqual([]);
  });

  it('leaves a missing parameter visible instead of printing undefined', () => {
    expect(translate('en', 'link.stale', {})).toBe('Data stale for {seconds} s');
  });
});

describe(localeFromQuery.name, () => {
  it('reads a known language from ?lang= and ignores others', () => {
    expect(localeFromQuery('?lang=en')).toBe('en');
    expect(localeFromQuery('?lang=fr')).toBeUndefined();
    expect(localeFromQuery('')).toBeUndefined();
  });
});
