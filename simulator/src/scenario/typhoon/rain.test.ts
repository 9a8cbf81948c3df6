import { describe, expect, it } from 'vitest';
import { moveAlong } from './local-geo.ts';
import { rainAt, rainFromStorm, rainTotalMm } from './rain.ts';
import { stormAt } from './track.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const { track } = typhoonScenario(loadTyphoonScenario());
const HOUR = 3_600_000;
const LANDFALL = track.landfall.at;

describe(rainFromStorm.name, () => {
  it('is heaviest in the eyewall, half that in the eye, and fades with distance outside', () => {
    const storm = stormAt(track, LANDFALL);
    const at = (km: number) => rainFromStorm(storm, track.physics, moveAlong(storm.center, 90, km));
    expect(at(storm.rmwKm)).toBeCloseTo(track.physics.rain.peakMmH, 6); // 48 m/s is the reference storm
    expect(at(0)).toBeCloseTo(track.physics.rain.peakMmH / 2, 6);
    expect(at(60)).toBeLessThan(at(30));
    expect(at(300)).toBeLessThan(1);
  });
});

describe(rainTotalMm.name, () => {
  it('drops a couple of hundred millimetres on the island over the event, nothing two days before', () => {
    const island: [number, number] = [118.09, 24.48];
    const total = rainTotalMm(track, island, LANDFALL - 24 * HOUR, LANDFALL + 24 * HOUR);
    expect(total).toBeGreaterThan(150);
    expect(total).toBeLessThan(350);
    expect(rainAt(track, LANDFALL - 48 * HOUR, island)).toBeLessThan(0.5);
  });
});
