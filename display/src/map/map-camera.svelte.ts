import type { MapViewState } from '@deck.gl/core';
import type { Bbox } from './view.ts';

/**
 * The console's own camera: where the commander has zoomed and dragged the map to (null: the whole city, framed
 * as the wall frames it). The map writes `bounds` whenever what it shows changes, so the console can put exactly
 * that view on the walls (推屏).
 */
export class MapCamera {
  view = $state.raw<MapViewState | null>(null);
  /** What the canvas shows now, [west, south, east, north]; null until the map has drawn. */
  bounds = $state.raw<Bbox | null>(null);

  /** Back to the whole city. */
  reset(): void {
    this.view = null;
  }
}
