import { WebMercatorViewport, type Layer, type MapViewState } from '@deck.gl/core';
import type { LonLat } from '@egret/protocol';
import { clearOfInset, type OverviewInset } from './overview.ts';

/** A main-map layer of names (its items have a `position`), and how far a name reaches from its anchor (px, each way). */
export interface NamesUnderOverview {
  layerId: string;
  reach: readonly [number, number];
}

/**
 * The names layer's names under the overview left out (./overview.ts `clearOfInset`), worked out again only when the
 * names, the view, the canvas or the overview change — not on every position frame — and the same array meanwhile,
 * so deck.gl lays out no text again. One per map: it keeps the last answer.
 */
export function namesClearOfOverview(): (
  layers: Layer[],
  hides: NamesUnderOverview,
  inset: OverviewInset,
  view: MapViewState,
  size: { width: number; height: number },
) => Layer[] {
  let last: {
    from: unknown;
    view: MapViewState;
    width: number;
    height: number;
    inset: OverviewInset;
    names: readonly { position: LonLat }[];
  } | null = null;
  return (layers, hides, inset, view, { width, height }) =>
    layers.map((layer) => {
      if (layer.id !== hides.layerId) return layer;
      const from = layer.props.data;
      const same =
        last &&
        last.from === from &&
        last.view === view &&
        last.width === width &&
        last.height === height &&
        last.inset === inset;
      if (!same) {
        const vp = new WebMercatorViewport({ ...view, width: Math.max(1, width), height: Math.max(1, height) });
        const project = (p: LonLat) => vp.project([p[0], p[1]]) as [number, number];
        const names = clearOfInset(from as readonly { position: LonLat }[], project, inset, height, hides.reach);
        last = { from, view, width, height, inset, names };
      }
      return layer.clone({ data: last!.names });
    });
}
