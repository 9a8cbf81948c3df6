import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DIR, loadConfig } from './load.ts';
import {
  DEFAULT_AUTO_DISPATCH_AFTER_MS,
  DEFAULT_FIELD_RESPONSE,
  DEFAULT_VERIFICATION,
  listScenarios,
  loadScenario,
  scenarioKind,
} from './scenario-schema.ts';
import { DEFAULT_DOGS, DEFAULT_NOISE, DEFAULT_SENSORS } from './sensors-schema.ts';
import { tempDir } from '../../test/temp-dir.ts';

const { categories } = loadConfig();

/** A config dir holding one scenario file with `edit` applied to normal-day. */
function dirWith(name: string, edit: (s: any) => void): string {
  const dir = tempDir('egret-scenario-');
  mkdirSync(join(dir, 'scenarios'));
  const s = JSON.parse(readFileSync(join(CONFIG_DIR, 'scenarios', 'normal-day.json'), 'utf8'));
  edit(s);
  writeFileSync(join(dir, 'scenarios', `${name}.json`), JSON.stringify(s));
  return dir;
}

describe(loadScenario.name, () => {
  it('reads normal-day and load, with every category code in the dictionary', () => {
    const normal = loadScenario('normal-day', { categories });
    expect(normal.kind).toBe('city');
    const load = loadScenario('load', { categories });
    expect(load.kind).toBe('load');
    expect(listScenarios()).toEqual(expect.arrayContaining(['normal-day', 'load']));
  });

  it('names the file and the field when a value is bad', () => {
    const dir = dirWith('normal-day', (s) => {
      s.cases.hourly = [1, 2, 3];
    });
    expect(() => loadScenario('normal-day', { dir })).toThrow(/scenarios\/normal-day\.json: cases\.hourly/);
    const dir2 = dirWith('normal-day', (s) => {
      s.units.types.drone.speedMps = -1;
    });
    expect(() => loadScenario('normal-day', { dir: dir2 })).toThrow(
      /scenarios\/normal-day\.json: units\.types\.drone\.speedMps/,
    );
  });

  it('refuses a category code the dictionary does not know', () => {
    const dir = dirWith('normal-day', (s) => {
      s.cases.categories[2].code = '99999';
    });
    expect(() => loadScenario('normal-day', { dir, categories })).toThrow(
      /cases\.categories\[2\] GB\/T 47678\.5-2026 99999 is not in config\/categories\.json/,
    );
  });

  it('refuses a category no source can report', () => {
    const dir = dirWith('normal-day', (s) => {
      s.cases.sources = s.cases.sources.filter((x: any) => x.source === 'iot');
    });
    expect(() => loadScenario('normal-day', { dir })).toThrow(/09010 has no source that can report it/);
  });

  it('spells out the field side in normal-day, and fills the same defaults for a file without it', () => {
    const normal = loadScenario('normal-day', { categories });
    if (normal.kind !== 'city') throw new Error('normal-day is a city scenario');
    expect([normal.field, normal.verification, normal.autoDispatchAfterMs]).toEqual([
      DEFAULT_FIELD_RESPONSE,
      DEFAULT_VERIFICATION,
      DEFAULT_AUTO_DISPATCH_AFTER_MS,
    ]);
    const dir = dirWith('normal-day', (s) => {
      delete s.field;
      delete s.verification;
      delete s.autoDispatchAfterMs;
    });
    const bare = loadScenario('normal-day', { dir, categories });
    expect(
      bare.kind === 'city' && [bare.field.declineShare, bare.verification.failShare, bare.autoDispatchAfterMs],
    ).toEqual([0.03, 0.06, 180_000]);
  });

  it('refuses field timings the wrong way round, shares over 1 and unknown category groups', () => {
    const dir = dirWith('normal-day', (s) => {
      s.field.workMinutes.byGroup.street = [30, 10];
      s.field.silentShare = 0.99;
      s.field.workMinutes.byGroup.trees = [1, 2];
    });
    const error = (() => {
      try {
        loadScenario('normal-day', { dir, categories });
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(error).toMatch(/field\.workMinutes\.byGroup\.street must be \[min, max\] with min ≤ max/);
    expect(error).toMatch(/field\.declineShare \+ field\.silentShare must be at most 1/);
    expect(error).toMatch(/field\.workMinutes\.byGroup\.trees is not a category group/);
  });

  it('lists the known scenarios when the name is unknown, and refuses a file named differently inside', () => {
    expect(() => loadScenario('no-such-day')).toThrow(/no such scenario \(known: .*normal-day/);
    const dir = dirWith('other-day', () => {});
    expect(() => loadScenario('other-day', { dir })).toThrow(/name must be "other-day"/);
  });

  it('spells out the sensors in normal-day, and fills the defaults for a file without them or with only some', () => {
    const normal = loadScenario('normal-day', { categories });
    expect(normal.kind === 'city' && normal.sensors).toEqual(DEFAULT_SENSORS);
    const bare = loadScenario('normal-day', {
      dir: dirWith('normal-day', (s) => {
        delete s.sensors;
      }),
    });
    expect(bare.kind === 'city' && bare.sensors).toEqual(DEFAULT_SENSORS);
    const some = loadScenario('normal-day', {
      dir: dirWith('normal-day', (s) => {
        s.sensors = { dogs: { ...DEFAULT_DOGS, count: 500 } };
      }),
    });
    expect(
      some.kind === 'city' && [some.sensors.dogs.count, some.sensors.noise, some.sensors.readEveryMinutes],
    ).toEqual([500, DEFAULT_NOISE, 5]);
  });

  it('refuses sensor thresholds and ranges the wrong way round', () => {
    const dir = dirWith('normal-day', (s) => {
      s.sensors.noise.alarm = 60;
      s.sensors.dogs.walkMinutes = [50, 10];
    });
    const error = (() => {
      try {
        loadScenario('normal-day', { dir });
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(error).toMatch(/normal-day\.json: sensors\.noise\.alarm must be at least its warning/);
    expect(error).toMatch(/sensors\.dogs\.walkMinutes must be \[min, max\] with min ≤ max/);
  });

  it('points a typhoon or major-event file to the simulator’s loader, and names the kinds it knows for anything else', () => {
    expect(() => loadScenario('typhoon-meranti')).toThrow(
      /typhoon-meranti\.json: is a typhoon scenario: the simulator reads it \(loadTyphoonScenario\)/,
    );
    const dir = dirWith('festival', (s) => {
      s.name = 'festival';
      s.kind = 'festival';
    });
    expect(() => loadScenario('straits-forum')).toThrow(
      /straits-forum\.json: is a major-event scenario: the simulator reads it \(loadMajorEventScenario\)/,
    );
    expect(() => loadScenario('festival', { dir })).toThrow(
      /kind must be one of city, load, typhoon, major-event or campaign, got "festival"/,
    );
    expect(() => loadScenario('civilised-city')).toThrow(
      /civilised-city\.json: is a campaign scenario: the simulator reads it \(loadCampaignScenario\)/,
    );
  });
});

describe(scenarioKind.name, () => {
  it('reads the kind a file declares without validating the rest', () => {
    expect(['normal-day', 'load', 'typhoon-meranti', 'straits-forum'].map((n) => scenarioKind(n))).toEqual([
      'city',
      'load',
      'typhoon',
      'major-event',
    ]);
    const dir = dirWith('odd', (s) => {
      delete s.kind;
    });
    expect(() => scenarioKind('odd', { dir })).toThrow(/odd\.json: kind must name the engine that plays it/);
    expect(() => scenarioKind('no-such-day')).toThrow(/no such scenario \(known: .*typhoon-meranti/);
  });
});
