import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmh, roadTrip, type LonLat } from '@egret/protocol';
import { districtShapes, locateDistrict } from './geometry.ts';
import { loadConfig } from './load.ts';
import { buildRoadModel, loadRoads } from './roads.ts';
import { tempDir } from '../../test/temp-dir.ts';

const config = loadConfig();
const roads = loadRoads();
const model = buildRoadModel(roads, config.boundaries);
const shapes = districtShapes(config.boundaries);
const island = model.islands.find((i) => i.id === 'xiamen-island')!;
const gulangyu = model.islands.find((i) => i.id === 'gulangyu')!;

/** WGS-84 points (GCJ-02 would be ~500 m off here, which is why the file declares its CRS). */
const ZHONGSHAN_ROAD: LonLat = [118.079, 24.459]; // 思明 中山路
const WUYUAN_BAY: LonLat = [118.176, 24.522]; // 湖里 五缘湾
const HAICANG_CENTRE: LonLat = [118.028, 24.487]; // 海沧 滨湖
const JIMEI_SCHOOL: LonLat = [118.098, 24.584]; // 集美学村
const XIANGAN_CENTRE: LonLat = [118.243, 24.615]; // 翔安 新店
const GULANGYU: LonLat = [118.062, 24.448]; // 鼓浪屿 龙头路

describe(buildRoadModel.name, () => {
  it('draws Xiamen Island from the main 思明 and 湖里 polygons, leaving Gulangyu and the mainland out', () => {
    expect(island.contains(ZHONGSHAN_ROAD)).toBe(true);
    expect(island.contains(WUYUAN_BAY)).toBe(true);
    expect(island.contains(GULANGYU)).toBe(false);
    expect(island.contains(HAICANG_CENTRE)).toBe(false);
    expect(island.contains(JIMEI_SCHOOL)).toBe(false);
    expect(gulangyu.contains(GULANGYU)).toBe(true);
    expect(gulangyu.links).toEqual([]);
  });

  it('lands the six fixed links on the island at one end and on the mainland (海沧, 集美, 翔安) at the other', () => {
    expect(island.links.map((l) => l.id).sort()).toEqual([
      'haicang-bridge',
      'haicang-tunnel',
      'jimei-bridge',
      'xiamen-bridge',
      'xiangan-tunnel',
      'xinglin-bridge',
    ]);
    for (const l of island.links) {
      expect({ link: l.id, onIsland: island.contains(l.island) }).toEqual({ link: l.id, onIsland: true });
      expect({
        link: l.id,
        mainland: island.contains(l.mainland),
        district: locateDistrict(shapes, l.mainland) !== undefined,
      }).toEqual({ link: l.id, mainland: false, district: true });
    }
    const mainlandDistrict = (id: string) => locateDistrict(shapes, island.links.find((l) => l.id === id)!.mainland);
    expect(mainlandDistrict('haicang-bridge')).toBe('350205');
    expect(mainlandDistrict('xiamen-bridge')).toBe('350211');
    expect(mainlandDistrict('xiangan-tunnel')).toBe('350213');
  });

  it('sends a trip from the island to 翔安 through the Xiang’an tunnel and one to 海沧 over a western link', () => {
    const toXiangan = roadTrip(model, WUYUAN_BAY, XIANGAN_CENTRE, kmh(30))!;
    expect(toXiangan.via).toEqual(['xiangan-tunnel']);
    const toHaicang = roadTrip(model, ZHONGSHAN_ROAD, HAICANG_CENTRE, kmh(30))!;
    expect(['haicang-bridge', 'haicang-tunnel']).toContain(toHaicang.via[0]);
    expect(roadTrip(model, ZHONGSHAN_ROAD, WUYUAN_BAY, kmh(30))!.via).toEqual([]);
  });

  it('finds no road to Gulangyu from anywhere else', () => {
    expect(roadTrip(model, ZHONGSHAN_ROAD, GULANGYU, kmh(30))).toBeNull();
    expect(roadTrip(model, HAICANG_CENTRE, GULANGYU, kmh(30))).toBeNull();
  });

  it('names the file and the field when the roads file is bad, and the island when a link misses it', () => {
    const dir = tempDir('egret-roads-');
    mkdirSync(join(dir, 'cities', 'xiamen'), { recursive: true });
    writeFileSync(join(dir, 'cities', 'xiamen', 'roads.json'), JSON.stringify({ ...roads, detourFactor: 0.5 }));
    expect(() => loadRoads({ dir })).toThrow(/roads\.json: detourFactor/);
    const bad = structuredClone(roads);
    bad.islands[0]!.links[0]!.island = [118.0, 24.6];
    expect(() => buildRoadModel(bad, config.boundaries)).toThrow(
      /islands\[0\]\.links\[0\]\.island is not on island xiamen-island/,
    );
  });
});
