import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/translate.ts';
import { countdown, durationMessage } from './countdown.ts';

const zh = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh', k, p);
const en = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('en', k, p);
const S = 1_000;
const M = 60 * S;
const H = 60 * M;

describe(countdown.name, () => {
  it('says how long is left in hours and minutes', () => {
    expect(countdown(zh, 10 * H, 10 * H - (2 * H + 5 * M + 30 * S))).toEqual({
      overdue: false,
      text: '剩余 2小时05分',
    });
    expect(countdown(en, 10 * H, 10 * H - (2 * H + 5 * M)).text).toBe('2 h 05 min left');
  });

  it('counts seconds in the last hour', () => {
    expect(countdown(zh, 10 * M, 10 * M - (3 * M + 7 * S)).text).toBe('剩余 3分07秒');
  });

  it('says how long a case is overdue, and marks it', () => {
    expect(countdown(zh, 0, 26 * H + 30 * M)).toEqual({ overdue: true, text: '超期 1天2小时' });
    expect(countdown(en, 0, 90 * S).text).toBe('Overdue by 1 min 30 s');
  });

  it('does not call a case due exactly now overdue', () => {
    expect(countdown(zh, 5 * H, 5 * H)).toEqual({ overdue: false, text: '剩余 0分00秒' });
  });
});

describe(durationMessage.name, () => {
  it('rounds down, so a deadline never looks further away than it is', () => {
    expect(durationMessage(H - 1)).toEqual({ key: 'duration.ms', params: { m: 59, s: '59' } });
    expect(durationMessage(24 * H - 1)).toEqual({ key: 'duration.hm', params: { h: 23, m: '59' } });
  });
});
