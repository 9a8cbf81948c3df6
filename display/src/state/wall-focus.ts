import type { Case, LonLat, Unit, WallFocus } from '@egret/protocol';
import type { Bbox } from '../map/view.ts';

/** Half the side of the square the wall shows around a focused case or unit, metres: a few streets each way. */
export const FOCUS_HALF_SIDE_M = 1_200;

/** What the wall shows up close when a console puts something on it (推屏). */
export interface FocusTarget {
  kind: 'case' | 'unit' | 'view';
  id: string;
  /** The case, when it is a case (the wall rings it like the console's selection). */
  case?: Case;
  unit?: Unit;
  position: LonLat;
  /** The camera's extent: a square around the position, or the console's view. */
  bbox: Bbox;
}

/** A square of `halfSideM` each way around a point (small-area approximation, ample at a city's latitude). */
export function squareAround([lon, lat]: LonLat, halfSideM = FOCUS_HALF_SIDE_M): Bbox {
  const dLat = halfSideM / 111_320;
  const dLon = halfSideM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

/**
 * Where the wall looks when a focus is set: the case's place, the unit's latest position (live frames, else its
 * last known one), or the view a console zoomed to (the wall frames the whole of it: a wider wall shows more on
 * the sides). Null — the overview — when nothing is focused or what was focused has no place to show (a unit
 * that never reported, a case that left the screen's world).
 */
export function focusTarget(
  focus: WallFocus | null,
  world: { cases: ReadonlyMap<string, Case>; units: ReadonlyMap<string, Unit> },
  livePosition: (unit: Unit) => LonLat | undefined,
): FocusTarget | null {
  if (!focus) return null;
  if (focus.extent !== undefined) {
    const [w, s, e, n] = focus.extent;
    return {
      kind: 'view',
      id: focus.extent.map((x) => x.toFixed(4)).join(','),
      position: [(w + e) / 2, (s + n) / 2],
      bbox: focus.extent,
    };
  }
  if (focus.caseId !== undefined) {
    const c = world.cases.get(focus.caseId);
    return c ? { kind: 'case', id: c.id, case: c, position: c.position, bbox: squareAround(c.position) } : null;
  }
  if (focus.unitId !== undefined) {
    const u = world.units.get(focus.unitId);
    const at = u && (livePosition(u) ?? u.position);
    return u && at ? { kind: 'unit', id: u.id, unit: u, position: at, bbox: squareAround(at) } : null;
  }
  return null;
}
