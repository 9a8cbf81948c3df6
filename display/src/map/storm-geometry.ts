import type { LonLat } from '@egret/protocol';
import type { Boundaries } from './boundaries.ts';
import type { Bbox } from './view.ts';

/**
 * Plane geometry for the storm layers, in kilometres on a local equirectangular plane: a typhoon's circles and cone
 * span a few hundred kilometres, where that plane is within a fraction of a per cent of the sphere — far better
 * than the forecast's own uncertainty. Pure: no GPU, no deck.gl, tested in Node.
 */

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEG = (Math.PI * EARTH_RADIUS_KM) / 180;

/** A circle on the ground: a forecast point and its uncertainty radius, or a wind radius around the centre. */
export interface GroundCircle {
  center: LonLat;
  radiusKm: number;
}

type Xy = [number, number];

/** Converts between lon/lat and kilometres east/north of `origin`. */
export class LocalPlane {
  private readonly kx: number;
  constructor(readonly origin: LonLat) {
    this.kx = KM_PER_DEG * Math.cos((origin[1] * Math.PI) / 180);
  }
  toXy([lon, lat]: LonLat): Xy {
    return [(lon - this.origin[0]) * this.kx, (lat - this.origin[1]) * KM_PER_DEG];
  }
  toLonLat([x, y]: Xy): LonLat {
    return [this.origin[0] + x / this.kx, this.origin[1] + y / KM_PER_DEG];
  }
}

/** Great-circle distance in km. */
export function distanceKm(a: LonLat, b: LonLat): number {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A circle as a closed ring of `steps` + 1 lon/lat points, counter-clockwise. */
export function circleRing({ center, radiusKm }: GroundCircle, steps = 64): LonLat[] {
  const plane = new LocalPlane(center);
  const ring: LonLat[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = (2 * Math.PI * (i % steps)) / steps;
    ring.push(plane.toLonLat([radiusKm * Math.cos(a), radiusKm * Math.sin(a)]));
  }
  return ring;
}

/**
 * The forecast's uncertainty cone: the area swept by a circle moving from each forecast point to the next while
 * its radius grows from one point's `coneKm` to the next's (the union of the circles and the convex hulls of each
 * consecutive pair), as ONE simple counter-clockwise ring — so a translucent fill is not darker where the circles
 * overlap, as separate circles would be.
 *
 * Walked like a stroked line of varying width: forward along the right-hand tangents, round the last circle, back
 * along the left-hand tangents, round the first circle. Where the track bends, the outer side follows the circle's
 * arc and the inner side takes the tangents' crossing, so the ring does not fold over itself. A circle that another
 * contains adds nothing and is dropped first. Empty for no circles; a circle for one.
 */
export function forecastCone(circles: readonly GroundCircle[], arcStepDeg = 10): LonLat[] {
  if (circles.length === 0) return [];
  const plane = new LocalPlane(circles[0]!.center);
  let pts = circles.map((c) => ({ p: plane.toXy(c.center), r: Math.max(0, c.radiusKm) }));
  pts = dropContained(pts);
  if (pts.length === 1)
    return circleRing({ center: plane.toLonLat(pts[0]!.p), radiusKm: pts[0]!.r }, Math.round(360 / arcStepDeg));

  // External tangents of each consecutive pair: the unit normals (pointing out of the cone) at both ends.
  const segs = [] as { right: Xy; left: Xy }[];
  for (let i = 0; i < pts.length - 1; i++) {
    const a = pts[i]!,
      b = pts[i + 1]!;
    const dx = b.p[0] - a.p[0],
      dy = b.p[1] - a.p[1];
    const d = Math.hypot(dx, dy);
    const u: Xy = [dx / d, dy / d];
    const cos = (a.r - b.r) / d; // |cos| < 1: neither circle contains the other
    const sin = Math.sqrt(Math.max(0, 1 - cos * cos));
    const perp: Xy = [-u[1], u[0]]; // left of the direction of travel
    segs.push({
      right: [u[0] * cos - perp[0] * sin, u[1] * cos - perp[1] * sin],
      left: [u[0] * cos + perp[0] * sin, u[1] * cos + perp[1] * sin],
    });
  }
  const step = (arcStepDeg * Math.PI) / 180;
  const at = (i: number, n: Xy): Xy => [pts[i]!.p[0] + pts[i]!.r * n[0], pts[i]!.p[1] + pts[i]!.r * n[1]];
  const out: Xy[] = [];
  const arc = (i: number, from: Xy, to: Xy) => {
    const a0 = Math.atan2(from[1], from[0]);
    let sweep = Math.atan2(to[1], to[0]) - a0;
    while (sweep < 0) sweep += 2 * Math.PI;
    if (sweep > 2 * Math.PI - 1e-9) sweep = 0; // the same direction, give or take rounding
    const n = Math.ceil(sweep / step);
    for (let k = 1; k < n; k++) out.push(at(i, [Math.cos(a0 + (sweep * k) / n), Math.sin(a0 + (sweep * k) / n)]));
  };
  // At a joint the outline is on the outer side of the bend where its normal turns counter-clockwise (the way the
  // ring is walked): there it follows the circle; on the inner side the two tangents cross before reaching it.
  const outer = (from: Xy, to: Xy) => cross(from, to) >= 0;

  // Right side, forwards.
  out.push(at(0, segs[0]!.right));
  for (let i = 1; i < pts.length - 1; i++) {
    const prev = segs[i - 1]!,
      next = segs[i]!;
    const end = at(i, prev.right),
      start = at(i, next.right);
    if (outer(prev.right, next.right)) {
      out.push(end);
      arc(i, prev.right, next.right);
      out.push(start);
    } else out.push(innerJoint(out[out.length - 1]!, end, start, at(i + 1, next.right)));
  }
  const last = pts.length - 1;
  out.push(at(last, segs[last - 1]!.right));
  arc(last, segs[last - 1]!.right, segs[last - 1]!.left);
  out.push(at(last, segs[last - 1]!.left));
  // Left side, backwards.
  for (let i = pts.length - 2; i >= 1; i--) {
    const prev = segs[i - 1]!,
      next = segs[i]!;
    const end = at(i, next.left),
      start = at(i, prev.left);
    if (outer(next.left, prev.left)) {
      out.push(end);
      arc(i, next.left, prev.left);
      out.push(start);
    } else out.push(innerJoint(out[out.length - 1]!, end, start, at(i - 1, prev.left)));
  }
  out.push(at(0, segs[0]!.left));
  arc(0, segs[0]!.left, segs[0]!.right);

  const ring = dedupe(out).map((p) => plane.toLonLat(p));
  ring.push(ring[0]!);
  return ring;
}

/** Drops every circle that a neighbour contains, until none does (a slow storm: the cone only grows round it). */
function dropContained(pts: { p: Xy; r: number }[]): { p: Xy; r: number }[] {
  let out = pts;
  for (let changed = true; changed && out.length > 1;) {
    changed = false;
    for (let i = 0; i < out.length - 1; i++) {
      const a = out[i]!,
        b = out[i + 1]!;
      const d = Math.hypot(b.p[0] - a.p[0], b.p[1] - a.p[1]);
      if (d + b.r <= a.r + 1e-9) out = [...out.slice(0, i + 1), ...out.slice(i + 2)];
      else if (d + a.r <= b.r + 1e-9) out = [...out.slice(0, i), ...out.slice(i + 1)];
      else continue;
      changed = true;
      break;
    }
  }
  return out;
}

/**
 * The inner side of a bend: where the incoming tangent (from `a0` to `a1`) crosses the outgoing one (`b0` to `b1`).
 * When they do not cross (segments too short for the radius), the circle's own tangent point is the safe choice.
 */
function innerJoint(a0: Xy, a1: Xy, b0: Xy, b1: Xy): Xy {
  const r: Xy = [a1[0] - a0[0], a1[1] - a0[1]];
  const s: Xy = [b1[0] - b0[0], b1[1] - b0[1]];
  const den = cross(r, s);
  if (Math.abs(den) > 1e-12) {
    const q: Xy = [b0[0] - a0[0], b0[1] - a0[1]];
    const t = cross(q, s) / den;
    const v = cross(q, r) / den;
    if (t >= 0 && t <= 1 && v >= 0 && v <= 1) return [a0[0] + t * r[0], a0[1] + t * r[1]];
  }
  return [(a1[0] + b0[0]) / 2, (a1[1] + b0[1]) / 2];
}

function cross(a: Xy, b: Xy): number {
  return a[0] * b[1] - a[1] * b[0];
}

function dedupe(pts: Xy[]): Xy[] {
  const out: Xy[] = [];
  for (const p of pts) {
    const q = out[out.length - 1];
    if (!q || Math.abs(q[0] - p[0]) > 1e-9 || Math.abs(q[1] - p[1]) > 1e-9) out.push(p);
  }
  return out;
}

/** Whether a point lies inside a ring (even-odd rule; the ring may or may not repeat its first point). */
export function inRing(ring: readonly (readonly [number, number])[], [x, y]: readonly [number, number]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!,
      [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The districts a circle reaches: its centre lies in the district, or one of the district's borders passes within
 * the radius. A district the force-10 circle merely grazes is under damaging wind too, so touching counts.
 */
export function districtsInCircle(boundaries: Boundaries, circle: GroundCircle): Set<string> {
  const out = new Set<string>();
  if (!(circle.radiusKm > 0)) return out;
  const plane = new LocalPlane(circle.center);
  const r2 = circle.radiusKm * circle.radiusKm;
  for (const f of boundaries.features) {
    const code = String(f.properties.code ?? '');
    const rings = outerAndInnerRings(f.geometry);
    const hit = rings.some((ring) => {
      const xy = ring.map((p) => plane.toXy(p));
      if (inRing(xy, [0, 0])) return true;
      for (let i = 0; i < xy.length; i++) {
        if (segmentDistance2(xy[i]!, xy[(i + 1) % xy.length]!) <= r2) return true;
      }
      return false;
    });
    if (hit) out.add(code);
  }
  return out;
}

/** Squared distance from the origin to the segment a–b. */
function segmentDistance2(a: Xy, b: Xy): number {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(a[0] * dx + a[1] * dy) / len2));
  const x = a[0] + t * dx,
    y = a[1] + t * dy;
  return x * x + y * y;
}

function outerAndInnerRings(geometry: { type: string; coordinates: unknown }): LonLat[][] {
  const polygons = (
    geometry.type === 'MultiPolygon' ? geometry.coordinates : geometry.type === 'Polygon' ? [geometry.coordinates] : []
  ) as unknown[];
  const out: LonLat[][] = [];
  for (const poly of polygons) {
    if (!Array.isArray(poly)) continue;
    // Only the outer ring decides "inside"; holes (none in Xiamen's districts) would only make this generous.
    const ring = poly[0] as unknown;
    if (Array.isArray(ring) && ring.length >= 3) out.push(ring as LonLat[]);
  }
  return out;
}

/** Where to point at something outside the map: on the extent's edge, towards it. */
export interface EdgePointer {
  position: LonLat;
  /** Screen angle to the target, degrees counter-clockwise from east (deck.gl's `getAngle`, for a glyph pointing east). */
  angleDeg: number;
}

/**
 * Where along an edge a pointer may sit, as fractions of the edge: from west to east on the top and bottom edges,
 * from south to north on the side edges. Whatever is drawn over the map's corners (legends) stays clear.
 */
export interface EdgeRange {
  horizontal: readonly [number, number];
  vertical: readonly [number, number];
}

const WHOLE_EDGE: EdgeRange = { horizontal: [0, 1], vertical: [0, 1] };

/**
 * A point on the edge of `extent`, moved in by `inset` of its half-size (out, when negative), where the line from
 * its centre towards `target` crosses it — slid along the edge into `range` — and the angle from there to the
 * target; null when the target lies within the extent. The camera fits the extent with a margin, so a point just
 * outside it is still on screen.
 */
export function edgePointer(
  extent: Bbox,
  target: LonLat,
  inset = 0.08,
  range: EdgeRange = WHOLE_EDGE,
): EdgePointer | null {
  const [w, s, e, n] = extent;
  const cx = (w + e) / 2,
    cy = (s + n) / 2;
  if (target[0] >= w && target[0] <= e && target[1] >= s && target[1] <= n) return null;
  const k = Math.cos((cy * Math.PI) / 180);
  // Work in a plane where a degree of longitude is as long as it looks on the map.
  const dx = (target[0] - cx) * k,
    dy = target[1] - cy;
  const hx = ((e - w) / 2) * k * (1 - inset),
    hy = ((n - s) / 2) * (1 - inset);
  const tx = dx === 0 ? Infinity : hx / Math.abs(dx),
    ty = dy === 0 ? Infinity : hy / Math.abs(dy);
  let x = dx * Math.min(tx, ty),
    y = dy * Math.min(tx, ty);
  const clampTo = (v: number, half: number, [lo, hi]: readonly [number, number]) =>
    Math.min(half * (2 * hi - 1), Math.max(half * (2 * lo - 1), v));
  if (ty <= tx)
    x = clampTo(x, hx, range.horizontal); // on the top or bottom edge
  else y = clampTo(y, hy, range.vertical);
  return { position: [cx + x / k, cy + y], angleDeg: (Math.atan2(dy - y, dx - x) * 180) / Math.PI };
}
