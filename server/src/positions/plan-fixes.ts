import { MAX_FUTURE_SKEW_MS, type Fix } from '@egret/protocol';

/** A fix refused on its own while the rest of its batch is applied. */
export interface FixRejection {
  entryId: string;
  fix: Fix;
  reason: 'unknown_unit' | 'far_future';
  detail: string;
}

/** What one read of the positions stream comes to, before Redis checks each unit's stored fix. */
export interface FixPlan {
  /** The latest fix of each unit across the batches (latest `at` wins; a tie goes to the later one). */
  latest: Map<string, Fix>;
  rejections: FixRejection[];
  /** Fixes superseded by a newer fix of the same unit in the same read. */
  coalesced: number;
  /** Fixes older than a fix of the same unit that came before them in the same read. */
  outOfOrder: number;
}

export interface PlanInput {
  batches: ReadonlyArray<{ entryId: string; fixes: readonly Fix[] }>;
  /** Whether the unit holds a frame slot (given when it registers on the control plane). */
  hasSlot: (unitId: string) => boolean;
  /** World time now, epoch ms. */
  now: number;
}

/**
 * Sorts the fixes of valid batches into the latest fix per unit and the refusals. Pure: the caller brings the
 * slot lookup and the world time. Whether a fix is older than what Redis already holds is decided atomically in
 * Redis (two hubs may apply fixes of one unit at once), not here.
 */
export function planFixes({ batches, hasSlot, now }: PlanInput): FixPlan {
  const latest = new Map<string, Fix>();
  const rejections: FixRejection[] = [];
  let coalesced = 0;
  let outOfOrder = 0;
  const limit = now + MAX_FUTURE_SKEW_MS;
  for (const { entryId, fixes } of batches) {
    for (const fix of fixes) {
      if (!hasSlot(fix.unitId)) {
        rejections.push({
          entryId,
          fix,
          reason: 'unknown_unit',
          detail: `unit "${fix.unitId}" is not registered (no frame slot)`,
        });
        continue;
      }
      if (fix.at > limit) {
        rejections.push({
          entryId,
          fix,
          reason: 'far_future',
          detail: `at ${fix.at} is ${fix.at - now} ms ahead of world time ${now} (limit ${MAX_FUTURE_SKEW_MS} ms)`,
        });
        continue;
      }
      const seen = latest.get(fix.unitId);
      if (seen && fix.at < seen.at) {
        outOfOrder++;
        continue;
      }
      if (seen) coalesced++;
      latest.set(fix.unitId, fix);
    }
  }
  return { latest, rejections, coalesced, outOfOrder };
}
