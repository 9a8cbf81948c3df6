import { describe, expect, it } from 'vitest';
import { placeholders } from '../../i18n/translate.ts';
import { fieldEn } from './en.ts';
import { FieldI18n, fieldTranslate } from './field-i18n.svelte.ts';
import { fieldZh, type FieldMessageKey } from './zh.ts';

describe('the field terminal’s catalogues', () => {
  it('have the same keys and the same placeholders in both languages', () => {
    expect(Object.keys(fieldEn).sort()).toEqual(Object.keys(fieldZh).sort());
    for (const key of Object.keys(fieldZh) as FieldMessageKey[])
      expect(placeholders(fieldEn[key]), key).toEqual(placeholders(fieldZh[key]));
  });

  it(`write English apostrophes and quotes in ASCII: the phone's CJK font draws ’ “ ” full-width`, () => {
    for (const [key, text] of Object.entries(fieldEn)) expect(text, key).not.toMatch(/[‘’“”]/);
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(fieldTranslate('zh', 'task.remaining', { time: '1:05' })).toBe('剩余 1:05');
    expect(fieldTranslate('en', 'outbox.attempts', { count: 2 })).toBe('Tried 2×: {error}');
  });

  it(`says counts without a plural to get wrong ("1 photos", "1 attempts" in the outbox), as the wall does`, () => {
    expect(fieldTranslate('en', 'outbox.photos', { count: 1 })).toBe('Photos: 1');
    expect(fieldTranslate('en', 'outbox.attempts', { count: 1, error: 'no network' })).toBe('Tried 1×: no network');
    for (const [key, text] of Object.entries(fieldEn)) expect(text, key).not.toMatch(/\{(count|n)\} [a-z]+s\b/);
  });

  it('says a refusal in words, and an unknown code as a plain "not done"', () => {
    const i18n = new FieldI18n('zh');
    expect(i18n.refusal('not_your_task')).toBe('这不是本单位的任务');
    expect(i18n.refusal('constructor')).toBe('操作未执行');
    i18n.toggle();
    expect(i18n.refusal('photo_required')).toBe('An after photo is required');
  });
});
