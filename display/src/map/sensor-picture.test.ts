import { describe, expect, it } from 'vitest';
import { aSensor, T0 } from '../../test/fixtures.ts';
import { SENSOR_LABELS_MAX, sensorPicture } from './sensor-picture.ts';

/** Readings in words as the screen writes these (state/sensors.ts formats them the same way for whole numbers). */
const readingOf = (s: { value?: number; unit: string }) => `${s.value ?? 0} ${s.unit}`;

describe(sensorPicture.name, () => {
  const sensors = [
    aSensor({ id: 'calm', value: 4 }),
    aSensor({ id: 'rising', level: 'warning', value: 18 }),
    aSensor({ id: 'flooded', level: 'alarm', value: 46, alarmSince: T0 }),
    aSensor({ id: 'site', kind: 'noise', unit: 'dB(A)', warning: 70, alarm: 85, value: 62 }),
    aSensor({ id: 'new', value: undefined }),
  ];

  it('labels the raised sensors, alarms first, and rings the alarms', () => {
    const p = sensorPicture(sensors, { labelAllGauges: false, readingOf });
    expect(p.markers).toEqual(sensors);
    expect(p.alarms.map((s) => s.id)).toEqual(['flooded']);
    expect(p.labels.map((l) => [l.text, l.level])).toEqual([
      ['46 cm', 'alarm'],
      ['18 cm', 'warning'],
    ]);
  });

  it('labels every water-level gauge with a reading in a typhoon, not the other sensors', () => {
    const p = sensorPicture(sensors, { labelAllGauges: true, readingOf });
    expect(p.labels.map((l) => l.text)).toEqual(['46 cm', '18 cm', '4 cm']);
  });

  it('draws a dog tag only while it reports a violation', () => {
    const dogs = [
      aSensor({ id: 'good-dog', kind: 'dog_tag', unit: '', warning: 1, alarm: 1, value: 0 }),
      aSensor({ id: 'stray', kind: 'dog_tag', unit: '', warning: 1, alarm: 1, value: 1, level: 'alarm' }),
    ];
    const p = sensorPicture(dogs, { labelAllGauges: true, readingOf: () => '违规遛犬' });
    expect(p.markers.map((s) => s.id)).toEqual(['stray']);
    expect(p.labels.map((l) => l.text)).toEqual(['违规遛犬']);
  });

  it('keeps the labels few enough to read', () => {
    const many = Array.from({ length: 100 }, (_, i) => aSensor({ id: `g${i}`, level: 'warning', value: 20 + (i % 7) }));
    expect(sensorPicture(many, { labelAllGauges: true, readingOf }).labels).toHaveLength(SENSOR_LABELS_MAX);
  });
});
