/**
 * The small map of the report screen, as pure geometry: district outlines around a centre projected into an SVG box
 * (equirectangular, scaled by cos(latitude) so a street block keeps its shape at Xiamen's latitude), and a tap in the
 * box turned back into a longitude and latitude. No tiles, no WebGL: the phone may be offline.
 */
export interface PinView {
  /** The centre of the view (WGS-84). */
  center: [number, number];
  /** Half the view's height in degrees of latitude. */
  halfSpanLat: number;
  width: number;
  height: number;
}

export function project(v: PinView, lon: number, lat: number): [number, number] {
  const k = v.height / 2 / v.halfSpanLat;
  const cos = Math.cos((v.center[1] * Math.PI) / 180);
  return [v.width / 2 + (lon - v.center[0]) * cos * k, v.height / 2 - (lat - v.center[1]) * k];
}

export function unproject(v: PinView, x: number, y: number): [number, number] {
  const k = v.height / 2 / v.halfSpanLat;
  const cos = Math.cos((v.center[1] * Math.PI) / 180);
  return [v.center[0] + (x - v.width / 2) / (cos * k), v.center[1] - (y - v.height / 2) / k];
}

type Ring = Array<[number, number]>;

/** The SVG path of the outlines' rings (Polygon and MultiPolygon geometries). */
export function outlinePath(
  v: PinView,
  features: ReadonlyArray<{ geometry: { type: string; coordinates: unknown } }>,
): string {
  const rings: Ring[] = [];
  for (const f of features) {
    if (f.geometry.type === 'Polygon') rings.push(...(f.geometry.coordinates as Ring[]));
    else if (f.geometry.type === 'MultiPolygon')
      for (const poly of f.geometry.coordinates as Ring[][]) rings.push(...poly);
  }
  return rings
    .map(
      (ring) =>
        ring
          .map(([lon, lat], i) => {
            const [x, y] = project(v, lon, lat);
            return `${i ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
          })
          .join('') + 'Z',
    )
    .join('');
}
