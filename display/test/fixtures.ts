import {
  PROTOCOL_VERSION,
  type Case,
  type HubConfig,
  type LogEvent,
  type Sensor,
  type Storm,
  type Unit,
  type WorldSnapshot,
} from '@egret/protocol';

/** World time used by the fixtures: 2026-07-01 10:00 in Asia/Shanghai. */
export const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);

/** A valid case with sensible defaults; override what the test is about. */
export function aCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'C1',
    category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
    source: 'patrol',
    urgency: 'normal',
    position: [118.09, 24.48],
    address: '思明区湖滨南路',
    district: '350203',
    status: 'reported',
    reportedAt: T0,
    supervised: false,
    history: [{ to: 'reported', at: T0, actor: { role: 'upstream', id: 'patrol-gw' } }],
    version: 0,
    ...overrides,
  };
}

/** A valid unit with sensible defaults. */
export function aUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    id: 'U1',
    name: '思明一中队 01',
    type: 'enforcement',
    squadId: 'SQ-350203-1',
    district: '350203',
    status: 'available',
    slot: 0,
    version: 0,
    ...overrides,
  };
}

/** An empty snapshot at `seq`. */
export function aSnapshot(overrides: Partial<WorldSnapshot> = {}): WorldSnapshot {
  return {
    seq: 0,
    at: T0,
    clock: { baseReal: T0, baseWorld: T0, rate: 1 },
    mode: 'peacetime',
    cases: [],
    units: [],
    tasks: [],
    storms: [],
    sensors: [],
    focus: null,
    layers: null,
    cameras: [],
    videos: [],
    plans: [],
    inspections: [],
    prepositions: [],
    supervisions: [],
    ...overrides,
  };
}

/** `case.reported` events numbered `from`…`to`, one new case each (ids C<seq>). */
export function reportedEvents(from: number, to: number): LogEvent[] {
  const out: LogEvent[] = [];
  for (let seq = from; seq <= to; seq++) {
    out.push({
      seq,
      at: T0 + seq * 1000,
      type: 'case.reported',
      case: aCase({ id: `C${seq}`, reportedAt: T0 + seq * 1000 }),
    });
  }
  return out;
}

const HOUR = 3_600_000;

/**
 * Typhoon Meranti (1614) four hours before its landfall on the Xiang'an coast, as the feed reports it (track
 * points approximate, as domain.md says): over the Taiwan Strait, red signal, heading north-west.
 */
export function aStorm(overrides: Partial<Storm> = {}): Storm {
  return {
    id: '1614',
    name: { zh: '莫兰蒂', en: 'Meranti' },
    at: T0,
    center: [118.4, 23.9],
    pressureHpa: 931,
    maxWindMs: 52,
    r7Km: 220,
    r10Km: 80,
    r12Km: 40,
    stage: 'at_sea',
    phase: 'landfall',
    signal: 'red',
    landfall: { at: T0 + 4 * HOUR + 5 * 60_000, center: [118.3, 24.6], place: '翔安' },
    track: [
      { at: T0 - 33 * HOUR, center: [126.2, 22.2], pressureHpa: 890, maxWindMs: 70 },
      { at: T0 - 15 * HOUR, center: [121.2, 21.7], pressureHpa: 900, maxWindMs: 65 },
      { at: T0 - 5 * HOUR, center: [119.5, 23.2], pressureHpa: 925, maxWindMs: 55 },
    ],
    forecast: [
      { at: T0 + 6 * HOUR, leadHours: 6, center: [118.1, 24.8], pressureHpa: 960, maxWindMs: 38, coneKm: 30 },
      { at: T0 + 12 * HOUR, leadHours: 12, center: [117.6, 25.3], pressureHpa: 980, maxWindMs: 25, coneKm: 60 },
    ],
    version: 0,
    ...overrides,
  };
}

/** A water-level gauge at a flood point in Siming, reading normal. */
export function aSensor(overrides: Partial<Sensor> = {}): Sensor {
  return {
    id: 'WL-001',
    kind: 'water_level',
    name: '湖滨南路积水点',
    district: '350203',
    position: [118.0894, 24.4798],
    unit: 'cm',
    warning: 15,
    alarm: 30,
    value: 4,
    readAt: T0,
    level: 'normal',
    alarmOnsets: [],
    casesRaised: 0,
    version: 0,
    ...overrides,
  };
}

/** A city of one square district (Siming) and one category group, as the hub serves it (`GET /api/config`). */
export function aHubConfig(overrides: Partial<HubConfig> = {}): HubConfig {
  const name = (zh: string, en: string) => ({ zh, en });
  return {
    protocol: PROTOCOL_VERSION,
    hubId: 'hub-1',
    city: {
      id: 'xiamen',
      name: name('厦门', 'Xiamen'),
      bureau: name('城管局', 'Bureau'),
      timezone: 'Asia/Shanghai',
      center: [118.09, 24.48],
      zoom: 11,
      bbox: [118, 24.4, 118.2, 24.6],
      districts: [{ code: '350203', name: name('思明区', 'Siming'), population: 1 }],
    },
    categories: { groups: { street: { ...name('街面', 'Street'), color: [200, 100, 50] } }, entries: [] },
    deadlines: { default: {}, byGroup: {}, byCategory: {} },
    boundaries: {
      crs: 'WGS-84',
      geojson: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: '350203' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [118, 24.4],
                  [118.2, 24.4],
                  [118.2, 24.6],
                  [118, 24.6],
                  [118, 24.4],
                ],
              ],
            },
          },
        ],
      },
    },
    display: { defaultLocale: 'zh', timezone: 'Asia/Shanghai' },
    staleAfterMs: 60_000,
    tickMs: 1_000,
    ...overrides,
  };
}
