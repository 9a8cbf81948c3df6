import type { MessageKey, MessageParams } from '../i18n/translate.ts';

/** A message to translate: its key and parameters. */
export interface Message {
  key: MessageKey;
  params: MessageParams;
}

/** Translates a message (`I18n.t`, or `translate` bound to a locale). */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export interface Countdown {
  /** Past the deadline (a case due exactly now is not yet overdue, as in `isCaseOverdue`). */
  overdue: boolean;
  /** "剩余 2小时05分" / "超期 1天3小时". */
  text: string;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in the two largest units that matter from across a desk: days and hours above a day, hours and
 * minutes above an hour, minutes and seconds below (where every second counts). Rounded down, so a deadline
 * never looks further away than it is; minutes are two digits so the text does not jump about.
 */
export function durationMessage(ms: number): Message {
  const t = Math.max(0, Math.floor(ms / SECOND) * SECOND);
  if (t >= DAY) return { key: 'duration.dh', params: { d: Math.floor(t / DAY), h: Math.floor((t % DAY) / HOUR) } };
  if (t >= HOUR)
    return { key: 'duration.hm', params: { h: Math.floor(t / HOUR), m: pad2(Math.floor((t % HOUR) / MINUTE)) } };
  return { key: 'duration.ms', params: { m: Math.floor(t / MINUTE), s: pad2(Math.floor((t % MINUTE) / SECOND)) } };
}

/** Time left until `deadline` at world time `now`, or how long it is overdue, in words. */
export function countdown(t: Translate, deadline: number, now: number): Countdown {
  const overdue = now > deadline;
  const d = durationMessage(Math.abs(deadline - now));
  return { overdue, text: t(overdue ? 'countdown.overdue' : 'countdown.left', { time: t(d.key, d.params) }) };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
