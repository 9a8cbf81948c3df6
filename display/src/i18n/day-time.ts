import type { Locale } from './translate.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

/** `7月1日 09:31:05` / `1 Jul 09:31:05` in the city's time zone: a case card spans days, a clock does not. */
export function formatDayTime(t: number, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone,
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    cache.set(key, f);
  }
  return f.format(t);
}
