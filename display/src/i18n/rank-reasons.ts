import type { RankReason, RankReasonKey, UnitStatus, UnitType } from '@egret/protocol';
import type { MessageKey, MessageParams } from './translate.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The message of every ranking reason (rank-squads.ts): a missing key fails to compile. */
export const RANK_REASON_MESSAGES: Readonly<Record<RankReasonKey, MessageKey>> = {
  own_grid: 'rank.own_grid',
  other_grid: 'rank.other_grid',
  own_district: 'rank.own_district',
  out_of_district: 'rank.out_of_district',
  squad_workload: 'rank.squad_workload',
  type_suited: 'rank.type_suited',
  type_unsuited: 'rank.type_unsuited',
  crossing: 'rank.crossing',
  straight_line: 'rank.straight_line',
  off_duty: 'rank.off_duty',
  offline: 'rank.offline',
  busy: 'rank.busy',
  no_position: 'rank.no_position',
  no_path: 'rank.no_path',
  own_grid_first: 'rank.own_grid_first',
  waiting_for_grid: 'rank.waiting_for_grid',
  waiting_for_district: 'rank.waiting_for_district',
  not_neighbour: 'rank.not_neighbour',
  neighbour_allowed: 'rank.neighbour_allowed',
  city_wide_allowed: 'rank.city_wide_allowed',
};

/** Whether a reason speaks for the candidate, against it, or just explains the ETA. */
export type ReasonTone = 'for' | 'against' | 'info';

const TONES: Readonly<Record<RankReasonKey, ReasonTone>> = {
  own_grid: 'for',
  own_district: 'for',
  type_suited: 'for',
  other_grid: 'against',
  out_of_district: 'against',
  squad_workload: 'against',
  type_unsuited: 'against',
  off_duty: 'against',
  offline: 'against',
  busy: 'against',
  no_position: 'against',
  no_path: 'against',
  crossing: 'info',
  straight_line: 'info',
  own_grid_first: 'for',
  waiting_for_grid: 'against',
  waiting_for_district: 'against',
  not_neighbour: 'against',
  neighbour_allowed: 'info',
  city_wide_allowed: 'info',
};

export function reasonTone(r: RankReason): ReasonTone {
  return TONES[r.key];
}

/** How the names inside reasons are shown: districts, unit types, category groups, unit statuses and crossings. */
export interface ReasonNames {
  district(code: string): string;
  unitType(type: UnitType): string;
  group(id: string): string;
  unitStatus(status: UnitStatus): string;
  /** A bridge or tunnel by its id (config roads). */
  crossing(id: string): string;
  /** A world time as the wall's clock shows it (`14:05`), for when a held-back squad becomes eligible. */
  time?(at: number): string;
}

/** A ranking reason in words, its codes turned into names. */
export function reasonText(t: Translate, r: RankReason, names: ReasonNames): string {
  const key = RANK_REASON_MESSAGES[r.key];
  switch (r.key) {
    case 'other_grid':
      return t(key, { grid: r.params.grid });
    case 'out_of_district':
      return t(key, { district: names.district(r.params.district) });
    case 'squad_workload':
      return t(key, { active: r.params.active, units: r.params.units });
    case 'type_suited':
    case 'type_unsuited':
      return t(key, { type: names.unitType(r.params.type), group: names.group(r.params.group) });
    case 'crossing':
      return t(key, { via: names.crossing(r.params.via) });
    case 'busy':
      return t(key, { status: names.unitStatus(r.params.status) });
    case 'waiting_for_grid':
    case 'waiting_for_district':
    case 'not_neighbour': {
      const until = r.params.until;
      if (until === null) return t(r.key === 'not_neighbour' ? 'rank.not_neighbour_never' : key, { until: '—' });
      return t(key, { until: names.time ? names.time(until) : new Date(until).toISOString().slice(11, 16) + 'Z' });
    }
    case 'neighbour_allowed':
    case 'city_wide_allowed':
      return t(key, { because: t(`jurisdiction.because.${r.params.because}`) });
    default:
      return t(key);
  }
}
