import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMajorEventScenario } from './major-event-config.ts';
import { config } from '../../../test/city.ts';
import { tempDir } from '../../../../test/temp-dir.ts';

/** A config dir with a copy of the scenarios, straits-forum.json edited. */
function dirWith(edit: (s: any) => void): string {
  const dir = tempDir('egret-major-event-');
  cpSync(join(config.dir, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  const file = join(dir, 'scenarios', 'straits-forum.json');
  const s = JSON.parse(readFileSync(file, 'utf8'));
  edit(s);
  writeFileSync(file, JSON.stringify(s));
  return dir;
}

const load = (dir?: string) =>
  loadMajorEventScenario({
    name: 'straits-forum',
    events: config.events,
    categories: config.categories,
    ...(dir ? { dir } : {}),
  });
const messageOf = (f: () => unknown) => {
  try {
    f();
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

describe(loadMajorEventScenario.name, () => {
  it('reads straits-forum and finds its event in the city config, window and all', () => {
    const { file, event } = load();
    expect(file).toMatchObject({
      name: 'straits-forum',
      kind: 'major-event',
      event: 'straits-forum',
      city: { base: 'normal-day' },
    });
    expect(event.from).toBe(Date.parse('2026-06-14T06:00:00+08:00'));
    expect(event.to).toBe(Date.parse('2026-06-16T22:00:00+08:00'));
    expect(event.posts).toHaveLength(6);
    expect(file.cases.categories.map((c) => c.code).sort()).toEqual([
      '06010',
      '06012',
      '07001',
      '09001',
      '09006',
      '09011',
    ]);
  });

  it('names the file and the field when the schema is not met', () => {
    const dir = dirWith((s) => {
      s.posts.unitsPerPost = [0, 2];
      s.cases.hourly = [1, 2];
    });
    const error = messageOf(() => load(dir));
    expect(error).toMatch(/straits-forum\.json: posts\.unitsPerPost\[0\]/);
    expect(error).toMatch(/straits-forum\.json: cases\.hourly/);
  });

  it('refuses an event the city does not guard, and lists the ones it does', () => {
    const dir = dirWith((s) => {
      s.event = 'expo';
    });
    expect(messageOf(() => load(dir))).toMatch(
      /straits-forum\.json: event names expo, which is not an event of the city's events\.json \(known: straits-forum\)/,
    );
  });

  it('refuses unknown perimeters and categories, reversed ranges and wander hours the wrong way round', () => {
    const dir = dirWith((s) => {
      s.cases.location.perimeterWeights = { 'venue-core': 1, airport: 2 };
      s.cases.categories[0].code = '09999';
      s.cases.categories[1].sources = { patrol: 0 };
      s.posts.wanders.beyondMinutes = [20, 5];
      s.posts.wanders.kinds[1].beyondM = [450, 120];
      s.posts.wanders.hours = ['22:00', '07:00'];
    });
    const error = messageOf(() => load(dir));
    expect(error).toMatch(
      /cases\.location\.perimeterWeights names airport, which is not a perimeter of event straits-forum/,
    );
    expect(error).toMatch(/cases\.categories\[0\] GB\/T 47678\.5-2026 09999 is not in config\/categories\.json/);
    expect(error).toMatch(/cases\.categories\[1\] 09006 has no source with a weight > 0/);
    expect(error).toMatch(/posts\.wanders\.beyondMinutes must be \[min, max\]/);
    expect(error).toMatch(/posts\.wanders\.kinds\[1\]\.beyondM must be \[min, max\]/);
    expect(error).toMatch(/posts\.wanders\.hours must be \[from, to\]/);
  });

  it('insists the file is named for its scenario', () => {
    const dir = dirWith((s) => {
      s.name = 'forum';
    });
    expect(messageOf(() => load(dir))).toMatch(/name must be "straits-forum" \(the file's name\), got "forum"/);
  });
});
