import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';

export type { MessageKey } from './zh.ts';

/** Languages the display speaks; Chinese is the default. */
export type Locale = 'zh' | 'en';
export const LOCALES: readonly Locale[] = ['zh', 'en'];

export const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { zh, en };

/** Values substituted for `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** The message for `key` in `locale` with its placeholders filled; a missing parameter stays visible as `{name}`. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const text = CATALOGUES[locale][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The placeholder names a message uses, sorted (for checking that catalogues agree). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** A locale from a URL's `lang` parameter, or undefined when it names none we speak. */
export function localeFromQuery(search: string): Locale | undefined {
  const lang = new URLSearchParams(search).get('lang');
  return LOCALES.find((l) => l === lang);
}
