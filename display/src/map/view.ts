import { WebMercatorViewport, type MapViewState } from '@deck.gl/core';

/** [minLon, minLat, maxLon, maxLat] */
export type Bbox = readonly [number, number, number, number];

/**
 * The camera that shows the whole city in a canvas of the given size (pure math: no GPU, testable in Node).
 * The wall has no base tiles and no interaction: the city fills the map area, north up.
 */
export function fitCity(bbox: Bbox, width: number, height: number, padding: number): MapViewState {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const pad = Math.max(0, Math.min(padding, Math.floor(Math.min(w, h) / 2) - 1));
  const { longitude, latitude, zoom } = new WebMercatorViewport({ width: w, height: h }).fitBounds(
    [[bbox[0], bbox[1]], [bbox[2], bbox[3]]],
    { padding: pad },
  );
  return { longitude, latitude, zoom, pitch: 0, bearing: 0 };
}
