import { describe, expect, it } from 'vitest';
import { applyKpiEvents, createKpiAccumulator, KPI_COUNT_LENGTH, kpiFigures, type LogEvent } from '@egret/protocol';
import { kpiFromJson, kpiToJson, type KpiAccumulatorJson } from './kpi-codec.ts';

const AT = Date.UTC(2026, 11, 6, 2, 0);
const registered = (seq: number, id: string, district: string): LogEvent => ({
  seq,
  at: AT,
  type: 'unit.registered',
  unit: { id, name: id, type: 'enforcement', squadId: `SQ-${id}`, district, status: 'available', slot: 0, version: 0 },
});

describe('the KPI fold in a replay snapshot (跨区派遣率)', () => {
  it('keeps the units’ districts across a snapshot', () => {
    const acc = applyKpiEvents(createKpiAccumulator(), [registered(1, 'u1', '350203'), registered(2, 'u2', '350206')]);
    const back = kpiFromJson(JSON.parse(JSON.stringify(kpiToJson(acc))) as KpiAccumulatorJson);
    expect([...back.unitDistricts]).toEqual([
      ['u1', '350203'],
      ['u2', '350206'],
    ]);
    expect(back.seq).toBe(2);
  });

  it('reads a snapshot written before tasks were counted: zeros, no rate, never NaN', () => {
    const old: KpiAccumulatorJson = {
      seq: 7,
      timeZone: 'Asia/Shanghai',
      cases: [],
      periods: [['all', [['city', new Array<number>(16).fill(1)]]]],
      openWithDeadline: [],
    };
    const acc = kpiFromJson(old);
    expect(acc.periods.get('all')!.get('city')).toHaveLength(KPI_COUNT_LENGTH);
    expect(acc.unitDistricts.size).toBe(0);
    const city = kpiFigures(acc, AT).all.city;
    expect(city).toMatchObject({ filed: 1, tasks: 0, crossDistrictTasks: 0, crossDistrictRate: null });
    expect(Object.values(city).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
  });
});
