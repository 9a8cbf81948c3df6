import type { Locale } from '../../i18n/translate.ts';
import { fieldEn } from './en.ts';
import { fieldZh, type FieldMessageKey } from './zh.ts';

export type { FieldMessageKey } from './zh.ts';

export const FIELD_CATALOGUES: Readonly<Record<Locale, Readonly<Record<FieldMessageKey, string>>>> = {
  zh: fieldZh,
  en: fieldEn,
};

/** The message for `key` in `locale` with its `{name}` placeholders filled (a missing one stays visible). */
export function fieldTranslate(
  locale: Locale,
  key: FieldMessageKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  const text = FIELD_CATALOGUES[locale][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The phone's language: Chinese unless the person switched (kept in localStorage by the boot). */
export class FieldI18n {
  locale = $state<Locale>('zh');

  constructor(locale: Locale = 'zh') {
    this.locale = locale;
  }

  t = (key: FieldMessageKey, params?: Readonly<Record<string, string | number>>): string =>
    fieldTranslate(this.locale, key, params);

  /** Picks the right half of a `{ zh, en }` pair from config (category names). */
  name = (names: { zh: string; en: string }): string => names[this.locale];

  /** A refusal in words: the known codes from the catalogue, anything else as a plain "not done". */
  refusal = (code: string): string => {
    const key = `refusal.${code}` as FieldMessageKey;
    return key in fieldZh ? this.t(key) : this.t('refusal.unknown');
  };

  toggle = (): void => {
    this.locale = this.locale === 'zh' ? 'en' : 'zh';
  };
}
