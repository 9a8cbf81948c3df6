/**
 * Why an input was refused. A short machine-readable class (the dead-letter `reason`, a metrics label) and a
 * human-readable detail that names the bad field.
 */
export interface Refusal {
  ok: false;
  reason: RejectReason;
  detail: string;
}

/** Every class of refusal, as it appears in the dead-letter stream and in `egret_deadletter_total{reason}`. */
export type RejectReason =
  | 'missing_data'
  | 'oversized'
  | 'invalid_json'
  | 'schema'
  | 'unknown_category'
  | 'outside_city'
  | 'unknown_district'
  | 'unknown_unit'
  | 'unknown_task'
  | 'unknown_case'
  | 'unknown_sensor'
  | 'unknown_camera'
  /** An `inspection.check` of an inspection no plan issued (issue #17). */
  | 'unknown_inspection'
  /** A camera whose stream or playback URL is not on one of the city's configured video origins. */
  | 'origin_not_allowed'
  /** Older than what the hub already holds (a storm update or a sensor reading that arrived late). */
  | 'out_of_order'
  | 'unit_mismatch'
  | 'far_future'
  | 'duplicate'
  | 'illegal_transition'
  | 'reason_required'
  /** The hub failed on this entry several times over while Redis was fine: kept here rather than retried for ever. */
  | 'internal';

export function refuse(reason: RejectReason, detail: string): Refusal {
  return { ok: false, reason, detail };
}
