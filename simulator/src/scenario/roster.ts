import { UnitType } from '@egret/protocol';
import type { District, GridCell, Shift, UnitTypeProfile } from '@egret/config';
import type { Rng } from '../rng.ts';
import { partitionCells } from './duty-areas.ts';
import { nodeCell, type Lattice } from './lattice.ts';

/** Unit types in a fixed order: `roster.type[i]` indexes this list. */
export const UNIT_TYPES = UnitType.options;

/** Lattice components smaller than this (a rock off the coast) get no units: a patrol there could not go anywhere. */
const MIN_COMPONENT_NODES = 20;

/** A squad (中队) and its duty area. */
export interface Squad {
  id: string;
  /** e.g. 思明区第一中队 */
  name: string;
  district: string;
  /** Grid ids of its duty area. */
  cells: string[];
  /** Lattice nodes of its duty area that units can patrol. */
  nodes: Int32Array;
  /** Index of its first unit in the roster; its units are contiguous. */
  firstUnit: number;
  unitCount: number;
}

/** Every field unit, column-wise so that tens of thousands cost a few typed arrays. */
export interface Roster {
  squads: Squad[];
  count: number;
  id: string[];
  name: string[];
  type: Uint8Array;
  squad: Uint16Array;
  /** District code of each unit. */
  district: string[];
  /** Index into the scenario's shifts, and this unit's offset from the shift's hours (minutes). */
  shift: Uint8Array;
  shiftOffsetMin: Int16Array;
  /** Metres per second. */
  speed: Float32Array;
  /** Waypoints of the unit's patrol beat (lattice nodes); the first is its home. */
  beat: Int32Array[];
}

export interface RosterInput {
  districts: readonly District[];
  lattice: Lattice;
  cells: readonly GridCell[];
  types: Readonly<Record<UnitType, UnitTypeProfile>>;
  speedJitter: number;
  shifts: readonly Shift[];
  shiftJitterMinutes: number;
  /** Total units, spread evenly over the squads. */
  totalUnits: number;
  rng: Rng;
}

/**
 * The city's squads and units: `districts[].squads` squads per district named 思明区第一中队 …, each given a
 * compact share of the district's grid cells; units spread evenly over squads with the scenario's type mix,
 * ids like `U-350203-01-007`, a shift, a speed and a patrol beat of 3–5 waypoints around a home in the duty area.
 */
export function buildRoster(input: RosterInput): Roster {
  const { lattice, rng } = input;
  const squadDefs = input.districts.flatMap((d) => Array.from({ length: d.squads }, (_, k) => ({ district: d, k })));
  const perSquad = (s: number) =>
    Math.floor(input.totalUnits / squadDefs.length) + (s < input.totalUnits % squadDefs.length ? 1 : 0);
  const serialDigits = Math.max(3, String(perSquad(0)).length);

  const squads: Squad[] = [];
  const roster: Roster = {
    squads,
    count: input.totalUnits,
    id: [],
    name: [],
    district: [],
    type: new Uint8Array(input.totalUnits),
    squad: new Uint16Array(input.totalUnits),
    shift: new Uint8Array(input.totalUnits),
    shiftOffsetMin: new Int16Array(input.totalUnits),
    speed: new Float32Array(input.totalUnits),
    beat: [],
  };
  const shiftShares = input.shifts.map((s) => s.share);
  const typeShares = UNIT_TYPES.map((t) => input.types[t].share);
  const componentSize = countComponents(lattice);

  for (const d of input.districts) {
    const dIndex = lattice.districts.indexOf(d.code);
    const cells = input.cells.filter((c) => c.district === d.code);
    const area = partitionCells(cells, d.squads);
    const cellArea = new Map<number, number>(cells.map((c, i) => [c.row * 10_000 + c.col, area[i]!]));
    const nodesOf: number[][] = Array.from({ length: d.squads }, () => []);
    for (let n = 0; n < lattice.nodeCount; n++) {
      if (lattice.district[n] !== dIndex || componentSize[lattice.component[n]!]! < MIN_COMPONENT_NODES) continue;
      const { row, col } = nodeCell(lattice, n);
      nodesOf[cellArea.get(row * 10_000 + col) ?? 0]!.push(n);
    }
    const allNodes = nodesOf.flat();
    for (let k = 0; k < d.squads; k++) {
      const s = squads.length;
      const count = perSquad(s);
      const nodes = Int32Array.from(nodesOf[k]!.length ? nodesOf[k]! : allNodes);
      const squad: Squad = {
        id: `SQ-${d.code}-${pad(k + 1, 2)}`,
        name: `${d.name.zh}第${chineseNumber(k + 1)}中队`,
        district: d.code,
        cells: cells.filter((_, i) => area[i] === k).map((c) => c.id),
        nodes,
        firstUnit: roster.id.length,
        unitCount: count,
      };
      squads.push(squad);
      const byComponent = groupByComponent(lattice, nodes);
      const short = `${d.name.zh.replace(/区$/, '')}${chineseNumber(k + 1)}中队`;
      const types = apportion(typeShares, count);
      let serial = 0;
      types.forEach((n, t) => {
        const type = UNIT_TYPES[t]!;
        const profile = input.types[type];
        for (let j = 0; j < n; j++) {
          const i = roster.id.length;
          serial++;
          roster.id.push(`U-${d.code}-${pad(k + 1, 2)}-${pad(serial, serialDigits)}`);
          roster.name.push(`${short} ${profile.label}${pad(j + 1, 2)}`);
          roster.district.push(d.code);
          roster.type[i] = t;
          roster.squad[i] = s;
          roster.shift[i] = rng.weightedIndex(shiftShares);
          roster.shiftOffsetMin[i] = Math.round(rng.range(-input.shiftJitterMinutes, input.shiftJitterMinutes));
          roster.speed[i] = profile.speedMps * (1 + rng.range(-input.speedJitter, input.speedJitter));
          roster.beat.push(makeBeat(lattice, nodes, byComponent, profile.beatRadiusM, rng));
        }
      });
    }
  }
  return roster;
}

/** A loop of 3–5 waypoints: a home in the duty area, then points in the same component within the type's reach. */
function makeBeat(
  l: Lattice,
  nodes: Int32Array,
  byComponent: Map<number, Int32Array>,
  radiusM: number,
  rng: Rng,
): Int32Array {
  const home = nodes[rng.int(0, nodes.length - 1)]!;
  const pool = byComponent.get(l.component[home]!)!;
  const beat = [home];
  const size = rng.int(3, 5);
  const kx = l.eastWestM[home]! / l.stepLon,
    ky = l.northSouthM / l.stepLat;
  const distM = (a: number, b: number) => Math.hypot((l.lon[a]! - l.lon[b]!) * kx, (l.lat[a]! - l.lat[b]!) * ky);
  while (beat.length < size) {
    let best = home,
      bestD = Infinity;
    for (let attempt = 0; attempt < 30; attempt++) {
      const n = pool[rng.int(0, pool.length - 1)]!;
      const d = distM(home, n);
      if (d <= radiusM && n !== beat[beat.length - 1]) {
        best = n;
        break;
      }
      if (d < bestD && n !== beat[beat.length - 1]) {
        bestD = d;
        best = n;
      }
    }
    beat.push(best);
  }
  return Int32Array.from(beat);
}

function groupByComponent(l: Lattice, nodes: Int32Array): Map<number, Int32Array> {
  const groups = new Map<number, number[]>();
  for (const n of nodes) {
    const c = l.component[n]!;
    const g = groups.get(c);
    if (g) g.push(n);
    else groups.set(c, [n]);
  }
  return new Map([...groups].map(([c, g]) => [c, Int32Array.from(g)]));
}

function countComponents(l: Lattice): Int32Array {
  let max = 0;
  for (const c of l.component) if (c > max) max = c;
  const size = new Int32Array(max + 1);
  for (const c of l.component) size[c]!++;
  return size;
}

/** Splits `total` into integer parts proportional to `shares` (largest remainder), summing exactly to `total`. */
export function apportion(shares: readonly number[], total: number): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (s / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i]!++;
  }
  return parts;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10),
    ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
