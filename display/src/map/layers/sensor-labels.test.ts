import { describe, expect, it } from 'vitest';
import type { SensorLabel } from '../sensor-picture.ts';
import { THEME } from '../../theme.ts';
import { readingBox, readingsThatFit, SENSOR_LABEL_OFFSET_PX } from './sensor-labels.ts';

/** A flat projection: a degree is 1,000 px, y down as on a screen. */
const project = (p: readonly [number, number]) => [p[0] * 1_000, -p[1] * 1_000];
const reading = (text: string, lon: number, lat: number, level: SensorLabel['level'] = 'warning'): SensorLabel => ({
  position: [lon, lat],
  text,
  level,
});

describe(readingBox.name, () => {
  it('starts the offset right of its sensor, as the layer anchors the text', () => {
    const b = readingBox('86 cm', 100, 50, 34, SENSOR_LABEL_OFFSET_PX);
    expect(b.x - b.width / 2).toBeCloseTo(100 + SENSOR_LABEL_OFFSET_PX);
    expect(b.y).toBe(50);
  });
});

describe(readingsThatFit.name, () => {
  it('keeps the readings in their order and drops one over a kept reading or over a district name', () => {
    const alarm = reading('44 cm', 0.1, 0.1, 'alarm');
    const under = reading('0 cm', 0.1, 0.1); // the same place: over the alarm's reading
    const apart = reading('72 dB(A)', 0.5, 0.1);
    const onName = reading('3 cm', 0.2, 0.3); // its text over 翔安区 at (0.25, 0.3)
    const district = { code: '350213', position: [0.25, 0.3] as [number, number], text: '翔安区' };
    const shown = readingsThatFit([alarm, under, apart, onName], [district], project, 1, THEME.labelSize);
    expect(shown).toEqual([alarm, apart]);
  });

  it('always shows a reading in alarm, even over a district name, and the others give way to it', () => {
    const district = { code: '350203', position: [0.15, 0.1] as [number, number], text: '思明区' };
    const flooded = reading('46 cm', 0.1, 0.1, 'alarm');
    const beside = reading('5 cm', 0.1, 0.1);
    expect(readingsThatFit([beside, flooded], [district], project, 1, THEME.labelSize)).toEqual([flooded]);
  });

  it('shows them all when nothing crowds (a close view), and none off the projection', () => {
    const a = reading('1 cm', 0.1, 0.1);
    const b = reading('2 cm', 0.1, 0.2);
    expect(readingsThatFit([a, b], [], project, 1, THEME.labelSize)).toEqual([a, b]);
    expect(readingsThatFit([a], [], () => [Number.NaN, Number.NaN], 1, THEME.labelSize)).toEqual([]);
  });
});
