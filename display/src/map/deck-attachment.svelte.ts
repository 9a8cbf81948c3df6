import { Deck, MapView, type Layer, type MapViewState } from '@deck.gl/core';
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import { debugCounters, registerMapProbe } from '../debug.ts';
import type { MapCamera } from './map-camera.svelte.ts';
import { fitCity, panBy, viewBounds, ZOOM_OUT_BELOW_CITY, zoomAround, type Bbox } from './view.ts';

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
  /**
   * A camera the user moves (the console): the wheel zooms around the pointer, a drag pans, a double click zooms
   * in; the map reports what it shows back into it. Without one the map frames `bbox` and takes no gestures (the
   * wall). Read once.
   */
  camera?: () => MapCamera | undefined;
}

/** A drag shorter than this (pixels) is still a click. */
const CLICK_SLOP_PX = 5;
/** Zoom levels per pixel of wheel travel (a mouse notch is ~100 px: half a level). */
const WHEEL_ZOOM_PER_PX = 0.005;

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
    const camera = untrack(() => options.camera?.());
    const fitted = (): MapViewState => fitCity(options.bbox(), element.clientWidth, element.clientHeight, options.padding());
    const view = (): MapViewState => camera?.view ?? fitted();
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
      const v = view();
      deck.setProps({ viewState: v });
      if (camera) untrack(() => (camera.bounds = viewBounds(v, element.clientWidth, element.clientHeight)));
    });
    $effect(() => {
      deck.setProps({ useDevicePixels: options.pixelRatio() });
    });

    const resize = new ResizeObserver(() => {
      const v = untrack(view);
      deck.setProps({ viewState: v });
      if (camera) camera.bounds = viewBounds(v, element.clientWidth, element.clientHeight);
    });
    resize.observe(element);

    /** A pointer position in the element's own (unscaled) pixels: the stage may be scaled to fit the window. */
    const local = (e: MouseEvent): [number, number] => {
      const r = element.getBoundingClientRect();
      return [((e.clientX - r.left) * element.clientWidth) / Math.max(1, r.width), ((e.clientY - r.top) * element.clientHeight) / Math.max(1, r.height)];
    };
    let drag: { from: [number, number]; view: MapViewState; moved: boolean } | null = null;
    /** The click that ends a drag is not a pick. */
    let swallowClick = false;
    const gestures = camera && {
      wheel: (e: WheelEvent) => {
        e.preventDefault();
        const px = e.deltaY * (e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? element.clientHeight : 1);
        const dz = Math.max(-1, Math.min(1, -px * WHEEL_ZOOM_PER_PX));
        camera.view = zoomAround(untrack(view), element.clientWidth, element.clientHeight, local(e), dz, untrack(fitted).zoom - ZOOM_OUT_BELOW_CITY);
      },
      pointerdown: (e: PointerEvent) => {
        if (e.button !== 0) return;
        drag = { from: local(e), view: untrack(view), moved: false };
      },
      pointermove: (e: PointerEvent) => {
        if (!drag || (e.buttons & 1) === 0) return;
        const [x, y] = local(e);
        const dx = x - drag.from[0], dy = y - drag.from[1];
        if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP_PX) return;
        if (!drag.moved) element.setPointerCapture(e.pointerId);
        drag.moved = true;
        camera.view = panBy(drag.view, element.clientWidth, element.clientHeight, dx, dy);
      },
      pointerup: () => {
        swallowClick = drag?.moved ?? false;
        drag = null;
      },
      dblclick: (e: MouseEvent) => {
        camera.view = zoomAround(untrack(view), element.clientWidth, element.clientHeight, local(e), 1, untrack(fitted).zoom - ZOOM_OUT_BELOW_CITY);
      },
    };
    if (gestures) {
      element.addEventListener('wheel', gestures.wheel, { passive: false });
      element.addEventListener('pointerdown', gestures.pointerdown);
      element.addEventListener('pointermove', gestures.pointermove);
      element.addEventListener('pointerup', gestures.pointerup);
      element.addEventListener('pointercancel', gestures.pointerup);
      element.addEventListener('dblclick', gestures.dblclick);
      element.style.touchAction = 'none';
    }

    // Clicks are picked here rather than through deck.gl's own events: the canvas keeps `pointerEvents: 'none'`
    // (no picking pass on every mouse move), and one explicit pick per click does not depend on a tap window.
    const pick = untrack(() => options.onPick?.());
    const onClick = pick && ((e: MouseEvent) => {
      if (swallowClick) {
        swallowClick = false;
        return;
      }
      const [x, y] = local(e);
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
      if (gestures) {
        element.removeEventListener('wheel', gestures.wheel);
        element.removeEventListener('pointerdown', gestures.pointerdown);
        element.removeEventListener('pointermove', gestures.pointermove);
        element.removeEventListener('pointerup', gestures.pointerup);
        element.removeEventListener('pointercancel', gestures.pointerup);
        element.removeEventListener('dblclick', gestures.dblclick);
      }
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
