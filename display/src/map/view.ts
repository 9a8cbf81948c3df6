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
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    { padding: pad },
  );
  return { longitude, latitude, zoom, pitch: 0, bearing: 0 };
}

/** How far a commander can zoom in (a street corner) and out (the city and some sea) on the console's map. */
export const MAX_ZOOM = 18;
export const ZOOM_OUT_BELOW_CITY = 1;

const viewport = (view: MapViewState, width: number, height: number) =>
  new WebMercatorViewport({
    width: Math.max(1, width),
    height: Math.max(1, height),
    longitude: view.longitude,
    latitude: view.latitude,
    zoom: view.zoom,
  });

/** The camera zoomed by `dz` levels (positive: in) keeping the map point under pixel `at` where it was. */
export function zoomAround(
  view: MapViewState,
  width: number,
  height: number,
  at: readonly [number, number],
  dz: number,
  minZoom: number,
): MapViewState {
  const zoom = Math.max(minZoom, Math.min(MAX_ZOOM, view.zoom + dz));
  const anchor = viewport(view, width, height).unproject([at[0], at[1]]);
  const zoomed = viewport({ ...view, zoom }, width, height);
  const { longitude, latitude } = zoomed.panByPosition(anchor, [at[0], at[1]]) as {
    longitude: number;
    latitude: number;
  };
  return { ...view, longitude, latitude, zoom };
}

/** The camera moved so that the map follows a drag of (dx, dy) pixels. */
export function panBy(view: MapViewState, width: number, height: number, dx: number, dy: number): MapViewState {
  const vp = viewport(view, width, height);
  const [longitude = view.longitude, latitude = view.latitude] = vp.unproject([vp.width / 2 - dx, vp.height / 2 - dy]);
  return { ...view, longitude, latitude };
}

/** What a camera shows in a canvas of this size, as an extent (north up, so its corners are the bounds). */
export function viewBounds(view: MapViewState, width: number, height: number): Bbox {
  return viewport(view, width, height).getBounds();
}
