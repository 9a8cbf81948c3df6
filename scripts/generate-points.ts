/**
 * Writes Xiamen's point sets of the command manual (issue #17) to `config/cities/xiamen/points/<set>.json`:
 * 测评点位, 工地, 户外广告, 行道树, 易涝点, 餐饮油烟, and the typhoon's and the major event's pre-position posts.
 *
 *   npx tsx scripts/generate-points.ts            # rewrite every set (deterministic: the same files every time)
 *
 * Positions are APPROXIMATE: named places (八市, 中山路, 厦门站 …) are read off a web map to a few hundred metres in
 * GCJ-02, like `places.json`, and converted to WGS-84 here; the rest are drawn with a seeded generator around the
 * city's named roads and towns. Every point is kept only when it and the ground 60 m around it lie inside its
 * district's outline (on land, not on the coastline), and carries the id of the unit grid it falls in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_DIR,
  districtShapes,
  gridIdAt,
  gridSpec,
  inShape,
  loadConfig,
  loadPlaces,
  M_PER_DEG_LAT,
  M_PER_DEG_LON_EQUATOR,
  type DistrictShape,
} from '@egret/config';
import * as gcoordModule from 'gcoord';
import { InspectionPoint, type AssessmentSite, type LonLat, type PointKind } from '@egret/protocol';

// gcoord is CommonJS: from ESM its API is the module's default export (as in config/src/crs.ts).
const gcoord = gcoordModule.default as unknown as (typeof gcoordModule.default)['default'];
const fromGcj = (p: LonLat): LonLat => gcoord.transform(p, gcoord.GCJ02, gcoord.WGS84) as LonLat;

const SEED = 'egret-points-2026';
const config = loadConfig();
const shapes = new Map(districtShapes(config.boundaries).map((s) => [s.code, s]));
const spec = gridSpec(config.city.bbox);
const places = loadPlaces().districts;
const D = { siming: '350203', haicang: '350205', huli: '350206', jimei: '350211', tongan: '350212', xiangan: '350213' };

/** sfc32 seeded from a string: the same seed gives the same files. */
function rngOf(label: string) {
  let h = 1779033703 ^ label.length;
  const seeds: number[] = [];
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ (label.charCodeAt(i) + k * 31), 3432918353);
    h = (h << 13) | (h >>> 19);
    seeds.push(h >>> 0);
  }
  let [a, b, c, d] = seeds as [number, number, number, number];
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}
type Rnd = ReturnType<typeof rngOf>;

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Inside the district, and so is the ground `marginM` around it in the four directions (not on the coastline). */
function onLand(shape: DistrictShape, [lon, lat]: LonLat, marginM = 60): boolean {
  const dLat = marginM / M_PER_DEG_LAT;
  const dLon = marginM / (M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180));
  return (
    inShape(shape, [lon, lat]) &&
    inShape(shape, [lon + dLon, lat]) &&
    inShape(shape, [lon - dLon, lat]) &&
    inShape(shape, [lon, lat + dLat]) &&
    inShape(shape, [lon, lat - dLat])
  );
}

/** A position within `radiusM` of `at` (WGS-84) on land in the district, widening the search when the coast is near. */
function near(district: string, at: LonLat, radiusM: number, rnd: Rnd, label: string): LonLat {
  const shape = shapes.get(district);
  if (!shape) throw new Error(`no district ${district}`);
  for (let r = radiusM, tries = 0; tries < 400; tries++, r = Math.min(r * 1.05, 4000)) {
    const ang = rnd() * 2 * Math.PI;
    const dist = tries === 0 && radiusM <= 50 ? 0 : Math.sqrt(rnd()) * r;
    const lat = at[1] + (dist * Math.sin(ang)) / M_PER_DEG_LAT;
    const lon = at[0] + (dist * Math.cos(ang)) / (M_PER_DEG_LON_EQUATOR * Math.cos((at[1] * Math.PI) / 180));
    const p: LonLat = [round5(lon), round5(lat)];
    if (onLand(shape, p)) return p;
  }
  throw new Error(`${label}: no land within 4 km of ${at.join(',')} in ${district}`);
}

/** Named places that landed far from their own spot (a wrong district or a reading in the sea): fix and rerun. */
const problems: string[] = [];

interface Named {
  name: string;
  /** GCJ-02, approximate, as read off a web map. */
  at: LonLat;
  site?: AssessmentSite;
}

function point(
  id: string,
  kind: PointKind,
  name: string,
  district: string,
  position: LonLat,
  site?: AssessmentSite,
): InspectionPoint {
  const grid = gridIdAt(spec, district, position);
  return InspectionPoint.parse({
    id,
    kind,
    name,
    position,
    district,
    ...(grid ? { grid } : {}),
    ...(site ? { site } : {}),
    approximate: true,
  });
}

const pad = (n: number, w = 3) => String(n).padStart(w, '0');

/** Named points first (each placed at its own spot or the nearest land), then `fill` drawn around places. */
function namedPoints(set: string, kind: PointKind, prefix: string, named: Record<string, Named[]>): InspectionPoint[] {
  const rnd = rngOf(`${SEED}/${set}/named`);
  const out: InspectionPoint[] = [];
  for (const [district, list] of Object.entries(named)) {
    let n = 0;
    for (const p of list) {
      const wanted = fromGcj(p.at);
      const at = near(district, wanted, 40, rnd, `${set} ${p.name}`);
      const movedM = Math.hypot(
        (at[0] - wanted[0]) * M_PER_DEG_LON_EQUATOR * Math.cos((at[1] * Math.PI) / 180),
        (at[1] - wanted[1]) * M_PER_DEG_LAT,
      );
      // A named place more than 500 m off its own spot is a wrong reading of the map: fix the anchor.
      if (movedM > 500) {
        const actual = [...shapes].find(([, sh]) => inShape(sh, wanted))?.[0] ?? 'the sea';
        problems.push(
          `${set} ${p.name}: ${Math.round(movedM)} m from its spot, which lies in ${actual}, not ${district}`,
        );
      }
      out.push(point(`${prefix}-${district}-${pad(++n)}`, kind, p.name, district, at, p.site));
    }
  }
  return out;
}

/**
 * `perDistrict[d]` points drawn around the district's named roads and towns (`places.json`), within `radiusM`,
 * named `<place><suffix><n>`; ids continue after the district's named points.
 */
function drawnPoints(
  set: string,
  kind: PointKind,
  prefix: string,
  perDistrict: Record<string, number>,
  radiusM: number,
  name: (place: string, n: number) => string,
  start: Record<string, number> = {},
  site?: (rnd: Rnd) => AssessmentSite,
): InspectionPoint[] {
  const rnd = rngOf(`${SEED}/${set}/drawn`);
  const out: InspectionPoint[] = [];
  for (const [district, count] of Object.entries(perDistrict)) {
    // 鼓浪屿 (龙头路) has no road link: no ground unit of the simulator reaches it, so no drawn point goes there.
    const list = (places[district] ?? []).filter((p) => p.name !== '龙头路');
    const perPlace = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const place = list[i % list.length]!;
      const k = (perPlace.get(place.name) ?? 0) + 1;
      perPlace.set(place.name, k);
      const at = near(district, place.at, radiusM, rnd, `${set} ${place.name}`);
      const serial = (start[district] ?? 0) + i + 1;
      out.push(point(`${prefix}-${district}-${pad(serial)}`, kind, name(place.name, k), district, at, site?.(rnd)));
    }
  }
  return out;
}

// ——— 测评点位: the civilised-city assessment's named sites (markets, stations, schools, back streets, old quarters) ———
const ASSESSMENT: Record<string, Named[]> = {
  [D.siming]: [
    { name: '第八市场(八市)', at: [118.0798, 24.4628], site: 'market' },
    { name: '中山路步行街', at: [118.0835, 24.4565], site: 'old_quarter' },
    { name: '沙坡尾', at: [118.0905, 24.4447], site: 'old_quarter' },
    { name: '厦门站', at: [118.1175, 24.4697], site: 'station' },
    { name: '梧村汽车站', at: [118.1199, 24.4722], site: 'station' },
    { name: '厦门大学(思明校区)', at: [118.0985, 24.4385], site: 'school' },
    { name: '曾厝垵', at: [118.1305, 24.4335], site: 'old_quarter' },
    { name: '营平片区', at: [118.0815, 24.4605], site: 'old_quarter' },
    { name: '大同路', at: [118.0853, 24.4592], site: 'back_street' },
    { name: '开禾路', at: [118.0845, 24.4633], site: 'back_street' },
    { name: '中山公园', at: [118.0955, 24.4618], site: 'square' },
    { name: '白鹭洲公园', at: [118.1045, 24.4765], site: 'square' },
    { name: '厦门市第一医院', at: [118.0878, 24.4578], site: 'hospital' },
    { name: '中山医院', at: [118.1052, 24.4765], site: 'hospital' },
    { name: '莲花菜市场', at: [118.1338, 24.4895], site: 'market' },
    { name: '禾祥西路', at: [118.0975, 24.4715], site: 'back_street' },
    { name: '厦门第一中学', at: [118.0918, 24.4562], site: 'school' },
    { name: '思明南路菜市场', at: [118.0912, 24.4505], site: 'market' },
    { name: '轮渡码头', at: [118.0788, 24.4576], site: 'station' },
    { name: '莲坂', at: [118.1308, 24.4818], site: 'back_street' },
    { name: '厦门大学附属中山医院门诊', at: [118.1068, 24.4755], site: 'hospital' },
    { name: '湖滨一里', at: [118.1005, 24.4745], site: 'back_street' },
    { name: '黄厝', at: [118.1725, 24.4545], site: 'old_quarter' },
  ],
  [D.huli]: [
    { name: '瑞景菜市场', at: [118.1565, 24.4925], site: 'market' },
    { name: '江头菜市场', at: [118.1335, 24.5012], site: 'market' },
    { name: '高崎机场T3', at: [118.1345, 24.5395], site: 'station' },
    { name: '枋湖客运中心', at: [118.1445, 24.5058], site: 'station' },
    { name: '湖里公园', at: [118.1012, 24.5108], site: 'square' },
    { name: '五缘湾湿地公园', at: [118.1765, 24.5248], site: 'square' },
    { name: '殿前菜市场', at: [118.1055, 24.5305], site: 'market' },
    { name: '湖里老街', at: [118.1085, 24.5142], site: 'back_street' },
    { name: '金山菜市场', at: [118.1655, 24.5072], site: 'market' },
    { name: '禾山街道', at: [118.1578, 24.4985], site: 'back_street' },
    { name: '双十中学(枋湖校区)', at: [118.1495, 24.5125], site: 'school' },
    { name: '东渡邮轮中心', at: [118.0815, 24.4885], site: 'station' },
    { name: '长乐路夜市', at: [118.1105, 24.5245], site: 'back_street' },
    { name: '湖里区人民医院', at: [118.1135, 24.5105], site: 'hospital' },
    { name: '钟宅畲族社区', at: [118.1685, 24.5185], site: 'old_quarter' },
    { name: '高林居住区', at: [118.1855, 24.5325], site: 'back_street' },
  ],
  [D.haicang]: [
    { name: '海沧湾公园', at: [118.0405, 24.4782], site: 'square' },
    { name: '海沧菜市场', at: [118.0365, 24.4855], site: 'market' },
    { name: '新阳街道', at: [118.0305, 24.5245], site: 'back_street' },
    { name: '东孚街道', at: [117.9615, 24.5605], site: 'old_quarter' },
    { name: '海沧汽车站', at: [118.0335, 24.4915], site: 'station' },
    { name: '厦门外国语学校(海沧)', at: [118.0285, 24.4905], site: 'school' },
    { name: '海沧医院', at: [118.0345, 24.4955], site: 'hospital' },
    { name: '嵩屿码头', at: [118.0425, 24.4575], site: 'station' },
    { name: '青礁慈济宫', at: [118.0055, 24.4985], site: 'old_quarter' },
  ],
  [D.jimei]: [
    { name: '集美学村', at: [118.1025, 24.5775], site: 'old_quarter' },
    { name: '厦门北站', at: [118.0735, 24.6375], site: 'station' },
    { name: '集美大学', at: [118.0985, 24.5895], site: 'school' },
    { name: '杏林菜市场', at: [118.0605, 24.5755], site: 'market' },
    { name: '灌口镇区', at: [117.9925, 24.6055], site: 'old_quarter' },
    { name: '后溪镇区', at: [118.0455, 24.6305], site: 'back_street' },
    { name: '集美新城', at: [118.0505, 24.6085], site: 'square' },
    { name: '集美汽车站', at: [118.1025, 24.5855], site: 'station' },
    { name: '杏林湾公园', at: [118.0605, 24.5905], site: 'square' },
    { name: '集美区第二医院', at: [118.0325, 24.6105], site: 'hospital' },
  ],
  [D.tongan]: [
    { name: '同安老城大同街', at: [118.1535, 24.7295], site: 'old_quarter' },
    { name: '双溪公园', at: [118.1555, 24.7355], site: 'square' },
    { name: '同安汽车站', at: [118.1585, 24.7235], site: 'station' },
    { name: '同安第一中学', at: [118.1505, 24.7335], site: 'school' },
    { name: '西柯街道', at: [118.1335, 24.6835], site: 'back_street' },
    { name: '祥平菜市场', at: [118.1255, 24.7205], site: 'market' },
    { name: '同安区医院', at: [118.1605, 24.7305], site: 'hospital' },
    { name: '五显镇区', at: [118.1785, 24.7895], site: 'old_quarter' },
  ],
  [D.xiangan]: [
    { name: '马巷镇区', at: [118.2455, 24.6625], site: 'old_quarter' },
    { name: '新店街道', at: [118.2535, 24.6155], site: 'back_street' },
    { name: '翔安新城', at: [118.2485, 24.6255], site: 'square' },
    { name: '内厝镇区', at: [118.2855, 24.6505], site: 'old_quarter' },
    { name: '厦门大学翔安校区', at: [118.3045, 24.6085], site: 'school' },
    { name: '马巷菜市场', at: [118.2435, 24.6605], site: 'market' },
    { name: '翔安医院', at: [118.2605, 24.6205], site: 'hospital' },
    { name: '新圩镇区', at: [118.2585, 24.7395], site: 'back_street' },
  ],
};

const SITES: AssessmentSite[] = ['back_street', 'back_street', 'market', 'square', 'school', 'old_quarter'];

function assessmentPoints(): InspectionPoint[] {
  const named = namedPoints('assessment-points', 'assessment_point', 'AP', ASSESSMENT);
  const start = Object.fromEntries(Object.entries(ASSESSMENT).map(([d, l]) => [d, l.length]));
  // Back streets, small markets and squares along the named roads, up to ~150 in all (the old city densest).
  const extra = { [D.siming]: 25, [D.huli]: 17, [D.haicang]: 8, [D.jimei]: 10, [D.tongan]: 8, [D.xiangan]: 8 };
  const drawn = drawnPoints(
    'assessment-points',
    'assessment_point',
    'AP',
    extra,
    600,
    (p, k) => `${p}测评点${k}`,
    start,
    (rnd) => SITES[Math.floor(rnd() * SITES.length)]!,
  );
  return [...named, ...drawn];
}

// ——— 易涝点: low spots the city lists before the rainy season; named after the road they sit on ———
const PONDING: Record<string, Named[]> = {
  [D.siming]: [
    { name: '厦禾路梧村段', at: [118.1168, 24.4712] },
    { name: '湖滨南路与湖滨中路交叉口', at: [118.1095, 24.4725] },
    { name: '火车站前广场地下通道', at: [118.1172, 24.4688] },
    { name: '莲前西路莲坂段', at: [118.1325, 24.4805] },
    { name: '思明南路沙坡尾段', at: [118.0905, 24.4462] },
    { name: '鹭江道第一码头段', at: [118.0795, 24.4605] },
    { name: '嘉禾路莲花段', at: [118.1215, 24.4885] },
    { name: '文屏路', at: [118.0995, 24.4565] },
    { name: '环岛南路曾厝垵段', at: [118.1295, 24.4355] },
  ],
  [D.huli]: [
    { name: '江头北路下穿通道', at: [118.1355, 24.4995] },
    { name: '机场路高崎段', at: [118.1255, 24.5355] },
    { name: '湖里大道东渡段', at: [118.0945, 24.5065] },
    { name: '枋湖路枋湖段', at: [118.1455, 24.5085] },
    { name: '金尚路下穿通道', at: [118.1545, 24.5025] },
    { name: '钟宅路钟宅段', at: [118.1675, 24.5165] },
    { name: '五缘湾道下穿通道', at: [118.1805, 24.5205] },
  ],
  [D.haicang]: [
    { name: '海沧大道海沧湾段', at: [118.0425, 24.4725] },
    { name: '沧林路', at: [118.0305, 24.4785] },
    { name: '新阳大道新阳桥段', at: [118.0305, 24.5225] },
    { name: '东孚大道洪塘段', at: [117.9655, 24.5555] },
    { name: '马青路马銮段', at: [118.0005, 24.5305] },
  ],
  [D.jimei]: [
    { name: '集美大道杏林湾段', at: [118.0655, 24.5985] },
    { name: '杏林湾路下穿通道', at: [118.0555, 24.5885] },
    { name: '嘉庚路集美学村段', at: [118.1025, 24.5805] },
    { name: '灌口中路', at: [117.9955, 24.6045] },
    { name: '侨英路', at: [118.0855, 24.5955] },
    { name: '银江路', at: [118.0655, 24.6105] },
  ],
  [D.tongan]: [
    { name: '环城南路双溪段', at: [118.1555, 24.7255] },
    { name: '同集南路西柯段', at: [118.1355, 24.6855] },
    { name: '银湖中路', at: [118.1455, 24.7155] },
    { name: '大同路东溪段', at: [118.1615, 24.7335] },
    { name: '祥平街道低洼片区', at: [118.1255, 24.7185] },
    { name: '新民镇区', at: [118.1055, 24.7005] },
  ],
  [D.xiangan]: [
    { name: '马巷镇区低洼片区', at: [118.2455, 24.6585] },
    { name: '民安大道下穿通道', at: [118.2485, 24.6355] },
    { name: '新店街道低洼片区', at: [118.2555, 24.6125] },
    { name: '翔安隧道出口', at: [118.2205, 24.5805] },
    { name: '内厝镇区', at: [118.2855, 24.6485] },
    { name: '新圩镇区', at: [118.2585, 24.7375] },
    { name: '舫山沿海片区', at: [118.3005, 24.5955] },
  ],
};

// ——— 防台集结点: where the typhoon plan pre-positions units before landfall (the 翔安 coast first) ———
const TYPHOON_POSTS: Record<string, Named[]> = {
  [D.siming]: [
    { name: '鹭江道防台集结点', at: [118.0815, 24.4645] },
    { name: '环岛南路曾厝垵防台集结点', at: [118.1315, 24.4375] },
    { name: '会展中心防台集结点', at: [118.1835, 24.4735] },
  ],
  [D.huli]: [
    { name: '五缘湾防台集结点', at: [118.1775, 24.5205] },
    { name: '高崎防台集结点', at: [118.1305, 24.5455] },
    { name: '东渡防台集结点', at: [118.0855, 24.4935] },
  ],
  [D.haicang]: [
    { name: '海沧湾防台集结点', at: [118.0455, 24.4785] },
    { name: '嵩屿防台集结点', at: [118.0405, 24.4605] },
  ],
  [D.jimei]: [
    { name: '集美学村防台集结点', at: [118.1025, 24.5805] },
    { name: '杏林湾防台集结点', at: [118.0605, 24.5855] },
  ],
  [D.tongan]: [
    { name: '同安城区防台集结点', at: [118.1555, 24.7285] },
    { name: '西柯防台集结点', at: [118.1355, 24.6805] },
  ],
  [D.xiangan]: [
    { name: '新店防台集结点', at: [118.2535, 24.6155] },
    { name: '马巷防台集结点', at: [118.2455, 24.6625] },
    { name: '大嶝岛防台集结点', at: [118.3305, 24.5605] },
    { name: '舫山防台集结点', at: [118.3005, 24.5985] },
    { name: '翔安隧道口防台集结点', at: [118.2205, 24.5855] },
  ],
};

/** The major event's fixed posts: the Straits Forum's posts of `events.json`, plus the routes between venue and hotel. */
function eventPosts(): InspectionPoint[] {
  const forum = config.events.find((e) => e.id === 'straits-forum');
  if (!forum) throw new Error('events.json has no straits-forum');
  const rnd = rngOf(`${SEED}/event-posts`);
  const fromEvents = forum.posts.map((p) => {
    const district = locate(p.position);
    return point(`EP-${p.id}`, 'post', p.name.zh, district, near(district, p.position, 30, rnd, p.id));
  });
  const route: Named[] = [
    { name: '环岛路黄厝路口岗', at: [118.1735, 24.4565] },
    { name: '莲前东路与会展路口岗', at: [118.1765, 24.4785] },
    { name: '吕岭路与仙岳路口岗', at: [118.1505, 24.4955] },
    { name: '嘉禾路与仙岳路口岗', at: [118.1225, 24.4965] },
  ];
  const extra = route.map((p, i) => {
    const at = fromGcj(p.at);
    const district = locate(at);
    return point(`EP-route-${pad(i + 1, 2)}`, 'post', p.name, district, near(district, at, 40, rnd, p.name));
  });
  return [...fromEvents, ...extra];
}

function locate(p: LonLat): string {
  for (const [code, shape] of shapes) if (inShape(shape, p)) return code;
  throw new Error(`${p.join(',')} is in no district`);
}

/** Construction sites: 600+ under noise monitoring (domain notes), most on the mainland where the city builds. */
const SITES_PER_DISTRICT = {
  [D.siming]: 55,
  [D.huli]: 85,
  [D.haicang]: 105,
  [D.jimei]: 145,
  [D.tongan]: 100,
  [D.xiangan]: 130,
};
const BILLBOARDS = { [D.siming]: 85, [D.huli]: 75, [D.haicang]: 30, [D.jimei]: 40, [D.tongan]: 35, [D.xiangan]: 35 };
const TREES = { [D.siming]: 80, [D.huli]: 70, [D.haicang]: 35, [D.jimei]: 45, [D.tongan]: 35, [D.xiangan]: 35 };
const RESTAURANTS = { [D.siming]: 60, [D.huli]: 50, [D.haicang]: 20, [D.jimei]: 30, [D.tongan]: 20, [D.xiangan]: 20 };

const SOURCE =
  'Approximate: named places read off a web map to a few hundred metres (GCJ-02, converted to WGS-84), the rest drawn ' +
  'by scripts/generate-points.ts (seeded, deterministic) around the named roads and towns of places.json, each kept ' +
  'only on land inside its district; positions in WGS-84. Not a survey: replace with the city’s own register.';

interface SetFile {
  set: string;
  kind: PointKind;
  note: string;
  points: InspectionPoint[];
}

const sets: SetFile[] = [
  {
    set: 'assessment-points',
    kind: 'assessment_point',
    note: `测评点位 of the civilised-city assessment (markets, stations, schools, back streets, old quarters, squares, hospitals). ${SOURCE}`,
    points: assessmentPoints(),
  },
  {
    set: 'construction-sites',
    kind: 'construction_site',
    note: `在建工地 with noise monitors (600+ in Xiamen, domain notes): dust, noise, hoarding, covered soil trucks. ${SOURCE}`,
    points: drawnPoints(
      'construction-sites',
      'construction_site',
      'CS',
      SITES_PER_DISTRICT,
      2500,
      (p, k) => `${p}片区在建工地${k}号`,
    ),
  },
  {
    set: 'billboards',
    kind: 'billboard',
    note: `户外广告 and large shop signs to fasten before a typhoon. ${SOURCE}`,
    points: drawnPoints('billboards', 'billboard', 'BB', BILLBOARDS, 700, (p, k) => `${p}户外广告${k}`),
  },
  {
    set: 'street-trees',
    kind: 'street_tree',
    note: `Key street-tree sections (行道树重点路段) to stake and prune before a typhoon. ${SOURCE}`,
    points: drawnPoints('street-trees', 'street_tree', 'ST', TREES, 800, (p, k) => `${p}行道树${k}段`),
  },
  {
    set: 'ponding-points',
    kind: 'ponding_point',
    note: `易涝点 watched at a red signal: underpasses and low road sections. ${SOURCE}`,
    points: namedPoints('ponding-points', 'ponding_point', 'PP', PONDING),
  },
  {
    set: 'restaurants',
    kind: 'restaurant',
    note: `餐饮油烟 points: restaurants whose fume purifiers are checked. ${SOURCE}`,
    points: drawnPoints('restaurants', 'restaurant', 'RS', RESTAURANTS, 700, (p, k) => `${p}餐饮${k}号`),
  },
  {
    set: 'typhoon-posts',
    kind: 'post',
    note: `防台集结点: where units are pre-positioned before landfall, the 翔安 coast first. ${SOURCE}`,
    points: namedPoints('typhoon-posts', 'post', 'TP', TYPHOON_POSTS),
  },
  {
    set: 'event-posts',
    kind: 'post',
    note: `重大活动固定岗: the Straits Forum's posts of events.json (same places) and the venue–hotel route. ${SOURCE}`,
    points: eventPosts(),
  },
];

if (problems.length) throw new Error(problems.join('\n'));
const dir = join(CONFIG_DIR, 'cities', 'xiamen', 'points');
mkdirSync(dir, { recursive: true });
for (const s of sets) {
  const ids = new Set(s.points.map((p) => p.id));
  if (ids.size !== s.points.length) throw new Error(`${s.set}: duplicate ids`);
  const body = [
    '{',
    `  "set": ${JSON.stringify(s.set)},`,
    `  "kind": ${JSON.stringify(s.kind)},`,
    `  "note": ${JSON.stringify(s.note)},`,
    '  "points": [',
    s.points.map((p) => `    ${JSON.stringify(p)}`).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, `${s.set}.json`), body);
  console.log(`${s.set}: ${s.points.length} points`);
}
