import { describe, expect, it } from 'vitest';
import { Mode } from '@egret/protocol';
import {
  LAYER_KEYS,
  layersFromQuery,
  MODE_PROFILES,
  modeProfile,
  orderGroups,
  PANEL_KEYS,
  visibleLayers,
  withLayerToggled,
} from './modes.ts';

describe('MODE_PROFILES', () => {
  it('has a profile for every mode the protocol knows, each showing every panel exactly once', () => {
    for (const mode of Mode.options) {
      const p = MODE_PROFILES[mode];
      expect([...p.panels].sort(), mode).toEqual([...PANEL_KEYS].sort());
    }
  });

  it('leads with alerts and heat in a typhoon, with emergency categories first', () => {
    const p = MODE_PROFILES.typhoon;
    expect(p.alertsLead).toBe(true);
    expect(p.layers).toContain('heat');
    expect(p.leadGroups[0]).toBe('emergency');
    expect(p.panels.indexOf('tasks')).toBeLessThan(p.panels.indexOf('districts'));
  });

  it('leads with street order during a major event, and keeps heat off in peacetime', () => {
    expect(MODE_PROFILES.major_event.leadGroups[0]).toBe('street');
    expect(MODE_PROFILES.major_event.layers).toContain('heat');
    expect(MODE_PROFILES.peacetime.layers).not.toContain('heat');
    expect(MODE_PROFILES.peacetime.alertsLead).toBe(false);
  });

  it('leads a typhoon with the storm and the sensors, every gauge labelled; shows both in every mode', () => {
    expect(MODE_PROFILES.typhoon.layers.slice(0, 2)).toEqual(['storm', 'sensors']);
    expect(MODE_PROFILES.typhoon.labelAllGauges).toBe(true);
    for (const mode of Mode.options)
      expect(MODE_PROFILES[mode].layers, mode).toEqual(expect.arrayContaining(['storm', 'sensors']));
    expect(MODE_PROFILES.peacetime.labelAllGauges).toBe(false);
  });

  it('leads a major event with its perimeters, posts and venues and the alert rail; shows them in every mode', () => {
    expect(MODE_PROFILES.major_event.layers.slice(0, 3)).toEqual(['perimeters', 'posts', 'venues']);
    expect(MODE_PROFILES.major_event.alertsLead).toBe(true);
    for (const mode of Mode.options)
      expect(MODE_PROFILES[mode].layers, mode).toEqual(expect.arrayContaining(['perimeters', 'venues', 'posts']));
    expect(new Set(MODE_PROFILES.major_event.layers).size).toBe(MODE_PROFILES.major_event.layers.length);
  });

  it('leaves the unit grids to the console in every mode, which can switch them on', () => {
    expect(MODE_PROFILES.peacetime.layers).not.toContain('grid');
    expect(MODE_PROFILES.typhoon.layers).not.toContain('grid');
    expect(MODE_PROFILES.major_event.layers).not.toContain('grid');
    expect(visibleLayers('typhoon', new Set(['grid']))).toMatchObject({ grid: true, storm: false });
  });

  it('falls back to peacetime for a mode this display does not know', () => {
    expect(modeProfile('flood')).toBe(MODE_PROFILES.peacetime);
  });
});

describe(visibleLayers.name, () => {
  it("shows the mode's default layers until someone chooses", () => {
    expect(visibleLayers('peacetime', null)).toMatchObject({ heat: false, cases: true, units: true, overdue: true });
    expect(visibleLayers('typhoon', null)).toMatchObject({ heat: true, cases: true });
  });

  it('shows exactly the chosen layers, whatever the mode', () => {
    const v = visibleLayers('typhoon', new Set(['units', 'labels'] as const));
    expect(Object.keys(v).sort()).toEqual([...LAYER_KEYS].sort());
    expect(v).toMatchObject({ units: true, labels: true, heat: false, cases: false });
  });
});

describe(layersFromQuery.name, () => {
  it('reads ?layers=heat,units and ignores names it does not know', () => {
    expect(layersFromQuery('?layers=heat,units,ghosts')).toEqual(new Set(['heat', 'units']));
  });

  it('is null without the parameter, and an empty choice with an empty one', () => {
    expect(layersFromQuery('?w=5760')).toBeNull();
    expect(layersFromQuery('?layers=')).toEqual(new Set());
  });
});

describe(orderGroups.name, () => {
  const groups = ['municipal', 'traffic', 'greenery', 'street', 'emergency', 'other'];

  it("puts the mode's lead groups first, in its order, and keeps the others as given", () => {
    expect(orderGroups(groups, 'typhoon')).toEqual([
      'emergency',
      'greenery',
      'municipal',
      'traffic',
      'other',
      'street',
    ]);
    expect(orderGroups(groups, 'peacetime')).toEqual(groups);
  });

  it('skips lead groups the city does not have', () => {
    expect(orderGroups(['street', 'other'], 'major_event')).toEqual(['street', 'other']);
  });
});

describe(withLayerToggled.name, () => {
  it('flips one layer of what the walls show now and keeps the rest, in the layers’ own order', () => {
    const now = visibleLayers('typhoon', null);
    expect(withLayerToggled(now, 'heat')).toEqual(LAYER_KEYS.filter((k) => now[k] && k !== 'heat'));
    const off = visibleLayers('peacetime', new Set(['units']));
    expect(withLayerToggled(off, 'cases')).toEqual(['cases', 'units']);
    expect(withLayerToggled(off, 'units')).toEqual([]);
  });
});
