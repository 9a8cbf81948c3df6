import { describe, expect, it } from 'vitest';
import type { LonLat } from '@egret/protocol';
import { aStorm } from '../../test/fixtures.ts';
import { THEME } from '../theme.ts';
import type { Boundaries } from './boundaries.ts';
import { inRing } from './storm-geometry.ts';
import { EMPTY_BOUNDARIES, pointerLabel, stormPicture, type StormPictureOptions } from './storm-picture.ts';

/** Two square districts: one on the coast where Meranti came ashore, one far inland to the west. */
const square = (code: string, [lon, lat]: LonLat, d = 0.1) => ({
  type: 'Feature' as const,
  properties: { code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat],
      ],
    ],
  },
});
const boundaries: Boundaries = {
  type: 'FeatureCollection',
  features: [square('350213', [118.25, 24.55]), square('far', [116.5, 24.5])],
};
const XIAMEN_EXTENT = [117.85, 24.38, 118.46, 24.92] as const;

const options = (over: Partial<StormPictureOptions> = {}): StormPictureOptions => ({
  boundaries,
  extent: XIAMEN_EXTENT,
  cityCenter: [118.12, 24.56],
  labelOf: (s) => `${s.name.zh} label`,
  pointerText: (s, km) => `${s.name.zh} ${km} km`,
  ...over,
});

describe(stormPicture.name, () => {
  it('draws the track so far as legs coloured by the intensity at their end, up to the latest observation', () => {
    const storm = aStorm();
    const p = stormPicture([storm], options());
    // Three best-track fixes plus the current centre: three legs, three past fixes, one centre.
    expect(p.legs).toHaveLength(3);
    expect(p.legs[2]).toEqual({ from: [119.5, 23.2], to: storm.center, color: THEME.storm.intensity.superty });
    expect(p.fixes.map((f) => f.position)).toEqual(storm.track.map((f) => f.center));
    expect(p.centres).toEqual([{ position: storm.center, color: THEME.storm.intensity.superty }]);
  });

  it('runs the forecast from the centre through each point, inside a cone that widens to the last point’s coneKm', () => {
    const storm = aStorm();
    const p = stormPicture([storm], options());
    expect(p.forecastPaths).toEqual([{ path: [storm.center, [118.1, 24.8], [117.6, 25.3]] }]);
    expect(p.forecastFixes.map((f) => f.color)).toEqual([THEME.storm.intensity.ty, THEME.storm.intensity.sts]);
    expect(p.cones).toHaveLength(1);
    const cone = p.cones[0]!.polygon;
    for (const f of storm.forecast) expect(inRing(cone, f.center)).toBe(true);
    expect(inRing(cone, [117.6 - 0.5, 25.3])).toBe(true); // 50 km west of the last point, within its 60 km
    expect(inRing(cone, [119.5, 23.2])).toBe(false); // the past is not in the forecast
  });

  it('rings the centre with the force-7, 10 and 12 radii in metres, the widest drawn first', () => {
    const p = stormPicture([aStorm({ r7Km: 220, r10Km: 80, r12Km: 0 })], options());
    expect(p.windCircles.map((c) => [c.force, c.radiusM])).toEqual([
      [7, 220_000],
      [10, 80_000],
    ]);
  });

  it('highlights the districts the force-10 circle reaches, as the base map’s own features', () => {
    const near = stormPicture([aStorm({ center: [118.3, 24.4], r10Km: 50 })], options());
    expect(near.damage.features.map((f) => f.properties.code)).toEqual(['350213']);
    expect(near.damage.features[0]).toBe(boundaries.features[0]);
    expect(stormPicture([aStorm({ r10Km: 0 })], options()).damage).toBe(EMPTY_BOUNDARIES);
  });

  it('keeps the previous damage collection while the same districts are hit, so deck.gl does not re-tessellate them', () => {
    const first = stormPicture([aStorm({ center: [118.3, 24.4], r10Km: 50 })], options());
    const moved = stormPicture([aStorm({ center: [118.31, 24.41], r10Km: 50 })], options(), first);
    expect(moved.damage).toBe(first.damage);
    const wider = stormPicture([aStorm({ center: [117.5, 24.5], r10Km: 200 })], options(), first);
    expect(wider.damage).not.toBe(first.damage);
    expect(wider.damage.features).toHaveLength(2);
  });

  it('labels a centre in view, and points at one beyond the map with its distance from the city', () => {
    const inView = stormPicture([aStorm({ center: [118.3, 24.6] })], options());
    expect(inView.pointers).toEqual([]);
    expect(inView.labels).toEqual([
      { position: [118.3, 24.6], text: '莫兰蒂 label', anchor: 'start', baseline: 'center', offset: [40, 0] },
    ]);

    const far = stormPicture([aStorm()], options());
    expect(far.pointers).toHaveLength(1);
    // Just outside the districts, south of them: in the margin the camera keeps.
    const [lon, lat] = far.pointers[0]!.position;
    expect(lon > 117.85 && lon < 118.46).toBe(true);
    expect(lat).toBeLessThan(24.38);
    expect(lat).toBeGreaterThan(24.35);
    expect(far.labels[0]!.text).toMatch(/^莫兰蒂 7\d km$/);
  });

  it('is empty, not missing, without storms', () => {
    const p = stormPicture([], options());
    expect([p.legs, p.cones, p.windCircles, p.centres, p.labels, p.pointers].every((rows) => rows.length === 0)).toBe(
      true,
    );
    expect(p.damage.features).toEqual([]);
  });
});

describe(pointerLabel.name, () => {
  it('puts the words along the edge beside the arrow, towards the middle of the map', () => {
    // Bottom edge, right of the middle (a storm to the south-east): the words run left of the arrow.
    expect(pointerLabel({ position: [0, 0], angleDeg: -70 }, 'x')).toMatchObject({
      anchor: 'end',
      baseline: 'center',
      offset: [-48, 0],
    });
    expect(pointerLabel({ position: [0, 0], angleDeg: 110 }, 'x')).toMatchObject({
      anchor: 'start',
      baseline: 'center',
      offset: [48, 0],
    });
    // East edge: just above the arrow, reading inwards.
    expect(pointerLabel({ position: [0, 0], angleDeg: 5 }, 'x')).toMatchObject({
      anchor: 'end',
      baseline: 'bottom',
      offset: [0, -48],
    });
  });
});
