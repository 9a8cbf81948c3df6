import { describe, expect, it } from 'vitest';
import { MapLayer } from '@egret/protocol';
import { aCase, T0 } from '../../../test/fixtures.ts';
import type { OffPostUnit, Perimeter, Post, PostRow, Venue } from '../event-picture.ts';
import { THEME, type Rgba } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { offPostLabels, offPostLinks, venueLabels } from '../event-picture.ts';
import { mapLayers } from './index.ts';
import { EMPTY_EVENT_PICTURE, eventLayers, type EventPicture } from './major-event.ts';
import { visibilityOf } from './wall-overlays.ts';

const core: Perimeter = {
  id: 'venue-core',
  name: { zh: '会展核心保障区', en: 'Venue core zone' },
  ring: [
    [118.17, 24.46],
    [118.2, 24.46],
    [118.2, 24.49],
  ],
  approximate: true,
};
const xicec: Venue = {
  id: 'xicec',
  name: { zh: '厦门国际会议展览中心', en: 'XICEC' },
  position: [118.181, 24.477],
  approximate: true,
};
const north: Post = {
  id: 'post-n',
  name: { zh: '会展北路岗', en: 'Huizhan Rd North post' },
  position: [118.18, 24.484],
  radiusM: 200,
};
const south: Post = {
  id: 'post-s',
  name: { zh: '会展南路岗', en: 'Huizhan Rd South post' },
  position: [118.184, 24.464],
  radiusM: 150,
};
const rows: PostRow[] = [
  { post: north, state: 'held', holders: 1, away: 0 },
  { post: south, state: 'left', holders: 1, away: 1 },
];
const stray: OffPostUnit = {
  unitId: 'U1',
  name: '思明一中队 会展南路岗1',
  post: south,
  position: [118.19, 24.46],
  distanceM: 660,
  since: T0,
};

function picture(): EventPicture {
  return {
    perimeters: [core],
    venues: [xicec],
    venueLabels: venueLabels([xicec], (v) => v.name.zh),
    posts: rows,
    offPost: [stray],
    offPostLinks: offPostLinks([stray]),
    offPostLabels: offPostLabels([stray], (u) => `${u.post.name.zh} 离岗 ${u.distanceM} 米`),
    wrapNames: false,
  };
}
const ALL_ON = { perimeters: true, venues: true, posts: true };
const props = (l: { props: unknown }) => l.props as Record<string, unknown>;
const call = (accessor: unknown, d: unknown) =>
  (accessor as (d: unknown, o: unknown) => unknown)(d, { index: 0, data: [], target: [] });
const all = (l: ReturnType<typeof eventLayers>) => [...l.areas, ...l.posts, ...l.marks];

describe(eventLayers.name, () => {
  it('builds the same layers with stable ids whether or not an event is shown, without touching a GPU', () => {
    const ids = all(eventLayers({ picture: picture(), visible: ALL_ON })).map((l) => l.id);
    expect(ids).toEqual([
      'event-perimeters',
      'event-perimeter-edges',
      'event-posts',
      'event-off-post-links',
      'event-off-post',
      'event-venues',
      'event-venue-labels',
      'event-off-post-labels',
    ]);
    const empty = all(eventLayers({ picture: EMPTY_EVENT_PICTURE, visible: ALL_ON }));
    expect(empty.map((l) => l.id)).toEqual(ids);
    expect(empty.every((l) => l.props.visible === false)).toBe(true);
  });

  it('outlines each perimeter with its ring closed, over the cases, and fills it faintly under them', () => {
    const l = eventLayers({ picture: picture(), visible: ALL_ON });
    const edges = l.posts.find((x) => x.id === 'event-perimeter-edges')!;
    const path = call(props(edges).getPath, core) as [number, number][];
    expect(path).toEqual([...core.ring, core.ring[0]]);
    expect(call(props(edges).getPath, core)).toBe(path);
    expect(props(l.areas[0]!).stroked).toBe(false);
  });

  it('rings each post at its radius on the ground, never smaller than a readable ring, coloured by how it is held', () => {
    const posts = eventLayers({ picture: picture(), visible: ALL_ON }).posts.find((l) => l.id === 'event-posts')!;
    expect(props(posts).radiusUnits).toBe('meters');
    expect(call(props(posts).getRadius, rows[1])).toBe(150);
    expect(props(posts).radiusMinPixels).toBe(THEME.event.postMinRadius);
    expect(call(props(posts).getLineColor, rows[0])).toEqual(THEME.event.post.held);
    expect(call(props(posts).getLineColor, rows[1])).toEqual(THEME.event.post.left);
    const half = eventLayers({ picture: picture(), visible: ALL_ON, scale: 0.5 }).posts.find(
      (l) => l.id === 'event-posts',
    )!;
    expect(props(half).radiusMinPixels).toBe(THEME.event.postMinRadius / 2);
  });

  it('draws a unit off its post with a red halo, a line back to its post and a label naming the post and distance', () => {
    const l = eventLayers({ picture: picture(), visible: ALL_ON });
    const halo = l.marks.find((x) => x.id === 'event-off-post')!;
    expect(halo.props.visible).toBe(true);
    expect(props(halo).getLineColor).toEqual(THEME.event.offPost.line);
    const link = l.posts.find((x) => x.id === 'event-off-post-links')!;
    expect(link.props.data).toEqual([{ from: south.position, to: stray.position }]);
    const label = l.marks.find((x) => x.id === 'event-off-post-labels')!;
    expect(call(props(label).getText, (label.props.data as unknown[])[0])).toBe('会展南路岗 离岗 660 米');
    // On a plate, drawn last: nothing on the map covers it.
    expect(props(label).background).toBe(true);
    expect(l.marks.at(-1)).toBe(label);
  });

  it('wraps English venue names at spaces and leaves Chinese ones on one line', () => {
    const names = (wrapNames: boolean) =>
      props(
        eventLayers({ picture: { ...picture(), wrapNames }, visible: ALL_ON }).marks.find(
          (l) => l.id === 'event-venue-labels',
        )!,
      );
    expect(names(false).maxWidth).toBe(-1);
    expect(names(true).maxWidth).toBeGreaterThan(0);
    expect(names(true).wordBreak).toBe('break-word');
  });

  it('hides each group with its switch: perimeters, venues, posts', () => {
    const l = all(eventLayers({ picture: picture(), visible: { perimeters: false, venues: true, posts: false } }));
    const shown = Object.fromEntries(l.map((x) => [x.id, x.props.visible]));
    expect(shown).toEqual({
      'event-perimeters': false,
      'event-perimeter-edges': false,
      'event-posts': false,
      'event-off-post-links': false,
      'event-off-post': false,
      'event-off-post-labels': false,
      'event-venues': true,
      'event-venue-labels': true,
    });
  });

  it('passes the picture’s arrays through untouched and keeps every accessor, so a rebuilt list re-uploads nothing', () => {
    const p = picture();
    const a = all(eventLayers({ picture: p, visible: ALL_ON }));
    const b = all(eventLayers({ picture: p, visible: ALL_ON }));
    a.forEach((layer, i) => {
      for (const [k, v] of Object.entries(props(layer)))
        if (typeof v === 'function' || Array.isArray(v)) expect(props(b[i]!)[k], `${layer.id}.${k}`).toBe(v);
    });
  });
});

describe('the major event in the map stack', () => {
  const boundaries: Boundaries = { type: 'FeatureCollection', features: [] };
  const units = {
    length: 0,
    positions: new Float32Array(0),
    colors: new Uint8Array(0),
    lineColors: new Uint8Array(0),
    radii: new Float32Array(0),
    version: 1,
  };
  const base = { boundaries, labels: [], cases: [aCase()], caseColor: (): Rgba => [1, 2, 3, 255], units };

  it('puts the perimeters over the base map, the posts over the cases, strays and venues over the units', () => {
    const ids = mapLayers({ ...base, event: picture() }).map((l) => l.id);
    const at = (id: string) => ids.indexOf(id);
    expect(at('event-perimeters')).toBeLessThan(at('cases'));
    expect(at('event-perimeters')).toBeGreaterThan(at('district-edge'));
    expect(at('event-perimeter-edges')).toBeGreaterThan(at('cases'));
    expect(at('event-off-post-labels')).toBeGreaterThan(at('district-labels'));
    expect(at('event-posts')).toBeGreaterThan(at('cases'));
    expect(at('event-posts')).toBeLessThan(at('units'));
    expect(at('event-off-post')).toBeGreaterThan(at('units'));
    expect(at('event-venue-labels')).toBeGreaterThan(at('units'));
  });

  it('draws the perimeters over the heat, whose glow would hide their outline', () => {
    const overlays = {
      visible: visibilityOf(new Set(MapLayer.options)),
      today: [],
      overdue: [],
      fresh: [],
      pulsePhase: 0,
      trail: { path: [], version: 0 },
    };
    const ids = mapLayers({ ...base, event: picture(), overlays }).map((l) => l.id);
    expect(ids.indexOf('event-perimeters')).toBeGreaterThan(ids.indexOf('case-heat'));
  });

  it('follows the wall’s switches, and shows every event layer at the console, which has none', () => {
    const overlays = {
      visible: visibilityOf(new Set(['cases', 'units'] as const)),
      today: [],
      overdue: [],
      fresh: [],
      pulsePhase: 0,
      trail: { path: [], version: 0 },
    };
    const hidden = mapLayers({ ...base, event: picture(), overlays }).filter((l) => l.id.startsWith('event-'));
    expect(hidden.every((l) => l.props.visible === false)).toBe(true);
    const consoleLayers = mapLayers({ ...base, event: picture() }).filter((l) => l.id.startsWith('event-'));
    expect(consoleLayers.every((l) => l.props.visible === true)).toBe(true);
  });
});
