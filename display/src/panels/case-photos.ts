import { PhotoId, type PhotoRef, type PhotoRole } from '@egret/protocol';

/** One photo of a case's strip: what it shows, when, and where the hub serves it. */
export interface StripPhoto {
  key: string;
  id: string;
  role: PhotoRole;
  at: number;
  by?: string;
  /** The thumbnail (≤ 320 px WebP) and the full-size image, same-origin (`/api/photos/<id>[/thumb]`). */
  thumb: string;
  full: string;
}

/**
 * A case's photos in the order they were taken into the case (oldest first: 上报 → 处置前 → 处置后 → 核查), each with
 * its URLs. A reference whose id is not a photo id is left out: no URL is ever built from anything else.
 */
export function photoStrip(photos: readonly PhotoRef[] | undefined): StripPhoto[] {
  return (photos ?? [])
    .filter((p) => PhotoId.safeParse(p.id).success)
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.at - b.p.at || a.i - b.i)
    .map(({ p, i }) => ({
      key: `${i}:${p.id}`,
      id: p.id,
      role: p.role,
      at: p.at,
      ...(p.by !== undefined ? { by: p.by } : {}),
      thumb: `/api/photos/${p.id}/thumb`,
      full: `/api/photos/${p.id}`,
    }));
}
