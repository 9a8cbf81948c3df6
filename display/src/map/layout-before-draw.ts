import type { Deck, Layer, LayerManager, Viewport } from '@deck.gl/core';
import { mainViewportOf } from './main-viewport.ts';
import { inView, OVERVIEW_VIEW_ID } from './overview.ts';

/**
 * deck.gl lays a composite layer out for a new viewport only on the frame after it has drawn with it (its
 * `Layer.activateViewport`: "we cannot change the layers list during a draw cycle"). The map's composite layers that
 * follow the view — the decluttered names, the zoom-dependent detail, the unit cells — thus made every change of
 * view or canvas size cost two draws, the first with the last view's layout: a flash of names in the wrong places,
 * and on software GL a second or more of a blocked page each at 4K (measured at a wall's start: four draws, two of
 * them this second one). Called just before a draw (deck.gl's `onBeforeRender`), this activates the main view's
 * viewport on the root composite layers and updates those it changes, so the draw shows them laid out for its view;
 * the redraw they asked for is then already done.
 *
 * Layers drawn in the overview as well are left to deck.gl: activated with either view they would be laid out for
 * the other.
 */
export function layOutBeforeDraw(deck: Deck): void {
  // deck.gl keeps its layer manager protected; the map drives this one Deck for its whole life.
  const manager = (deck as unknown as { layerManager: LayerManager | null }).layerManager;
  const main = mainViewportOf(deck.getViewports());
  if (!manager || !main) return;
  // What the layers read while they update (and the sublayers they make) is the main view, as in deck.gl's own
  // layers pass, not whichever view the last draw left active (the overview, while a 推屏 shows one).
  manager.activateViewport(main);
  for (const layer of manager.getLayers() as Layer[]) {
    if (layer.parent || !layer.isComposite || !layer.props.visible) continue;
    if (!inView(layer.id, main.id) || inView(layer.id, OVERVIEW_VIEW_ID)) continue;
    layer.activateViewport(main);
  }
  if (!manager.needsUpdate()) return;
  manager.updateLayers();
  // Drawn now, with everything handed over until this moment: what asked for a redraw so far is in this draw.
  manager.needsRedraw({ clearRedrawFlags: true });
}

/**
 * Whether a draw of `layers` in `main` showed one laid out for another view: a layer that follows the view keeps the
 * viewport it last laid out for in its state (`laidOutFor`). For the debug hook's `staleLayouts`.
 */
export function drawnInOtherView(layers: readonly Layer[], main: Viewport | undefined): boolean {
  if (!main) return false;
  return layers.some((layer) => {
    const laidOutFor = (layer.state as { laidOutFor?: Viewport } | null)?.laidOutFor;
    return laidOutFor !== undefined && layer.props.visible && !laidOutFor.equals(main);
  });
}
