import { describe, expect, it } from 'vitest';
import { T0 } from '../../test/fixtures.ts';
import { offPostLabels, offPostLinks, venueLabels, type Venue } from './event-picture.ts';

const venue = (id: string, lon: number, lat: number): Venue => ({
  id,
  name: { zh: id, en: id },
  position: [lon, lat],
  approximate: true,
});
/** The forum's venues: the exhibition centre and the conference centre 900 m apart; the guest hotel across the island. */
const xicec = venue('xicec', 118.1812, 24.4771);
const xicc = venue('xicc', 118.1855, 24.4697);
const hotel = venue('hotel', 118.1235, 24.502);

describe(venueLabels.name, () => {
  it('names the coast’s two near venues to the right, one above and one below, and the inland hotel to its left', () => {
    const labels = venueLabels([xicec, xicc, hotel], (v) => `name of ${v.id}`);
    expect(labels.map((l) => [l.text, l.anchor, l.baseline, Math.sign(l.offset[0]), Math.sign(l.offset[1])])).toEqual([
      ['name of xicec', 'start', 'bottom', 1, -1],
      ['name of xicc', 'start', 'top', 1, 1],
      ['name of hotel', 'end', 'center', -1, 0],
    ]);
  });

  it('names a lone venue to its right, level with its marker', () => {
    expect(venueLabels([hotel], (v) => v.id)).toMatchObject([{ anchor: 'start', baseline: 'center' }]);
  });

  it('names the middle venue of a north–south column level with it', () => {
    const column = [venue('n', 118.185, 24.477), venue('mid', 118.185, 24.4734), venue('s', 118.185, 24.4697)];
    expect(venueLabels([...column, hotel], (v) => v.id).map((l) => [l.anchor, l.baseline])).toEqual([
      ['start', 'bottom'],
      ['start', 'center'],
      ['start', 'top'],
      ['end', 'center'],
    ]);
  });

  it('lets two near venues on either side of the middle name themselves away from each other, level', () => {
    expect(venueLabels([xicec, xicc], (v) => v.id).map((l) => [l.anchor, l.baseline])).toEqual([
      ['end', 'center'],
      ['start', 'center'],
    ]);
  });
});

describe('off-post rows', () => {
  const post = {
    id: 'post-s',
    name: { zh: '会展南路岗', en: 'South post' },
    position: [118.184, 24.464] as [number, number],
    radiusM: 200,
  };
  const stray = {
    unitId: 'U1',
    name: 'U1',
    post,
    position: [118.19, 24.46] as [number, number],
    distanceM: 660,
    since: T0,
  };

  it('labels each stray at its position and links it back to its post', () => {
    expect(offPostLabels([stray], (u) => `${u.post.name.zh} ${u.distanceM}`)).toEqual([
      { position: stray.position, text: '会展南路岗 660', row: 0 },
    ]);
    expect(offPostLinks([stray])).toEqual([{ from: post.position, to: stray.position }]);
  });

  it('stacks the plates of nearby strays, the northern one higher, and leaves a far one on the first row', () => {
    const north = { ...stray, unitId: 'U2', position: [118.188, 24.468] as [number, number] };
    const further = { ...stray, unitId: 'U3', position: [118.186, 24.472] as [number, number] };
    const hotel = { ...stray, unitId: 'U4', position: [118.05, 24.6] as [number, number] };
    const rows = offPostLabels([further, hotel, stray, north], (u) => u.unitId).map((l) => [l.text, l.row]);
    expect(rows).toEqual([
      ['U3', 2],
      ['U4', 0],
      ['U1', 0],
      ['U2', 1],
    ]);
  });
});
