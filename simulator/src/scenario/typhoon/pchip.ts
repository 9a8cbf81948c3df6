/**
 * Monotone piecewise-cubic Hermite interpolation (Fritsch–Carlson, as in SciPy's PchipInterpolator): passes through
 * every keyframe, is smooth (C¹), and never overshoots — a storm's pressure is never lower between two best-track
 * points than at both of them, which a plain cubic spline would allow.
 */
export interface Pchip {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly slopes: readonly number[];
}

export function pchip(xs: readonly number[], ys: readonly number[]): Pchip {
  const n = xs.length;
  if (n < 2 || ys.length !== n) throw new RangeError('pchip needs at least two points and as many ys as xs');
  for (let i = 1; i < n; i++) if (!(xs[i]! > xs[i - 1]!)) throw new RangeError('pchip xs must increase strictly');
  const h: number[] = [];
  const delta: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    h.push(xs[i + 1]! - xs[i]!);
    delta.push((ys[i + 1]! - ys[i]!) / h[i]!);
  }
  const slopes = new Array<number>(n).fill(0);
  if (n === 2) {
    slopes[0] = slopes[1] = delta[0]!;
    return { xs, ys, slopes };
  }
  for (let k = 1; k < n - 1; k++) {
    const d0 = delta[k - 1]!,
      d1 = delta[k]!;
    if (d0 * d1 <= 0) continue; // a local extremum: flat there, so no overshoot
    const w1 = 2 * h[k]! + h[k - 1]!,
      w2 = h[k]! + 2 * h[k - 1]!;
    slopes[k] = (w1 + w2) / (w1 / d0 + w2 / d1);
  }
  slopes[0] = endSlope(h[0]!, h[1]!, delta[0]!, delta[1]!);
  slopes[n - 1] = endSlope(h[n - 2]!, h[n - 3]!, delta[n - 2]!, delta[n - 3]!);
  return { xs, ys, slopes };
}

/** One-sided three-point slope, limited so the end interval stays monotone. */
function endSlope(h0: number, h1: number, d0: number, d1: number): number {
  const d = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
  if (Math.sign(d) !== Math.sign(d0)) return 0;
  if (Math.sign(d0) !== Math.sign(d1) && Math.abs(d) > Math.abs(3 * d0)) return 3 * d0;
  return d;
}

/** Index i of the interval [xs[i], xs[i+1]] holding x (clamped to the ends). */
function interval(xs: readonly number[], x: number): number {
  let lo = 0,
    hi = xs.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Value at x; outside the keyframes it holds the end value (a storm does not extrapolate). */
export function pchipAt(p: Pchip, x: number): number {
  const { xs, ys, slopes } = p;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[xs.length - 1]!) return ys[ys.length - 1]!;
  const i = interval(xs, x);
  const h = xs[i + 1]! - xs[i]!;
  const t = (x - xs[i]!) / h;
  const t2 = t * t,
    t3 = t2 * t;
  return (
    (2 * t3 - 3 * t2 + 1) * ys[i]! +
    (t3 - 2 * t2 + t) * h * slopes[i]! +
    (-2 * t3 + 3 * t2) * ys[i + 1]! +
    (t3 - t2) * h * slopes[i + 1]!
  );
}

/** First derivative at x (0 outside the keyframes). */
export function pchipSlopeAt(p: Pchip, x: number): number {
  const { xs, ys, slopes } = p;
  if (x < xs[0]! || x > xs[xs.length - 1]!) return 0;
  const i = interval(xs, Math.min(x, xs[xs.length - 1]!));
  const h = xs[i + 1]! - xs[i]!;
  const t = (x - xs[i]!) / h;
  const t2 = t * t;
  return (
    ((6 * t2 - 6 * t) * ys[i]! +
      (3 * t2 - 4 * t + 1) * h * slopes[i]! +
      (-6 * t2 + 6 * t) * ys[i + 1]! +
      (3 * t2 - 2 * t) * h * slopes[i + 1]!) /
    h
  );
}
