import { describe, expect, it } from 'vitest';
import type { KpiFigures, KpiReport, KpiTable } from '@egret/protocol';
import { translate } from '../i18n/translate.ts';
import { formatRate, kpiTiles, NO_VALUE } from './kpi-tiles.ts';

const zh = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh', k, p);

function figures(o: Partial<KpiFigures> = {}): KpiFigures {
  return {
    reported: 0,
    filed: 0,
    dispatched: 0,
    inProgress: 0,
    parked: 0,
    closed: 0,
    closedOnTime: 0,
    onTimeOpen: 0,
    overdueOpen: 0,
    due: 0,
    reworked: 0,
    returned: 0,
    supervised: 0,
    supervisedOpen: 0,
    closureRate: null,
    onTimeClosureRate: null,
    reworkRate: null,
    accurateDispatchRate: null,
    avgHandlingMs: null,
    score: null,
    tasks: 0,
    crossDistrictTasks: 0,
    crossDistrictRate: null,
    ...o,
  };
}
const table = (period: string, city: KpiFigures): KpiTable => ({
  period,
  city,
  byDistrict: {},
  bySquad: {},
  byCategory: {},
  bySource: {},
});

describe(formatRate.name, () => {
  it('shows a ratio as a percentage with one decimal, and nothing to divide by as a dash', () => {
    expect(formatRate(0.99934)).toBe('99.9%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(0.12345)).toBe('12.3%');
    expect(formatRate(null)).toBe(NO_VALUE);
  });
});

describe(kpiTiles.name, () => {
  it('shows the hub’s figures for today with yesterday’s beside each', () => {
    const report: KpiReport = {
      at: 0,
      today: table(
        '2026-07-01',
        figures({
          reported: 1234,
          filed: 1200,
          dispatched: 1100,
          inProgress: 90,
          closed: 1000,
          closureRate: 0.9934,
          onTimeClosureRate: 0.95,
          overdueOpen: 3,
        }),
      ),
      yesterday: table('2026-06-30', figures({ reported: 3190, closureRate: null })),
      all: table('all', figures()),
    };
    const tiles = kpiTiles(report, 'zh', zh);
    expect(tiles.map((t) => t.label)).toEqual([
      '上报',
      '立案',
      '派遣',
      '处置中',
      '结案',
      '结案率',
      '按期结案率',
      '超期未处置',
    ]);
    expect(tiles.map((t) => t.value)).toEqual(['1,234', '1,200', '1,100', '90', '1,000', '99.3%', '95.0%', '3']);
    expect(tiles[0]!.previous).toBe('昨日 3,190');
    expect(tiles[5]!.previous).toBe('昨日 —');
    expect(tiles.find((t) => t.key === 'overdueOpen')!.tone).toBeDefined();
  });

  it('shows dashes before the first report, never zeros the hub did not say', () => {
    const tiles = kpiTiles(null, 'zh', zh);
    expect(tiles).toHaveLength(8);
    expect(tiles.every((t) => t.value === NO_VALUE)).toBe(true);
  });

  it('leaves 超期 uncoloured when nothing is overdue', () => {
    const report: KpiReport = {
      at: 0,
      today: table('d', figures()),
      yesterday: table('y', figures()),
      all: table('all', figures()),
    };
    expect(kpiTiles(report, 'zh', zh).find((t) => t.key === 'overdueOpen')!.tone).toBeUndefined();
  });

  it('adds 跨区派遣率 on the console only, amber above one task in five (属地管理)', () => {
    const report = (rate: number | null): KpiReport => ({
      at: 0,
      today: table('d', figures({ tasks: 457, crossDistrictTasks: 136, crossDistrictRate: rate })),
      yesterday: table('y', figures({ crossDistrictRate: 0.05 })),
      all: table('all', figures()),
    });
    expect(kpiTiles(report(0.2976), 'zh', zh).some((t) => t.key === 'crossDistrictRate')).toBe(false);
    const tile = kpiTiles(report(0.2976), 'zh', zh, { crossDistrict: true }).at(-1)!;
    expect(tile).toMatchObject({
      key: 'crossDistrictRate',
      label: '跨区派遣率',
      value: '29.8%',
      previous: '昨日 5.0%',
    });
    expect(tile.tone).toBeDefined();
    expect(kpiTiles(report(0.1), 'zh', zh, { crossDistrict: true }).at(-1)!.tone).toBeUndefined();
    expect(kpiTiles(report(null), 'zh', zh, { crossDistrict: true }).at(-1)!.value).toBe(NO_VALUE);
  });
});
