import { describe, expect, it } from 'vitest';
import { fromSnapshot } from '@egret/protocol';
import { aCase, aHubConfig, aSnapshot, T0 } from '../../test/fixtures.ts';
import { City } from '../state/city.svelte.ts';
import { UnitsStore } from '../state/units.svelte.ts';
import type { ReplayApi } from './replay-api.ts';
import { ReplayMap } from './replay-map.svelte.ts';
import { ReplaySession } from './replay-session.svelte.ts';

describe(ReplayMap.name, () => {
  it('draws the replayed world through the wall’s picture, every unit’s track under the units', () => {
    const session = new ReplaySession({} as ReplayApi);
    session.view.world = fromSnapshot(aSnapshot({ mode: 'typhoon', cases: [aCase({ id: 'C1', reportedAt: T0 })] }));
    session.t = T0;
    const map = new ReplayMap(session, new City(aHubConfig(), 'zh'));
    const layers = map.layers;
    const ids = layers.map((l) => l.id);
    expect(ids.indexOf('replay-trails')).toBe(ids.indexOf('units') - 1);
    expect(ids).toEqual(
      expect.arrayContaining(['cases', 'case-heat', 'case-overdue', 'dispatch-lines', 'district-labels']),
    );
    // The typhoon's heat, as the walls had it then; no arrival pulses in replay.
    const visible = Object.fromEntries(layers.map((l) => [l.id, l.props.visible !== false]));
    expect(visible).toMatchObject({ 'case-heat': true, 'case-pulse': false });
    expect(map.picture.openCases.map((c) => c.id)).toEqual(['C1']);
  });

  it('gives the units a new picture version at every seek, though each seek’s units store counts from 1 again', () => {
    const session = new ReplaySession({} as ReplayApi);
    session.view.world = fromSnapshot(aSnapshot({ mode: 'typhoon' }));
    session.t = T0;
    const map = new ReplayMap(session, new City(aHubConfig(), 'zh'));
    const seen = new Set<number>();
    for (let seek = 0; seek < 3; seek++) {
      // What a seek does: a new store, then the tracks move its units (a second picture).
      session.units = new UnitsStore();
      seen.add(map.units.version);
      session.units.version++;
      seen.add(map.units.version);
    }
    // Told apart by version alone (the units' screen cells are), no seek's picture passes for another's.
    expect(seen.size).toBe(6);
  });
});
