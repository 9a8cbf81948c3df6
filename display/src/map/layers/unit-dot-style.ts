/** How a unit's dot is drawn, one by one (./units.ts) or gathered into cells (./unit-cells-layer.ts): sized in
 * pixels, with a 2-px ring, both scaled with the screen. */
export const unitDotStyle = (scale: number) =>
  ({
    radiusUnits: 'pixels',
    radiusScale: scale,
    stroked: true,
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    lineWidthScale: scale,
  }) as const;
