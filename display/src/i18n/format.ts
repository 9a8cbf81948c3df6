import type { Locale } from './translate.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, hourCycle: 'h23', ...options });
    cache.set(key, f);
  }
  return f;
}

/** `14:05:09` in the city's time zone. */
export function formatTime(t: number, locale: Locale, timeZone: string): string {
  return format(locale, timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(t);
}

/** `14:05` in the city's time zone. */
export function formatHourMinute(t: number, locale: Locale, timeZone: string): string {
  return format(locale, timeZone, { hour: '2-digit', minute: '2-digit' }).format(t);
}

/**
 * A stretch of time as a commander reads it: `08:00–14:00` within one day in the city's time zone, and with the
 * days when it spans more (`9月14日 00:00–9月17日 00:00` / `14 Sep 00:00–17 Sep 00:00`): a 72-hour typhoon run read
 * `00:00–00:00` before.
 */
export function formatSpan(from: number, to: number, locale: Locale, timeZone: string): string {
  const day = format(locale, timeZone, { year: 'numeric', month: 'numeric', day: 'numeric' });
  const oneDay = day.format(from) === day.format(to) && to - from < 86_400_000;
  if (oneDay) return `${formatHourMinute(from, locale, timeZone)}–${formatHourMinute(to, locale, timeZone)}`;
  const dayTime = format(locale, timeZone, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${dayTime.format(from)}–${dayTime.format(to)}`;
}

/** `2026年7月1日 星期三` / `Wed 1 Jul 2026` in the city's time zone. */
export function formatDate(t: number, locale: Locale, timeZone: string): string {
  return format(locale, timeZone, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(t);
}

const counts = new Map<Locale, Intl.NumberFormat>();

/**
 * A count with thousands separators. One `Intl.NumberFormat` per locale, made once: `toLocaleString` builds a
 * formatter on every call, and the wall's panels format hundreds of counts per update (issue #19: at 50,000 units it
 * was the page's top JavaScript function).
 */
export function formatCount(n: number, locale: Locale): string {
  let f = counts.get(locale);
  if (!f) counts.set(locale, (f = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-GB')));
  return f.format(n);
}
