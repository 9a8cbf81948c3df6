import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';
import { districtShapes, inShape } from './geometry.ts';
import { loadPlaces } from './places.ts';
import { tempDir } from '../../test/temp-dir.ts';

describe(loadPlaces.name, () => {
  const config = loadConfig();
  const places = loadPlaces();

  it('names places for every district of Xiamen', () => {
    for (const d of config.city.districts) expect(places.districts[d.code]?.length ?? 0).toBeGreaterThanOrEqual(5);
  });

  it('comes back in WGS-84, like the boundaries loadConfig converts', () => {
    expect(places.crs).toBe('WGS-84');
  });

  it('puts every place inside its own district', () => {
    const shapes = districtShapes(config.boundaries);
    for (const [code, list] of Object.entries(places.districts)) {
      const shape = shapes.find((s) => s.code === code)!;
      for (const p of list)
        expect({ place: p.name, inside: inShape(shape, p.at) }).toEqual({ place: p.name, inside: true });
    }
  });

  it('names the file and the field when a place is bad', () => {
    const dir = tempDir('egret-places-');
    mkdirSync(join(dir, 'cities', 'xiamen'), { recursive: true });
    writeFileSync(
      join(dir, 'cities', 'xiamen', 'places.json'),
      JSON.stringify({ districts: { '350203': [{ name: '中山路', at: [118] }] } }),
    );
    expect(() => loadPlaces({ dir })).toThrow(/cities\/xiamen\/places\.json: districts\.350203\.0\.at/);
  });
});
