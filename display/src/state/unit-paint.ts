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
  /** The same bytes as `colors` and `lineColors`, a slot's RGBA as one word: one store per slot instead of four. */
  private colors32 = new Uint32Array(0);
  private lineColors32 = new Uint32Array(0);
  /**
   * What the world says of the unit in each slot, kept while the world's units do not change (`unitsVersion`):
   * a repaint then only ages the fixes, in one pass over typed arrays, instead of reading 50,000 units' status, type
   * and terminal again. Null: not built, or the units are not one to a slot (painted unit by unit then).
   */
  private table: SlotTable | null = null;

  /**
   * Paints every slot for `clock`. `unitsVersion`, when given, changes whenever any of `units` does (the world's
   * count of unit changes): the units' colours are then read once per version, not once per paint.
   */
  paint(units: Iterable<Unit>, positions: UnitPositions, clock: PaintClock, unitsVersion?: number): UnitSummary {
    const n = positions.length;
    if (this.radii.length < n) {
      this.colors = new Uint8Array(positions.fixAt.length * 4);
      this.lineColors = new Uint8Array(positions.fixAt.length * 4);
      this.radii = new Float32Array(positions.fixAt.length);
      this.colors32 = new Uint32Array(this.colors.buffer);
      this.lineColors32 = new Uint32Array(this.lineColors.buffer);
    }
    if (unitsVersion === undefined) {
      this.table = null;
      return this.paintEach(units, positions, clock);
    }
    if (this.table?.version !== unitsVersion) {
      // Read once: the units may come as an iterator (the live source's `world.units.values()`), and a table with
      // two units in one slot is painted unit by unit from the same list.
      const list = [...units];
      this.table = slotTable(list, unitsVersion);
      units = list;
    }
    return this.table.dupes ? this.paintEach(units, positions, clock) : this.paintTable(this.table, positions, clock);
  }

  /** Unit by unit, from the units themselves. */
  private paintEach(units: Iterable<Unit>, positions: UnitPositions, clock: PaintClock): UnitSummary {
    const n = positions.length;
    const { radii, colors32, lineColors32 } = this;
    const { fixAt } = positions;
    const c = packed();
    // Slots with a fix but no unit (the frame came before the registration): drawn grey until the unit is known.
    for (let slot = 0; slot < n; slot++) {
      const drawn = !Number.isNaN(fixAt[slot]!);
      colors32[slot] = drawn ? c.stale : 0;
      lineColors32[slot] = drawn ? c.staleEdge : 0;
      radii[slot] = drawn ? THEME.unitStaleRadius : 0;
    }
    const summary: UnitSummary = { total: 0, available: 0, busy: 0, stale: 0, positioned: positions.positioned };
    // A fix taken before this (world ms) is stale: `isFixStale` with the division done once.
    const freshFrom = clock.worldNow - clock.staleAfterMs * clock.rate;
    for (const unit of units) {
      summary.total++;
      const slot = unit.slot;
      const has = slot < n && !Number.isNaN(fixAt[slot]!);
      const offDuty = unit.status === 'off_duty';
      const stale = !offDuty && (unit.status === 'offline' || !has || isFixStaleFrom(fixAt[slot]!, freshFrom, clock));
      if (stale) summary.stale++;
      else if (unit.status === 'available') summary.available++;
      else if (isUnitBusy(unit)) summary.busy++;
      if (!has) continue;
      colors32[slot] = stale ? c.stale : c.status[unit.status];
      lineColors32[slot] = stale || offDuty ? c.staleEdge : unit.terminal?.state === 'online' ? c.terminalEdge : c.edge;
      // Off duty: drawn small and dim at the last known place, so on-duty units stand out.
      radii[slot] = stale || offDuty ? THEME.unitStaleRadius : THEME.unitRadius[unit.type];
    }
    return summary;
  }

  /** The same paint from the slot table: one pass over the slots. */
  private paintTable(table: SlotTable, positions: UnitPositions, clock: PaintClock): UnitSummary {
    const n = positions.length;
    const { radii, colors32, lineColors32 } = this;
    const { fixAt } = positions;
    const { flags, fill, edge, radius } = table;
    const c = packed();
    const summary: UnitSummary = { total: 0, available: 0, busy: 0, stale: 0, positioned: positions.positioned };
    const freshFrom = clock.worldNow - clock.staleAfterMs * clock.rate;
    const end = Math.max(n, flags.length);
    for (let slot = 0; slot < end; slot++) {
      const f = slot < flags.length ? flags[slot]! : 0;
      const has = slot < n && !Number.isNaN(fixAt[slot]!);
      if (f === 0) {
        // No unit here: grey with a fix (the frame came before the registration), else nothing.
        if (slot < n) {
          colors32[slot] = has ? c.stale : 0;
          lineColors32[slot] = has ? c.staleEdge : 0;
          radii[slot] = has ? THEME.unitStaleRadius : 0;
        }
        continue;
      }
      summary.total++;
      const offDuty = (f & OFF_DUTY) !== 0;
      const stale = !offDuty && ((f & OFFLINE) !== 0 || !has || isFixStaleFrom(fixAt[slot]!, freshFrom, clock));
      if (stale) summary.stale++;
      else if ((f & AVAILABLE) !== 0) summary.available++;
      else if ((f & BUSY) !== 0) summary.busy++;
      if (slot >= n) continue;
      if (!has) {
        colors32[slot] = 0;
        lineColors32[slot] = 0;
        radii[slot] = 0;
        continue;
      }
      colors32[slot] = stale ? c.stale : fill[slot]!;
      lineColors32[slot] = stale || offDuty ? c.staleEdge : edge[slot]!;
      radii[slot] = stale || offDuty ? THEME.unitStaleRadius : radius[slot]!;
    }
    return summary;
  }
}

/** A slot's unit, as flags: none (0), or known with its status. */
const KNOWN = 1;
const OFF_DUTY = 2;
const OFFLINE = 4;
const AVAILABLE = 8;
const BUSY = 16;

interface SlotTable {
  version: number;
  /** Two units in one slot: painted unit by unit, as the later one's colours win there. */
  dupes: boolean;
  flags: Uint8Array;
  /** A fresh unit's fill, ring and radius. */
  fill: Uint32Array;
  edge: Uint32Array;
  radius: Float32Array;
}

function slotTable(list: readonly Unit[], version: number): SlotTable {
  let size = 0;
  for (const u of list) size = Math.max(size, u.slot + 1);
  const table: SlotTable = {
    version,
    dupes: false,
    flags: new Uint8Array(size),
    fill: new Uint32Array(size),
    edge: new Uint32Array(size),
    radius: new Float32Array(size),
  };
  const c = packed();
  for (const u of list) {
    const slot = u.slot;
    if (table.flags[slot] !== 0) table.dupes = true;
    table.flags[slot] =
      KNOWN |
      (u.status === 'off_duty' ? OFF_DUTY : 0) |
      (u.status === 'offline' ? OFFLINE : 0) |
      (u.status === 'available' ? AVAILABLE : 0) |
      (isUnitBusy(u) ? BUSY : 0);
    table.fill[slot] = c.status[u.status];
    table.edge[slot] = u.terminal?.state === 'online' ? c.terminalEdge : c.edge;
    table.radius[slot] = THEME.unitRadius[u.type];
  }
  return table;
}

/**
 * `isFixStale` for a fix known to be a number, against `freshFrom` (world ms) worked out once per paint; the exact
 * test where the two could differ by rounding (within a millisecond of the edge).
 */
function isFixStaleFrom(at: number, freshFrom: number, clock: PaintClock): boolean {
  if (at < freshFrom - 1) return true;
  if (at > freshFrom + 1) return false;
  return isFixStale(at, clock);
}

/** A colour as the word its four bytes make in this machine's byte order (what a Uint32Array over them reads). */
function word(c: readonly number[]): number {
  return new Uint32Array(new Uint8Array(c).buffer)[0]!;
}

let packedColors: {
  stale: number;
  staleEdge: number;
  edge: number;
  terminalEdge: number;
  status: Record<Unit['status'], number>;
} | null = null;

function packed(): NonNullable<typeof packedColors> {
  return (packedColors ??= {
    stale: word(THEME.unitStale),
    staleEdge: word(THEME.map.unitStaleEdge),
    edge: word(THEME.map.unitEdge),
    terminalEdge: word(THEME.map.unitTerminalEdge),
    status: Object.fromEntries(Object.entries(THEME.unitStatus).map(([status, c]) => [status, word(c)])) as Record<
      Unit['status'],
      number
    >,
  });
}
