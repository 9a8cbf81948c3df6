import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DIR, loadConfig } from '@egret/config';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { tempDir } from '../../../../test/temp-dir.ts';

const { categories } = loadConfig();

/** A config dir holding typhoon-meranti.json with `edit` applied. */
function dirWith(edit: (s: any) => void): string {
  const dir = tempDir('egret-typhoon-');
  mkdirSync(join(dir, 'scenarios'));
  const s = JSON.parse(readFileSync(join(CONFIG_DIR, 'scenarios', 'typhoon-meranti.json'), 'utf8'));
  edit(s);
  writeFileSync(join(dir, 'scenarios', 'typhoon-meranti.json'), JSON.stringify(s));
  return dir;
}

describe(loadTyphoonScenario.name, () => {
  it('says which city the storm strikes and how much of its everyday case rate goes on, with defaults for a file without it', () => {
    const s = loadTyphoonScenario({ categories });
    expect(s.city).toEqual({ base: 'normal-day', caseFactor: { preparation: 0.8, landfall: 0.15, recovery: 0.6 } });
    expect(s.sensors).toBeUndefined();
    const bare = loadTyphoonScenario({
      dir: dirWith((x) => {
        delete x.city;
      }),
    });
    expect(bare.city).toEqual({ base: 'normal-day', caseFactor: { preparation: 1, landfall: 1, recovery: 1 } });
  });

  it('refuses a file named differently inside', () => {
    expect(() =>
      loadTyphoonScenario({
        dir: dirWith((x) => {
          x.name = 'typhoon-other';
        }),
      }),
    ).toThrow(/name must be "typhoon-meranti"/);
  });

  it('reads Meranti with every category code in config/categories.json', () => {
    const s = loadTyphoonScenario({ categories });
    expect(s.kind).toBe('typhoon');
    expect(s.name).toBe('typhoon-meranti');
    for (const c of s.incidents.categories) expect(categories.get(c.standard, c.code), c.code).toBeDefined();
    const codes = new Set(s.incidents.categories.map((c) => c.code));
    for (const code of [
      '03006',
      '03007',
      '07003',
      '08007',
      '08013',
      '01003',
      '01004',
      '01072',
      '06043',
      '06044',
      '04002',
      '04003',
      '10002',
      '01030',
      '01037',
      '02014',
      'L0001',
      'L0002',
      '06048',
      '06023',
      '06018',
      '06011',
      '06012',
      '06010',
      '09011',
    ])
      expect(codes.has(code), code).toBe(true);
  });

  it('turns CST times into UTC epoch ms', () => {
    const s = loadTyphoonScenario();
    expect(s.landfall.at).toBe(Date.UTC(2016, 8, 14, 19, 5));
    expect(s.window.end - s.window.start).toBe(72 * 3_600_000);
  });

  it('names the file and the field when a value is bad', () => {
    const dir = dirWith((s) => {
      s.track[2].pressureHpa = 'low';
    });
    expect(() => loadTyphoonScenario({ dir })).toThrow(/scenarios\/typhoon-meranti\.json: track\[2\]\.pressureHpa/);
  });

  it('refuses a category code the dictionary does not know', () => {
    const dir = dirWith((s) => {
      s.incidents.categories[4].code = '99999';
    });
    expect(() => loadTyphoonScenario({ dir, categories })).toThrow(
      /incidents\.categories\[4\] GB\/T 47678\.5-2026 99999 is not in config\/categories\.json/,
    );
  });

  it('refuses a track out of order and a landfall outside it', () => {
    const dir = dirWith((s) => {
      [s.track[1].at, s.track[2].at] = [s.track[2].at, s.track[1].at];
    });
    expect(() => loadTyphoonScenario({ dir })).toThrow(/track\[2\]\.at must be after track\[1\]\.at/);
    const dir2 = dirWith((s) => {
      s.landfall.at = '2016-09-20T00:00:00+08:00';
    });
    expect(() => loadTyphoonScenario({ dir: dir2 })).toThrow(/landfall\.at must lie within the track/);
  });

  it('refuses thresholds that do not rise and a missing file', () => {
    const dir = dirWith((s) => {
      s.floodPoints[0].thresholdsCm.alarm = 5;
    });
    expect(() => loadTyphoonScenario({ dir })).toThrow(/floodPoints\[0\]\.thresholdsCm must rise/);
    expect(() => loadTyphoonScenario({ name: 'typhoon-none' })).toThrow(
      /typhoon-none\.json: cannot be read \(ENOENT\)/,
    );
  });
});
