import { describe, expect, it } from 'vitest';
import { aSensor } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import { formatReading, readingText } from './sensors.ts';

describe('reading units in words', () => {
  it('writes a count of shared bikes in the wall language, symbols as sent', () => {
    const bikes = aSensor({ kind: 'bike_count', value: 46, unit: 'bikes' });
    const noise = aSensor({ kind: 'noise', value: 72, unit: 'dB(A)' });
    const zh = new I18n('zh');
    const en = new I18n('en');
    expect([readingText(bikes, zh), readingText(bikes, en), readingText(noise, en)]).toEqual([
      '46 辆',
      '46 bikes',
      '72 dB(A)',
    ]);
  });
});

describe(formatReading.name, () => {
  it('shows one decimal below 100 and whole numbers above, without a trailing zero', () => {
    expect([
      formatReading(0.84, 'mg/m³'),
      formatReading(46, 'cm'),
      formatReading(128.4, 'cm'),
      formatReading(1, ''),
    ]).toEqual(['0.8 mg/m³', '46 cm', '128 cm', '1']);
  });
});
