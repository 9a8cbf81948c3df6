import { WebMercatorViewport } from '@deck.gl/core';
import { describe, expect, it } from 'vitest';
import { mainViewportOf } from './main-viewport.ts';
import { OVERVIEW_VIEW_ID } from './overview.ts';

describe(mainViewportOf.name, () => {
  const view = (id: string) => new WebMercatorViewport({ id, width: 100, height: 100, longitude: 118, latitude: 24.5 });

  it('finds the main map beside the overview, in either order, and nothing among none', () => {
    const main = view('map');
    const overview = view(OVERVIEW_VIEW_ID);
    expect(mainViewportOf([main, overview])).toBe(main);
    expect(mainViewportOf([overview, main])).toBe(main);
    expect(mainViewportOf([overview])).toBeUndefined();
    expect(mainViewportOf([])).toBeUndefined();
  });
});
