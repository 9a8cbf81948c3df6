/**
 * Web Mercator in deck.gl's common space: the 512-unit world at zoom 0, y growing southwards as screen y does. A
 * screen pixel at world scale `s` (deck.gl's `viewport.scale`, 2^zoom) is 1/s of a unit.
 */

/** Web Mercator x of a longitude, in the 512-unit world. */
export function mercatorX(lon: number): number {
  return ((lon + 180) / 360) * 512;
}

/** Web Mercator y of a latitude, in the 512-unit world. */
export function mercatorY(lat: number): number {
  const phi = (lat * Math.PI) / 180;
  return (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * 512;
}

/** The longitude of a Web Mercator x of the 512-unit world. */
export function lonOfMercatorX(x: number): number {
  return (x / 512) * 360 - 180;
}

/** The latitude of a Web Mercator y of the 512-unit world. */
export function latOfMercatorY(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 512))) * 180) / Math.PI;
}
