import { Deck, MapView, type DeckProps, type Layer, type MapViewState } from '@deck.gl/core';
import type { LonLat } from '@egret/protocol';
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import { debugCounters, registerMapProbe } from '../debug.ts';
import { THEME } from '../theme.ts';
import type { MapCamera } from './map-camera.svelte.ts';
import { inView, OVERVIEW_VIEW_ID, type OverviewInset } from './overview.ts';
import { namesClearOfOverview, type NamesUnderOverview } from './names-clear-of-overview.ts';
import { DeckStandIn, mapCanvasOff } from './no-canvas.ts';
import { DrawPacer, FAST_DRAW_MS } from './draw-pacer.ts';
import { framesForcedEvery, IdleFrames } from './idle-frames.ts';
import { DrawHold, holdFirstDraw, type HeldDeck } from './draw-hold.ts';
import { mapProbe, type DrawnLayers } from './map-probe.ts';
import { probeRenderer } from './gl-renderer.ts';
import { msaaDeviceProps, msaaWanted } from './msaa.ts';
import { fitClearOf, type EdgeBox } from './fit-clear.ts';
import { FULL_RESOLUTION, nextResolution, resolutionForcedFull, resolutionScale } from './resolution.ts';
import { attachGestures, localPoint } from './map-gestures.ts';
import { fitCity, viewBounds, type Bbox } from './view.ts';
import { mapFailureOf, type MapFailure } from './map-failure.ts';
import { drawnInOtherView, layOutBeforeDraw } from './layout-before-draw.ts';
import { mainViewportOf } from './main-viewport.ts';

/** What the fitted city keeps clear of: boxes anchored to the canvas's edges, and the points that must avoid them. */
export interface ClearOf {
  outline: readonly LonLat[];
  boxes: readonly EdgeBox[];
}

export interface DeckMapOptions {
  /** The layers to draw: read inside an effect, so the Deck follows them. */
  layers: () => Layer[];
  /** The city's extent: the camera fits it to the canvas. */
  bbox: () => Bbox;
  /** Space kept free around the city, in pixels. */
  padding: () => number;
  /**
   * Boxes over the canvas (the wall's legends) that the fitted city is kept out from under, and the city's outline
   * that must clear them (./fit-clear.ts); null: the plain fit. Followed like the bbox.
   */
  clearOf?: () => ClearOf | null;
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
  /**
   * The overview (鹰眼) in a corner, or null: a second view framing the whole city, drawing the given layers
   * with the main map's frame; followed like the layers.
   */
  overview?: () => Overview | null;
  /**
   * Told whenever the map is ready to draw and holds no new picture (./draw-pacer.ts `onReady`): a source that
   * coalesces (the live units) hands its latest picture then. Read once.
   */
  onReady?: () => (() => void) | undefined;
  /**
   * What the user asked the map for, answered (the replay: a seek's parts as they come in): a new value is drawn
   * without a pause (./draw-pacer.ts `hurry`), as a click's own picture is. Followed like the layers.
   */
  answered?: () => unknown;
  /** Told once when the map cannot draw at all (./map-failure.ts). Read once. */
  onFailure?: () => ((failure: MapFailure) => void) | undefined;
  /**
   * True while the screen has no state to show yet (a live screen before its snapshot): the map draws nothing until it
   * turns false, or for at most `FIRST_DRAW_HOLD_MS` once it could (./draw-hold.ts). Followed; read from the start.
   */
  holdFirstDraw?: () => boolean;
}

export interface Overview {
  inset: OverviewInset;
  /** The overview's own layers, outlining `frame`: what the main map shows. */
  layers: (frame: Bbox) => Layer[];
  /** A main-map layer of names whose names under the overview are left out (./names-clear-of-overview.ts). */
  hides?: NamesUnderOverview;
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
    const camera = untrack(() => options.camera?.());
    // The element's size, followed: the camera fits the city to it and the overview sits in its corner.
    const size = $state({ width: element.clientWidth, height: element.clientHeight });
    const fitted = (): MapViewState => {
      const clear = options.clearOf?.();
      return clear
        ? fitClearOf(clear.outline, options.bbox(), size.width, size.height, options.padding(), clear.boxes)
        : fitCity(options.bbox(), size.width, size.height, options.padding());
    };
    const view = (): MapViewState => camera?.view ?? fitted();
    const mainView = new MapView({ id: 'map', repeat: false });
    const standIn = mapCanvasOff();
    /**
     * While draws are slow (software GL) the map draws at a fraction of its device pixels (./resolution.ts); the new
     * resolution rides with the next picture, so a change costs no extra draw. `?resolution=full`: never lowered.
     */
    const adaptive = !resolutionForcedFull(location.search);
    let resolution = FULL_RESOLUTION;
    const devicePixels = () => options.pixelRatio() * resolutionScale(resolution);
    /**
     * deck.gl's loop looks for a draw only when woken while draws are slow (./idle-frames.ts); woken on each change.
     * `?frames=every`: at every frame, as deck.gl by itself (the first draw's hold aside).
     */
    const everyFrame = framesForcedEvery(location.search);
    const frames = new IdleFrames(() => !everyFrame && pacer.lastCostMs >= FAST_DRAW_MS);
    // The first draw waits for the screen's first state (./draw-hold.ts); read untracked here, followed below.
    const draws = new DrawHold(() => frames.wake());
    const firstDraw = untrack(() =>
      holdFirstDraw(
        draws,
        () => options.holdFirstDraw?.() ?? false,
        (end) => {
          debugCounters.firstDrawHold = end;
          debugCounters.firstDrawHeldUntil = performance.now();
        },
      ),
    );
    $effect(() => {
      options.holdFirstDraw?.();
      firstDraw.check();
    });
    const setDeckProps = (props: DeckProps<MapView[]>) => {
      deck.setProps(props);
      frames.wake();
    };
    /** New layers reach the Deck no faster than its draws allow (./draw-pacer.ts); the camera is not paced. */
    const pacer = new DrawPacer<Layer[]>(
      (layers) => {
        setDeckProps({ layers, useDevicePixels: untrack(devicePixels) });
        // The stand-in draws nothing: its "draw" is over as soon as it holds the layers.
        if (standIn) {
          pacer.drawStarted();
          pacer.drawFinished();
        }
      },
      undefined,
      untrack(() => options.onReady?.()),
    );
    if (adaptive) {
      pacer.onDrawCost = (costMs, now) => {
        resolution = nextResolution(resolution, costMs, now);
        debugCounters.resolution = resolutionScale(resolution);
      };
    }
    /**
     * The last frame drawn (the debug hook tells its layers apart from those handed over): which layers had loaded all
     * they show (a base map's tiles: loaded after a draw, they show at the next), and what the views framed.
     */
    let drawn: DrawnLayers = { layers: [], loaded: [], viewports: [] };
    const onFailure = untrack(() => options.onFailure?.());
    let deviceReady = false;
    let failed = false;
    /** Set when the attachment ends: a context given up then is not a failure. */
    let ended = false;
    const fail = (failure: MapFailure) => {
      if (failed || ended) return;
      failed = true;
      onFailure?.(failure);
    };
    const deck: Deck<MapView[]> = untrack(() => {
      debugCounters.deckCount++;
      const props: DeckProps<MapView[]> = {
        views: [mainView],
        viewState: { map: untrack(view) },
        controller: false,
        layers: [],
        // Each view draws its own layers (the overview's are small copies of the map's); called per root layer.
        layerFilter: ({ layer, viewport }) => inView(layer.id, viewport.id),
        useDevicePixels: untrack(devicePixels),
        onBeforeRender: () => {
          pacer.drawStarted();
          layOutBeforeDraw(deck as unknown as Deck);
        },
        onAfterRender: () => {
          debugCounters.redraws++;
          const layers = deck.props.layers as Layer[];
          if (drawnInOtherView(layers, mainViewportOf(deck.getViewports()))) debugCounters.staleLayouts++;
          drawn = {
            layers,
            loaded: layers.filter((l) => l.isLoaded).map((l) => l.id),
            // The viewports themselves (immutable): their bounds are worked out only when the debug hook asks.
            viewports: deck.getViewports(),
          };
          // On software GL the page blocks after the draw call, until the frame is out: the next animation frame
          // is when it is free again.
          requestAnimationFrame(() => {
            pacer.drawFinished();
            debugCounters.drawMs = Math.round(pacer.lastCostMs);
          });
        },
        // deck.gl 9 does not report a lost context (its handler is never wired): the device's own promise does.
        onDeviceInitialized: (device) => {
          deviceReady = true;
          firstDraw.start();
          void device.lost.then(() => fail('context-lost'));
        },
        onError: (error: Error, layer?: unknown) => {
          const failure = mapFailureOf(error, layer !== undefined && layer !== null, deviceReady);
          if (failure) fail(failure);
          else console.error(error);
        },
        // A wall is read, not clicked: no pointer events means no picking pass on every mouse move.
        style: { pointerEvents: 'none' },
        // luma.gl's loop takes it from the Deck's props (experimental in 9.4, not in DeckProps' type).
        ...({ animationFrameProvider: frames } as object),
        _customRender: draws.customRender,
      };
      // `?map=off`, a test hook (./no-canvas.ts): the same props and viewports, no WebGL, nothing drawn.
      return standIn
        ? (new DeckStandIn(element, props) as unknown as Deck<MapView[]>)
        : new Deck<MapView[]>({
            parent: element,
            ...props,
            ...msaaDeviceProps(msaaWanted(location.search, probeRenderer())),
          });
    });
    // deck.gl keeps its layer manager to itself in its types; the hold flags a redraw through it (./draw-hold.ts).
    draws.attach(deck as unknown as HeldDeck);
    // The stand-in has no device: it could "draw" from the start.
    if (standIn) firstDraw.start();

    const overview = $derived(options.overview?.() ?? null);
    /** The overview's view, re-made only when its place changes (deck.gl compares views by their props). */
    const overviewView = $derived.by(() => {
      const o = overview?.inset;
      if (!o) return null;
      return new MapView({
        id: OVERVIEW_VIEW_ID,
        repeat: false,
        x: o.left,
        y: size.height - o.bottom - o.height,
        width: o.width,
        height: o.height,
        clear: true,
        clearColor: [...THEME.overview.sea],
      });
    });

    const shown = $derived(view());
    /** What the main map shows: the console's camera reports it, the overview outlines it. */
    const frame = $derived(viewBounds(shown, size.width, size.height));
    /** The ids of the layers last shown, to tell a change of what is shown from new data. */
    let lastShape: string | null = null;
    let lastShown: MapViewState | null = null;
    $effect(() => {
      const o = overview;
      // A new view (推屏, its release, the console's camera) is drawn at once, with what it brings.
      if (lastShown !== null && shown !== lastShown) pacer.hurry(0);
      lastShown = shown;
      setDeckProps({
        views: overviewView ? [mainView, overviewView] : [mainView],
        viewState: o
          ? { map: shown, [OVERVIEW_VIEW_ID]: fitCity(o.inset.city, o.inset.width, o.inset.height, 8) }
          : { map: shown },
      });
      if (camera) untrack(() => (camera.bounds = frame));
    });
    const clearOfOverview = namesClearOfOverview();
    const withoutNamesUnder = (layers: Layer[], o: Overview): Layer[] =>
      o.hides ? clearOfOverview(layers, o.hides, o.inset, shown, size) : layers;
    let lastAnswered: unknown = undefined;
    $effect(() => {
      const layers = options.layers();
      const answered = options.answered?.();
      if (answered !== lastAnswered) {
        if (lastAnswered !== undefined) pacer.hurry(0);
        lastAnswered = answered;
      }
      // Other layers shown (a mode switch, a console's layer switch) is a commander's doing, not a position frame's:
      // the next picture is drawn without a pause.
      const shape = shownLayerIds(layers);
      if (shape !== lastShape) {
        if (lastShape !== null) pacer.hurry(0);
        lastShape = shape;
      }
      pacer.submit(overview ? [...withoutNamesUnder(layers, overview), ...overview.layers(frame)] : layers);
    });
    $effect(() => {
      const ratio = options.pixelRatio();
      setDeckProps({ useDevicePixels: ratio * untrack(() => resolutionScale(resolution)) });
    });

    // A user's click, key or wheel anywhere on the page: what it changes on the map is drawn without a pause.
    const hurry = () => pacer.hurry();
    const userInputs = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const type of userInputs) document.addEventListener(type, hurry, { capture: true, passive: true });

    const resize = new ResizeObserver(() => {
      size.width = element.clientWidth;
      size.height = element.clientHeight;
    });
    resize.observe(element);

    const gestures = camera ? attachGestures(element, camera, view, fitted) : null;

    // Clicks are picked here rather than through deck.gl's own events: the canvas keeps `pointerEvents: 'none'`
    // (no picking pass on every mouse move), and one explicit pick per click does not depend on a tap window.
    const pick = untrack(() => options.onPick?.());
    const onClick =
      pick &&
      ((e: MouseEvent) => {
        if (gestures?.takeDragClick()) return;
        const [x, y] = localPoint(element, e);
        const info = deck.pickObject({ x, y, radius: pick.radius, layerIds: pick.layerIds });
        pick.handler(info?.layer ? { layer: info.layer.id, index: info.index, object: info.object } : null);
      });
    if (onClick) {
      element.addEventListener('click', onClick);
      element.style.cursor = 'pointer';
    }

    registerMapProbe(mapProbe(deck, element, () => drawn));

    return () => {
      ended = true;
      firstDraw.cancel();
      if (onClick) element.removeEventListener('click', onClick);
      gestures?.detach();
      registerMapProbe(null);
      for (const type of userInputs) document.removeEventListener(type, hurry, { capture: true });
      pacer.dispose();
      resize.disconnect();
      deck.finalize();
    };
  };
}

/** The ids of the layers drawn (visible), in order: what a mode or a layer switch changes and a position frame does not. */
function shownLayerIds(layers: readonly Layer[]): string {
  return layers
    .filter((l) => l.props.visible !== false)
    .map((l) => l.id)
    .join(' ');
}
