import {
  DEFAULT_KPI_TIME_ZONE,
  KPI_COUNT_LENGTH,
  type KpiAccumulator,
  type KpiCaseRecord,
  type KpiCounts,
} from '@egret/protocol';

/**
 * The KPI fold as plain JSON, so a replay snapshot can carry it: KPIs count what happened to each case (returns,
 * first dispatches, on-time closing), which the world at a seq does not tell, so a seek must start from the fold
 * as it stood at the snapshot. The accumulator's fields are the protocol's internal detail; this codec only moves
 * them in and out of JSON, field for field.
 */
export interface KpiAccumulatorJson {
  seq: number;
  /** IANA time zone of the fold's days. Snapshots written before it was kept carry `tzOffsetMs` (always +8 h) instead. */
  timeZone?: string;
  tzOffsetMs?: number;
  cases: Array<[string, KpiCaseRecord]>;
  periods: Array<[string, Array<[string, KpiCounts]>]>;
  /** Ids of `openWithDeadline` (they share their records with `cases`). */
  openWithDeadline: string[];
  /** Unit → district, for 跨区派遣率 (absent in snapshots written before it was counted). */
  unitDistricts?: Array<[string, string]>;
}

/** The fold as JSON; `skip` leaves out the records of some cases (final ones, kept in cold deltas instead). */
export function kpiToJson(acc: KpiAccumulator, skip?: (caseId: string) => boolean): KpiAccumulatorJson {
  return {
    seq: acc.seq,
    timeZone: acc.timeZone,
    cases: skip ? [...acc.cases].filter(([id]) => !skip(id)) : [...acc.cases],
    periods: [...acc.periods].map(([period, table]) => [period, [...table]]),
    openWithDeadline: [...acc.openWithDeadline.keys()],
    unitDistricts: [...acc.unitDistricts],
  };
}

/** A copy of stored counts, zeros added for the counts a fold stored earlier did not keep yet. */
function padded(counts: KpiCounts): KpiCounts {
  const out = [...counts];
  while (out.length < KPI_COUNT_LENGTH) out.push(0);
  return out;
}

/** Rebuilds an accumulator; the JSON is copied, so one decoded snapshot can seed many seeks. */
export function kpiFromJson(json: KpiAccumulatorJson): KpiAccumulator {
  const cases = new Map<string, KpiCaseRecord>();
  for (const [id, r] of json.cases) cases.set(id, { ...r, slices: [...r.slices] });
  const openWithDeadline = new Map<string, KpiCaseRecord>();
  for (const id of json.openWithDeadline) {
    const r = cases.get(id);
    if (r) openWithDeadline.set(id, r);
  }
  return {
    seq: json.seq,
    timeZone: json.timeZone ?? DEFAULT_KPI_TIME_ZONE,
    cases,
    periods: new Map(
      json.periods.map(([period, table]) => [period, new Map(table.map(([slice, counts]) => [slice, padded(counts)]))]),
    ),
    openWithDeadline,
    unitDistricts: new Map(json.unitDistricts ?? []),
  };
}
