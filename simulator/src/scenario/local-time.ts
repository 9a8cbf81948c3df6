const DAY_MS = 86_400_000;

/**
 * Offset of a time zone from UTC at one instant, in ms (Asia/Shanghai: +8 h all year). Derived from Intl so a
 * city in another zone works too; scenarios are hours to days long, so one offset per run is enough except across
 * a daylight-saving change, which China does not have.
 */
export function utcOffsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (at - (at % 1000));
}

/** Minutes since local midnight, 0 ≤ m < 1440. */
export function localMinuteOfDay(at: number, offsetMs: number): number {
  return ((((at + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
}

/** Local date as YYYYMMDD, for case numbers. */
export function localDateStamp(at: number, offsetMs: number): string {
  const d = new Date(at + offsetMs);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** "HH:MM" → minutes since midnight ("24:00" → 1440). */
export function parseHhMm(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether minute-of-day `m` lies in [from, to), wrapping past midnight when to ≤ from (a whole day when equal). */
export function inWindow(m: number, from: number, to: number): boolean {
  const f = ((from % 1440) + 1440) % 1440;
  const t = ((to % 1440) + 1440) % 1440;
  if (f === t) return true;
  return f < t ? m >= f && m < t : m >= f || m < t;
}
