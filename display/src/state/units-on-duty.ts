import { UnitType, type Unit, type UnitStatus } from '@egret/protocol';

/** The columns of the units panel: how on-duty units of one type are spread over the work. */
export const DUTY_COLUMNS = ['available', 'moving', 'on_scene', 'offline'] as const;
export type DutyColumn = (typeof DUTY_COLUMNS)[number];

const COLUMN_OF: Record<UnitStatus, DutyColumn | null> = {
  available: 'available',
  dispatched: 'moving',
  en_route: 'moving',
  on_scene: 'on_scene',
  offline: 'offline',
  off_duty: null,
};

export interface DutyRow {
  type: UnitType;
  /** On duty: every status but off duty. */
  onDuty: number;
  counts: Record<DutyColumn, number>;
}

/** On-duty units by type and status, in the protocol's type order; types with nobody on duty are left out. */
export function unitsOnDuty(units: Iterable<Unit>): DutyRow[] {
  const rows = new Map<UnitType, DutyRow>();
  for (const u of units) {
    const col = COLUMN_OF[u.status];
    if (!col) continue;
    let row = rows.get(u.type);
    if (!row)
      rows.set(
        u.type,
        (row = { type: u.type, onDuty: 0, counts: { available: 0, moving: 0, on_scene: 0, offline: 0 } }),
      );
    row.onDuty++;
    row.counts[col]++;
  }
  return UnitType.options.filter((t) => rows.has(t)).map((t) => rows.get(t)!);
}
