import { describe, expect, it } from 'vitest';
import { HEAT_COLOURS } from './layers/heat.ts';
import type { HeatBins } from './heat-bins.ts';
import {
  frameServes,
  HEAT_KERNEL_REACH,
  HEAT_TEXELS_ACROSS,
  heatFrame,
  heatKernel,
  heatOnGpu,
  heatPixels,
  heatWeights,
  rampAt,
  type HeatView,
} from './heat-image.ts';
import { mercatorX, mercatorY } from './mercator.ts';

const XIAMEN: [number, number] = [118.1, 24.48];
const SCALE = 2 ** 10;
/** A 1920×1080 view centred on Xiamen at zoom 10. */
function viewAt([lon, lat]: [number, number], scale = SCALE, w = 1920, h = 1080): HeatView {
  const x = mercatorX(lon);
  const y = mercatorY(lat);
  return { box: [x - w / 2 / scale, y - h / 2 / scale, x + w / 2 / scale, y + h / 2 / scale], scale };
}
function binsOf(points: { at: [number, number]; w: number }[]): HeatBins {
  return {
    length: points.length,
    positions: Float32Array.from(points.flatMap((p) => p.at)),
    weights: Float32Array.from(points.map((p) => p.w)),
    points: points.length,
  };
}
const LOOK = { intensity: 1.5, threshold: 0.03, colours: HEAT_COLOURS };

describe(heatFrame.name, () => {
  it('covers the view and a margin, its longer side at the set number of texels, corners in degrees', () => {
    const view = viewAt(XIAMEN);
    const frame = heatFrame(view, 75);
    expect(frameServes(frame, view)).toBe(true);
    const across = (view.box[2] - view.box[0]) / frame.texel;
    expect(across).toBeCloseTo(HEAT_TEXELS_ACROSS, 6);
    expect(frame.width).toBeGreaterThan(HEAT_TEXELS_ACROSS);
    expect(frame.height).toBeLessThan(frame.width);
    const [west, south, east, north] = frame.bounds;
    expect(west).toBeLessThan(XIAMEN[0]);
    expect(east).toBeGreaterThan(XIAMEN[0]);
    expect(south).toBeLessThan(XIAMEN[1]);
    expect(north).toBeGreaterThan(XIAMEN[1]);
    expect(mercatorX(west)).toBeCloseTo(frame.x0, 9);
    expect(mercatorY(north)).toBeCloseTo(frame.y0, 9);
  });

  it('serves a small pan, not a pan past its margin nor a zoom', () => {
    const view = viewAt(XIAMEN);
    const frame = heatFrame(view, 75);
    const shift = (dx: number): HeatView => ({
      box: [view.box[0] + dx, view.box[1], view.box[2] + dx, view.box[3]],
      scale: view.scale,
    });
    const across = view.box[2] - view.box[0];
    expect(frameServes(frame, shift(across * 0.05))).toBe(true);
    expect(frameServes(frame, shift(across * 0.5))).toBe(false);
    expect(frameServes(frame, viewAt(XIAMEN, SCALE * 2, 960, 540))).toBe(false);
  });
});

describe(heatWeights.name, () => {
  it("spreads a cell's weight by deck.gl's kernel over its reach, nothing beyond", () => {
    const view = viewAt(XIAMEN);
    const radius = 75;
    const frame = heatFrame(view, radius);
    const grid = heatWeights(binsOf([{ at: XIAMEN, w: 2 }]), frame, radius);
    const fx = (mercatorX(XIAMEN[0]) - frame.x0) / frame.texel;
    const fy = (mercatorY(XIAMEN[1]) - frame.y0) / frame.texel;
    const r = radius / SCALE / frame.texel;
    // The cell's position is a float32 (as the GPU had it): within a thousandth of the kernel's peak.
    let checked = 0;
    let worst = 0;
    let strayOutside = 0;
    for (let y = 0; y < frame.height; y++)
      for (let x = 0; x < frame.width; x++) {
        const d = Math.hypot(x + 0.5 - fx, y + 0.5 - fy);
        const want = 2 * heatKernel(d / r);
        const got = grid[y * frame.width + x]!;
        if (want === 0) {
          if (got !== 0 && d > r * HEAT_KERNEL_REACH + 0.01) strayOutside++;
        } else {
          worst = Math.max(worst, Math.abs(got - want) / (2 * heatKernel(0)));
          checked++;
        }
      }
    expect(worst).toBeLessThan(1e-3);
    expect(strayOutside).toBe(0);
    // ~π (¾ r)² texels (r ≈ 20 texels at 512 across a 1920-px view of 75-px radius)
    const reach = r * HEAT_KERNEL_REACH;
    expect(checked).toBeGreaterThan(Math.PI * (reach - 1) ** 2);
    expect(checked).toBeLessThan(Math.PI * (reach + 1) ** 2);
    // What is left out is below the ramp's transparent end whatever overlaps: 5·10⁻⁵ of the peak.
    expect(heatKernel(HEAT_KERNEL_REACH) / heatKernel(0)).toBeLessThan(5e-5);
  });

  it('adds up cells that overlap, and leaves out cells beyond the frame', () => {
    const view = viewAt(XIAMEN);
    const frame = heatFrame(view, 75);
    const one = heatWeights(binsOf([{ at: XIAMEN, w: 1 }]), frame, 75);
    const two = heatWeights(
      binsOf([
        { at: XIAMEN, w: 1 },
        { at: XIAMEN, w: 3 },
        { at: [XIAMEN[0] + 40, XIAMEN[1]], w: 100 },
      ]),
      frame,
      75,
    );
    for (let i = 0; i < one.length; i += 97) expect(two[i]).toBeCloseTo(4 * one[i]!, 4);
  });
});

describe(rampAt.name, () => {
  it("samples the colours as a 1×n texture with linear filtering and clamped edges (the shader's colour texture)", () => {
    const n = HEAT_COLOURS.length;
    expect(rampAt(HEAT_COLOURS, 0)).toEqual(HEAT_COLOURS[0]);
    expect(rampAt(HEAT_COLOURS, 0.5 / n / 2)).toEqual(HEAT_COLOURS[0]);
    expect(rampAt(HEAT_COLOURS, 1)).toEqual(HEAT_COLOURS[n - 1]);
    // Texel centres give their colour; halfway between two centres, their mean.
    expect(rampAt(HEAT_COLOURS, 2.5 / n)).toEqual(HEAT_COLOURS[2]);
    const mid = rampAt(HEAT_COLOURS, 3 / n);
    for (let k = 0; k < 4; k++) expect(mid[k]).toBeCloseTo((HEAT_COLOURS[2]![k]! + HEAT_COLOURS[3]![k]!) / 2, 9);
  });
});

describe(heatPixels.name, () => {
  it("colours each texel as deck.gl's heat shader does: ramp at weight·intensity/max, alpha cut below the threshold", () => {
    const max = 10;
    const grid = Float32Array.from([0, max, max / 1.5, 0.01 * max, max * 0.2]);
    const { pixels, max: found } = heatPixels(grid, LOOK);
    expect(found).toBe(max);
    const px = (i: number) => Array.from(pixels.slice(i * 4, i * 4 + 4));
    // Nothing: transparent, in the cold colour.
    expect(px(0)).toEqual([...HEAT_COLOURS[0]!.slice(0, 3), 0]);
    // The hottest texel (factor clamped to 1): the last colour whole.
    expect(px(1)).toEqual(HEAT_COLOURS.at(-1));
    // weight · intensity / max = 1: also the last colour.
    expect(px(2)).toEqual(HEAT_COLOURS.at(-1));
    // Below the threshold (1 % of the top, threshold 3 %): its colour, alpha scaled by w·i/(max·threshold) = 0.5.
    const low = rampAt(HEAT_COLOURS, (0.01 * 1.5) as number);
    expect(px(3)[3]).toBeCloseTo(low[3] * ((0.01 * 1.5) / 0.03), -0.5);
    // In between: the ramp's colour at 0.3, whole (above the threshold).
    const at = rampAt(HEAT_COLOURS, 0.3);
    expect(px(4)).toEqual(at.map((v) => Math.round(v)));
  });

  it('is all transparent when nothing weighs', () => {
    const { pixels, max } = heatPixels(new Float32Array(16), LOOK);
    expect(max).toBe(0);
    for (let i = 3; i < pixels.length; i += 4) expect(pixels[i]).toBe(0);
  });
});

describe(heatOnGpu.name, () => {
  it('reads ?heat=gpu among the heat options, in any letter case', () => {
    expect(heatOnGpu('?heat=gpu')).toBe(true);
    expect(heatOnGpu('?heat=points,GPU')).toBe(true);
    expect(heatOnGpu('?heat=points')).toBe(false);
    expect(heatOnGpu('')).toBe(false);
  });
});
