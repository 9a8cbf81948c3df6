import { LineLayer } from '@deck.gl/layers';
import type { Case, LonLat, Task, TaskStatus, Unit } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import { dotsInstanced } from '../dot-mesh.ts';
import { SegmentMeshLayer } from './segment-mesh-layer.ts';

/** A unit on its way to (or working at) a case: one line from the unit's live position to the case. */
export interface DispatchLine {
  taskId: string;
  caseId: string;
  status: TaskStatus;
  /** The unit's frame slot: its live position is read from the position arrays at draw time. */
  slot: number;
  /** The unit's last position known to the log, used until a frame has placed it. */
  from: LonLat | null;
  to: LonLat;
}

/** Task statuses drawn as a line, and the style of each: travelling statuses as bright lines, on scene as a halo. */
const LINE_STYLE: Partial<Record<TaskStatus, { color: Rgba; width: number }>> = {
  dispatched: { color: withAlpha(THEME.unitStatus.dispatched, 230), width: 3 },
  accepted: { color: withAlpha(THEME.unitStatus.dispatched, 230), width: 3 },
  en_route: { color: withAlpha(THEME.unitStatus.en_route, 240), width: 4 },
  // The unit is at the case: a wide, soft stroke reads as "working here" rather than "on the way".
  on_scene: { color: withAlpha(THEME.unitStatus.on_scene, 110), width: 10 },
};

export function isLineStatus(s: TaskStatus): boolean {
  return LINE_STYLE[s] !== undefined;
}

/**
 * The lines to draw: one per task dispatched, accepted, en route or on scene whose unit and case are known.
 * Rebuilt only when the world changes (a few hundred rows); the units' movement is read per frame by the layer.
 */
export function dispatchLines(
  tasks: Iterable<Task>,
  units: ReadonlyMap<string, Unit>,
  cases: ReadonlyMap<string, Case>,
): DispatchLine[] {
  const out: DispatchLine[] = [];
  for (const t of tasks) {
    if (!isLineStatus(t.status)) continue;
    const unit = units.get(t.unitId);
    const c = cases.get(t.caseId);
    if (!unit || !c) continue;
    out.push({
      taskId: t.id,
      caseId: t.caseId,
      status: t.status,
      slot: unit.slot,
      from: unit.position ?? null,
      to: c.position,
    });
  }
  return out;
}

/** Where units are now: the display's position arrays (see UnitPositions), read without copying. */
export interface LivePositions {
  has(slot: number): boolean;
  lon(slot: number): number;
  lat(slot: number): number;
}

export interface DispatchLinesInput {
  lines: readonly DispatchLine[];
  positions: LivePositions;
  /** Bumped whenever positions move (the units' paint version): re-reads the moving ends only. */
  version: number;
}

/**
 * Dispatch lines from each unit's live position to its case: yellow when dispatched or accepted, orange en
 * route, a soft pink halo on scene. The data array changes only with the tasks; per frame only the source
 * positions are re-read (`updateTriggers`), so the cost follows the number of active tasks, not of units. One
 * non-instanced mesh (./segment-mesh-layer.ts); `?dots=instanced` draws deck.gl's LineLayer as before (the baseline).
 */
export function dispatchLinesLayer(
  { lines, positions, version }: DispatchLinesInput,
  scale = 1,
  instanced = dotsInstanced(),
): SegmentMeshLayer<DispatchLine> | LineLayer<DispatchLine> {
  const props = {
    id: 'dispatch-lines',
    data: lines,
    visible: lines.length > 0,
    getSourcePosition: (d: DispatchLine) => sourceOf(d, positions),
    getTargetPosition: (d: DispatchLine) => d.to,
    getColor: (d: DispatchLine) => LINE_STYLE[d.status]?.color ?? THEME.unitStatus.dispatched,
    getWidth: (d: DispatchLine) => LINE_STYLE[d.status]?.width ?? 3,
    widthScale: scale,
    widthMinPixels: 1,
    updateTriggers: { getSourcePosition: version },
    pickable: false,
  };
  if (!instanced) return new SegmentMeshLayer<DispatchLine>(props);
  return new LineLayer<DispatchLine>({ ...props, widthUnits: 'pixels' });
}

/** The unit's live position, its last logged one before any frame, or the case itself (a zero-length line). */
export function sourceOf(d: DispatchLine, positions: LivePositions): LonLat {
  if (positions.has(d.slot)) return [positions.lon(d.slot), positions.lat(d.slot)];
  return d.from ?? d.to;
}

function withAlpha([r, g, b]: readonly number[], a: number): Rgba {
  return [r!, g!, b!, a];
}
