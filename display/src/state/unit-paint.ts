import { isUnitBusy, type Unit } from '@egret/protocol';
import { THEME } from '../theme.ts';
import type { UnitPositions } from './unit-positions.ts';

/** Counts the units panel shows. */
export interface UnitSummary {
  /** Units registered with the hub. */
  total: number;
  available: number;
  /** Dispatched, en route or on scene. */
  busy: number;
  /** On duty but silent: offline, or no fresh fix. Off-duty units are expected to be silent and never count. */
  stale: number;
  /** Slots drawn on the map. */
  positioned: number;
}

export interface PaintClock {
  /** World time now, as the hub's frames tell it (epoch ms). */
  worldNow: number;
  /** World ms per real ms (simulated time may run faster). */
  rate: number;
  /** A fix older than this many real milliseconds makes the unit stale. */
  staleAfterMs: number;
}

/**
 * Whether a fix taken at `fixAt` (world ms) is too old. Measured in real time: at 60× simulated time a unit that
 * reports every real second is fresh, although a minute of world time passes between its fixes.
 */
export function isFixStale(fixAt: number, { worldNow, rate, staleAfterMs }: PaintClock): boolean {
  return Number.isNaN(fixAt) || (worldNow - fixAt) / rate > staleAfterMs;
}

/**
 * Colours and radii of every slot for the units layer, in typed arrays beside the positions: status colour and a
 * white ring (cyan on a live field terminal), size by unit type; grey without the ring when stale. Slots without a fix are transparent with radius 0.
 */
export class UnitPaint {
  colors = new Uint8Array(0);
  lineColors = new Uint8Array(0);
  radii = new Float32Array(0);

  paint(units: Iterable<Unit>, positions: UnitPositions, clock: PaintClock): UnitSummary {
    const n = positions.length;
    if (this.radii.length < n) {
      this.colors = new Uint8Array(positions.fixAt.length * 4);
      this.lineColors = new Uint8Array(positions.fixAt.length * 4);
      this.radii = new Float32Array(positions.fixAt.length);
    }
    const { colors, lineColors, radii } = this;
    // Slots with a fix but no unit (the frame came before the registration): drawn grey until the unit is known.
    for (let slot = 0; slot < n; slot++) {
      const drawn = positions.has(slot);
      setColor(colors, slot, drawn ? THEME.unitStale : TRANSPARENT);
      setColor(lineColors, slot, drawn ? THEME.map.unitStaleEdge : TRANSPARENT);
      radii[slot] = drawn ? THEME.unitStaleRadius : 0;
    }
    const summary: UnitSummary = { total: 0, available: 0, busy: 0, stale: 0, positioned: positions.positioned };
    for (const unit of units) {
      summary.total++;
      const offDuty = unit.status === 'off_duty';
      const stale =
        !offDuty &&
        (unit.status === 'offline' ||
          isFixStale(positions.has(unit.slot) ? positions.fixAt[unit.slot]! : Number.NaN, clock));
      if (stale) summary.stale++;
      else if (unit.status === 'available') summary.available++;
      else if (isUnitBusy(unit)) summary.busy++;
      if (unit.slot >= n || !positions.has(unit.slot)) continue;
      setColor(colors, unit.slot, stale ? THEME.unitStale : THEME.unitStatus[unit.status]);
      const edge =
        stale || offDuty
          ? THEME.map.unitStaleEdge
          : unit.terminal?.state === 'online'
            ? THEME.map.unitTerminalEdge
            : THEME.map.unitEdge;
      setColor(lineColors, unit.slot, edge);
      // Off duty: drawn small and dim at the last known place, so on-duty units stand out.
      radii[unit.slot] = stale || offDuty ? THEME.unitStaleRadius : THEME.unitRadius[unit.type];
    }
    return summary;
  }
}

const TRANSPARENT = [0, 0, 0, 0] as const;

function setColor(out: Uint8Array, slot: number, c: readonly number[]): void {
  const o = slot * 4;
  out[o] = c[0]!;
  out[o + 1] = c[1]!;
  out[o + 2] = c[2]!;
  out[o + 3] = c[3]!;
}
