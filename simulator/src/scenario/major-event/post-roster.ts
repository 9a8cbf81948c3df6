import type { LonLat, UnitType } from '@egret/protocol';
import { gridIdAt, locateDistrict, type DistrictShape, type GridSpec, type MajorEvent } from '@egret/config';
import type { Rng } from '../../rng.ts';
import type { Squad } from '../roster.ts';

/** A post of the event as its units hold it. */
export interface Post {
  id: string;
  name: string;
  position: LonLat;
  radiusM: number;
  district: string;
}

/** A unit that holds a fixed post (固定岗) of a major event, besides the city's roster. */
export interface PostUnit {
  id: string;
  name: string;
  type: UnitType;
  squadId: string;
  district: string;
  post: Post;
  /** 0, 1 … within its post. */
  k: number;
}

export interface PostRosterInput {
  event: Pick<MajorEvent, 'id' | 'posts'>;
  unitType: UnitType;
  unitsPerPost: readonly [number, number];
  /** The city's squads (the roster's), to give each post to the squad whose duty area holds it. */
  squads: readonly Squad[];
  shapes: readonly DistrictShape[];
  spec: GridSpec;
  /** The posts' own stream: each post forks one by its id, so adding a post never changes another's units. */
  rng: Rng;
}

/**
 * Who holds each post: 1–2 (`unitsPerPost`, drawn per post) units of `unitType` from the squad whose duty area holds
 * the post — its district from `locateDistrict`, as the hub finds it; the district's first squad when the post's
 * grid cell belongs to none — with ids `U-<district>-<squad>-G01` (G for 岗, numbered per squad across the event's
 * posts, so they never meet the roster's numeric serials) and names `思明一中队 会展北路岗1`. A post outside every
 * district is a configuration error: its units could never be placed, and the hub would not know their district.
 */
export function postUnits(input: PostRosterInput): PostUnit[] {
  const [lo, hi] = input.unitsPerPost;
  const serials = new Map<string, number>();
  const units: PostUnit[] = [];
  for (const p of input.event.posts) {
    const district = locateDistrict(input.shapes, p.position);
    if (!district)
      throw new Error(`event ${input.event.id}: post ${p.id} at ${p.position.join(', ')} lies outside every district`);
    const squad = squadHolding(input.squads, input.spec, district, p.position);
    const post: Post = { id: p.id, name: p.name.zh, position: p.position, radiusM: p.radiusM, district };
    const count = input.rng.fork(`post/${p.id}`).int(lo, hi);
    const squadNo = squad.id.slice(-2);
    const short = squad.name.replace(/区第/, '');
    for (let k = 0; k < count; k++) {
      const serial = (serials.get(squad.id) ?? 0) + 1;
      serials.set(squad.id, serial);
      units.push({
        id: `U-${district}-${squadNo}-G${String(serial).padStart(2, '0')}`,
        name: `${short} ${post.name}${k + 1}`,
        type: input.unitType,
        squadId: squad.id,
        district,
        post,
        k,
      });
    }
  }
  return units;
}

/** The squad whose duty area holds the point's grid cell, else the district's first squad. */
function squadHolding(squads: readonly Squad[], spec: GridSpec, district: string, point: LonLat): Squad {
  const inDistrict = squads.filter((s) => s.district === district);
  if (!inDistrict.length) throw new Error(`district ${district} has no squad`);
  const id = gridIdAt(spec, district, point);
  return inDistrict.find((s) => id !== undefined && s.cells.includes(id)) ?? inDistrict[0]!;
}
