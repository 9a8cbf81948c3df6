import { describe, expect, it } from 'vitest';
import { checkSensors, DEFAULT_SENSORS, SensorsProfile } from './sensors-schema.ts';

const XIAMEN = ['350203', '350205', '350206', '350211', '350212', '350213'];

describe(checkSensors.name, () => {
  it('finds nothing wrong with the defaults, for Xiamen’s districts', () => {
    expect(checkSensors(DEFAULT_SENSORS, XIAMEN)).toEqual([]);
    expect(SensorsProfile.parse({})).toEqual(DEFAULT_SENSORS);
  });

  it('names every problem by its path', () => {
    const bad = {
      ...DEFAULT_SENSORS,
      noise: { ...DEFAULT_SENSORS.noise, offenders: 100, districtWeights: { '350203': 0 } },
      bikes: { ...DEFAULT_SENSORS.bikes, alarmRatio: 0.5, capacity: [0, 10] as [number, number] },
      fume: { ...DEFAULT_SENSORS.fume, districtWeights: { '123456': 1 } },
    };
    expect(checkSensors(bad, XIAMEN)).toEqual([
      'sensors.bikes.alarmRatio must be at least its warningRatio',
      'sensors.noise.offenders must be at most sensors.noise.count',
      'sensors.bikes.capacity must hold at least 1 bike',
      'sensors.noise.districtWeights needs a district with a weight > 0',
      'sensors.fume.districtWeights.123456 is not a district of the city',
    ]);
  });
});
