import { mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DIR, loadConfig } from './load.ts';
import { pointInRing } from '@egret/protocol';
import { activeEvents, guardedAt } from './major-events.ts';
import { tempDir } from '../../test/temp-dir.ts';

const config = loadConfig();
const HOUR = 3_600_000;
const forum = config.events.find((e) => e.id === 'straits-forum')!;
const during = Date.parse('2026-06-15T10:00:00+08:00');
const before = Date.parse('2026-06-13T10:00:00+08:00');
/** Inside the venue core zone (WGS-84: the file's GCJ-02 point 会展路 converted). */
const venue = forum.venues.find((v) => v.id === 'xicec')!.position;
/** 中山路, old town: far from every perimeter. */
const oldTown: [number, number] = [118.078, 24.459];

describe('the Straits Forum in config', () => {
  it('loads with its venues, perimeters and posts converted to WGS-84, each venue inside a perimeter', () => {
    expect(forum.perimeters.map((p) => p.id)).toEqual(['venue-core', 'hotel-zone']);
    expect(forum.posts.length).toBeGreaterThanOrEqual(6);
    // GCJ-02 → WGS-84 moves a point in Xiamen some 500 m south-west: the converted point differs from the file's.
    const raw = JSON.parse(readFileSync(join(CONFIG_DIR, 'cities/xiamen/events.json'), 'utf8'));
    expect(venue[0]).toBeLessThan(raw.events[0].venues[0].position[0]);
    for (const v of forum.venues) expect(forum.perimeters.some((p) => pointInRing(p.ring, v.position))).toBe(true);
  });

  it('is on only between its from and to', () => {
    expect(activeEvents(config.events, during).map((e) => e.id)).toEqual(['straits-forum']);
    expect(activeEvents(config.events, before)).toEqual([]);
  });

  it('guards a point inside a perimeter while the event is on, and nothing outside', () => {
    expect(guardedAt(config.events, venue, during)?.perimeterId).toBe('venue-core');
    expect(guardedAt(config.events, venue, before)).toBeUndefined();
    expect(guardedAt(config.events, oldTown, during)).toBeUndefined();
  });
});

describe('deadlines inside a perimeter', () => {
  const { categories } = config;
  it('gives a 市容 case inside the perimeter the event’s tighter deadline while the event is on', () => {
    // 09006 占道经营 (street): 4 h by the city's policy, 1 h inside the venue zone during the forum.
    expect(categories.deadlineMs('GB/T 47678.5-2026', '09006', 'normal')).toBe(4 * HOUR);
    expect(categories.deadlineMs('GB/T 47678.5-2026', '09006', 'normal', { position: venue, at: during })).toBe(
      1 * HOUR,
    );
    expect(categories.deadlineMs('GB/T 47678.5-2026', '09006', 'normal', { position: venue, at: before })).toBe(
      4 * HOUR,
    );
    expect(categories.deadlineMs('GB/T 47678.5-2026', '09006', 'normal', { position: oldTown, at: during })).toBe(
      4 * HOUR,
    );
  });

  it('leaves groups the event does not list, and never lengthens a deadline', () => {
    // 08001 施工扰民 (construction) is not a 市容 group of the forum.
    const construction = categories.deadlineMs('GB/T 47678.5-2026', '08001', 'normal');
    expect(categories.deadlineMs('GB/T 47678.5-2026', '08001', 'normal', { position: venue, at: during })).toBe(
      construction,
    );
    // street, critical: 0.5 h by policy, 0.25 h in the zone.
    expect(categories.deadlineMs('GB/T 47678.5-2026', '09006', 'critical', { position: venue, at: during })).toBe(
      0.25 * HOUR,
    );
  });
});

describe('a bad events.json', () => {
  function configDirWith(
    edit: (file: { events: Array<Record<string, unknown> & { deadlines: { groups: string[] } }> }) => void,
  ): string {
    const dir = tempDir('egret-config-');
    cpSync(CONFIG_DIR, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
    mkdirSync(join(dir, 'cities/xiamen'), { recursive: true });
    const file = join(dir, 'cities/xiamen/events.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    edit(json);
    writeFileSync(file, JSON.stringify(json));
    return dir;
  }

  it('stops the load with the file, the field and what was expected', () => {
    const dir = configDirWith((f) => {
      f.events[0]!.to = '2026-06-01T00:00:00+08:00';
      f.events[0]!.deadlines.groups.push('fireworks');
    });
    expect(() => loadConfig({ dir })).toThrow(/events\.json: events\[0\]\.to must be after events\[0\]\.from/);
    expect(() => loadConfig({ dir })).toThrow(/names fireworks, which is not a category group/);
    const bad = configDirWith((f) => {
      f.events[0]!.from = 'soon';
    });
    expect(() => loadConfig({ dir: bad })).toThrow(/events\.json: events\.0\.from must be an ISO time/);
  });
});
