import { isCaseOpen, type Case } from '@egret/protocol';

/** The strip of today's case counts (the full 一张表 comes from the same events later). */
export interface TodayCounts {
  reported: number;
  filed: number;
  closed: number;
  /** Open now, whenever reported: neither closed nor rejected. */
  open: number;
}

/** Local midnight (epoch ms) of the day containing `t` in `timeZone`. */
export function dayStart(t: number, timeZone: string): number {
  const parts = zoneParts(timeZone).formatToParts(new Date(t));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  // Time of day in the zone; `hour` can read 24 at midnight in some engines.
  const sinceMidnight =
    ((get('hour') % 24) * 3600 + get('minute') * 60 + get('second')) * 1000 + (((t % 1000) + 1000) % 1000);
  return t - sinceMidnight;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function zoneParts(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** When a case was first filed (立案): `filedAt`, or the first filing step of its history. */
export function filedAt(c: Case): number | undefined {
  return c.filedAt ?? c.history.find((s) => s.to === 'filed')?.at;
}

/** Today's counts over all cases, `since` being local midnight of the world's today. */
export function todayCounts(cases: Iterable<Case>, since: number): TodayCounts {
  const out: TodayCounts = { reported: 0, filed: 0, closed: 0, open: 0 };
  for (const c of cases) {
    if (c.reportedAt >= since) out.reported++;
    const filed = filedAt(c);
    if (filed !== undefined && filed >= since) out.filed++;
    if (c.closedAt !== undefined && c.closedAt >= since) out.closed++;
    if (isCaseOpen(c)) out.open++;
  }
  return out;
}

/** The `n` most recently reported cases, newest first (one pass: the city holds tens of thousands). */
export function latestCases(cases: Iterable<Case>, n: number): Case[] {
  const top: Case[] = [];
  for (const c of cases) {
    if (top.length === n && !newer(c, top[n - 1]!)) continue;
    let i = top.length;
    while (i > 0 && newer(c, top[i - 1]!)) i--;
    top.splice(i, 0, c);
    if (top.length > n) top.pop();
  }
  return top;
}

function newer(a: Case, b: Case): boolean {
  return a.reportedAt > b.reportedAt || (a.reportedAt === b.reportedAt && a.id > b.id);
}
