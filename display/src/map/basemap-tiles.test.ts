import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, tileCorners, tileUrl } from './basemap-tiles.ts';

describe(tileUrl.name, () => {
  it('fills zoom, column and row, counts TMS rows from the bottom and spreads tiles over the subdomains', () => {
    expect(tileUrl('/tiles/{z}/{x}/{y}.png', [], { x: 13689, y: 7073, z: 14 })).toBe('/tiles/14/13689/7073.png');
    expect(tileUrl('https://t.example/{z}/{x}/{-y}', [], { x: 1, y: 0, z: 1 })).toBe('https://t.example/1/1/1');
    const urls = [0, 1, 2].map((x) => tileUrl('https://t{s}.example/{z}/{x}/{y}', ['0', '1', '2'], { x, y: 5, z: 3 }));
    expect(urls).toEqual(['https://t2.example/3/0/5', 'https://t0.example/3/1/5', 'https://t1.example/3/2/5']);
  });
});

describe(tileCorners.name, () => {
  it('puts a WGS-84 tile on its grid: the whole world at zoom 0, corners in BitmapLayer order', () => {
    const [bl, tl, tr, br] = tileCorners({ x: 0, y: 0, z: 0 }, 'wgs84');
    expect(bl[0]).toBe(-180);
    expect(bl[1]).toBeCloseTo(-85.0511, 3);
    expect(tl).toEqual([-180, expect.closeTo(85.0511, 3)]);
    expect(tr[0]).toBe(180);
    expect(br[1]).toBeCloseTo(-85.0511, 3);
  });

  it('moves a GCJ-02 tile so that what it draws at a GCJ-02 place lands on the WGS-84 place', () => {
    // A point on Xiamen Island and the GCJ-02 position a commercial map draws it at.
    const wgs: [number, number] = [118.0894, 24.4798];
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    // The zoom-14 tile whose top-left corner is nearest that GCJ-02 position, and that corner in GCJ-02.
    const z = 14,
      n = 2 ** z;
    const x = Math.round(((gcj[0] + 180) / 360) * n);
    const latRad = (gcj[1] * Math.PI) / 180;
    const y = Math.round(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
    const plain = tileCorners({ x, y, z }, 'wgs84')[1];
    const moved = tileCorners({ x, y, z }, 'gcj02')[1];
    // Unmoved, the corner is hundreds of metres off; moved, it is where gcoord's inverse puts it.
    const metres = (a: number[], b: number[]) =>
      Math.hypot((a[0]! - b[0]!) * 111_320 * Math.cos((a[1]! * Math.PI) / 180), (a[1]! - b[1]!) * 110_540);
    expect(metres(plain, moved)).toBeGreaterThan(300);
    expect(metres(moved, gcj02ToWgs84(plain))).toBe(0);
    // And the shift is the one that brings gcj back to wgs, to well under a metre.
    const shift = [gcj[0] - wgs[0], gcj[1] - wgs[1]];
    expect(metres(moved, [plain[0]! - shift[0]!, plain[1]! - shift[1]!])).toBeLessThan(1);
  });
});
