import { Deck, MapView, type Layer, type MapViewState } from '@deck.gl/core';
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import { debugCounters, registerMapProbe } from '../debug.ts';
import { fitCity, type Bbox } from './view.ts';

export interface DeckMapOptions {
  /** The layers to draw: read inside an effect, so the Deck follows them. */
  layers: () => Layer[];
  /** The city's extent: the camera fits it to the canvas. */
  bbox: () => Bbox;
  /** Space kept free around the city, in pixels. */
  padding: () => number;
  /**
   * Drawing-buffer pixels per CSS pixel. A stage scaled down to preview the 4K wall on a laptop needs far fewer
   * than the device ratio: rendering 4K worth of pixels to show them at 40% wastes the GPU.
   */
  pixelRatio: () => number;
  /**
   * Clicks on the map (the console; the wall takes none): the topmost object of `layerIds` within `radius` pixels
   * of the click, or null. Read once, when the Deck is created.
   */
  onPick?: () => MapPick | undefined;
}

/** What a click on the map found. */
export interface MapHit {
  layer: string;
  index: number;
  object: unknown;
}

export interface MapPick {
  layerIds: string[];
  /** Generous: a commander clicks a small ring on a busy map. */
  radius: number;
  handler: (hit: MapHit | null) => void;
}

/**
 * Attaches one Deck to an element for the element's whole life. deck.gl 9 leaks GPU contexts when a Deck is
 * re-created, so the Deck is created exactly once (untracked: no reactive read can re-run the attachment) and only
 * its props follow state: layers through an effect, the camera through a ResizeObserver.
 */
export function deckMap(options: DeckMapOptions): Attachment<HTMLDivElement> {
  return (element) => {
    const view = (): MapViewState => fitCity(options.bbox(), element.clientWidth, element.clientHeight, options.padding());
    const deck = untrack(() => {
      debugCounters.deckCount++;
      return new Deck({
        parent: element,
        views: new MapView({ id: 'map', repeat: false }),
        viewState: untrack(view),
        controller: false,
        layers: [],
        useDevicePixels: untrack(options.pixelRatio),
        // A wall is read, not clicked: no pointer events means no picking pass on every mouse move.
        style: { pointerEvents: 'none' },
      });
    });

    $effect(() => {
      deck.setProps({ layers: options.layers() });
    });
    $effect(() => {
      deck.setProps({ viewState: view() });
    });
    $effect(() => {
      deck.setProps({ useDevicePixels: options.pixelRatio() });
    });

    const resize = new ResizeObserver(() => deck.setProps({ viewState: view() }));
    resize.observe(element);

    // Clicks are picked here rather than through deck.gl's own events: the canvas keeps `pointerEvents: 'none'`
    // (no picking pass on every mouse move), and one explicit pick per click does not depend on a tap window.
    const pick = untrack(() => options.onPick?.());
    const onClick = pick && ((e: MouseEvent) => {
      const r = element.getBoundingClientRect();
      // The stage may be scaled to fit the window: deck.gl works in the element's own (unscaled) pixels.
      const x = ((e.clientX - r.left) * element.clientWidth) / Math.max(1, r.width);
      const y = ((e.clientY - r.top) * element.clientHeight) / Math.max(1, r.height);
      const info = deck.pickObject({ x, y, radius: pick.radius, layerIds: pick.layerIds });
      pick.handler(info?.layer ? { layer: info.layer.id, index: info.index, object: info.object } : null);
    });
    if (onClick) {
      element.addEventListener('click', onClick);
      element.style.cursor = 'pointer';
    }

    registerMapProbe({
      layers: () =>
        (deck.props.layers as Layer[]).map((l) => ({ id: l.id, length: rows(l.props.data), visible: l.props.visible !== false })),
      pick: (x, y) => {
        const info = deck.pickObject({ x, y, radius: 6 });
        return info?.layer ? { layer: info.layer.id, index: info.index } : null;
      },
      project: (lon, lat) => {
        const [x = 0, y = 0] = deck.getViewports()[0]?.project([lon, lat]) ?? [];
        return [x, y];
      },
      canvasBox: () => {
        const r = element.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      },
    });

    return () => {
      if (onClick) element.removeEventListener('click', onClick);
      registerMapProbe(null);
      resize.disconnect();
      deck.finalize();
    };
  };
}

function rows(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (data && typeof data === 'object' && 'length' in data && typeof data.length === 'number') return data.length;
  if (data && typeof data === 'object' && 'features' in data && Array.isArray(data.features)) return data.features.length;
  return 0;
}
