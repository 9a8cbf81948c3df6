import type { Deck, Layer, MapView, Viewport } from '@deck.gl/core';
import type { MapProbe } from '../debug.ts';

/**
 * The last frame drawn: its layers, the ids of those that had loaded all they show when it was drawn, and what each
 * view framed.
 */
export interface DrawnLayers {
  layers: Layer[];
  loaded: readonly string[];
  viewports: Viewport[];
}

/**
 * What the map lets tests and support ask of its one Deck (the debug hook's `map`): its layers as handed over and as
 * last drawn, a pick, a projection, its views and where its canvas is. Read-only; nothing here changes the map.
 */
export function mapProbe(deck: Deck<MapView[]>, element: HTMLElement, drawn: () => DrawnLayers): MapProbe {
  const describe = (layers: Layer[], loaded: (l: Layer) => boolean) =>
    layers.map((l) => ({
      id: l.id,
      length: rows(l.props.data),
      visible: l.props.visible !== false,
      loaded: loaded(l),
    }));
  return {
    layers: () => describe(deck.props.layers as Layer[], (l) => l.isLoaded),
    drawnLayers: () => {
      const { layers, loaded } = drawn();
      return describe(layers, (l) => loaded.includes(l.id));
    },
    pick: (x, y, layerIds) => {
      const info = deck.pickObject({ x, y, radius: 6, ...(layerIds ? { layerIds } : {}) });
      if (!info?.layer) return null;
      const id = (info.object as { id?: unknown } | null)?.id;
      return { layer: info.layer.id, index: info.index, id: typeof id === 'string' ? id : null };
    },
    project: (lon, lat) => {
      const [x = 0, y = 0] =
        deck
          .getViewports()
          .find((v) => v.id === 'map')
          ?.project([lon, lat]) ?? [];
      return [x, y];
    },
    views: () =>
      deck
        .getViewports()
        .map((v) => ({ id: v.id, x: v.x, y: v.y, width: v.width, height: v.height, bounds: v.getBounds() })),
    drawnViews: () => drawn().viewports.map((v) => ({ id: v.id, bounds: v.getBounds() })),
    canvasBox: () => {
      const r = element.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
  };
}

/** A layer's rows: an array's length, a typed-array table's `length`, a GeoJSON collection's features. */
function rows(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (data && typeof data === 'object' && 'length' in data && typeof data.length === 'number') return data.length;
  if (data && typeof data === 'object' && 'features' in data && Array.isArray(data.features))
    return data.features.length;
  return 0;
}
