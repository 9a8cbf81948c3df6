import type { LayerContext, Viewport } from '@deck.gl/core';
import { OVERVIEW_VIEW_ID } from './overview.ts';

/** The main map's viewport among a Deck's viewports (the overview's, while one is shown, is the other). */
export function mainViewportOf(viewports: readonly Viewport[]): Viewport | undefined {
  return viewports.find((v) => v.id !== OVERVIEW_VIEW_ID);
}

/**
 * The viewport a layer that follows the main map lays itself out in: deck.gl may update layers while the overview's
 * viewport is the active one (it draws last).
 */
export function mainViewportIn(context: LayerContext): Viewport {
  const viewport = context.viewport;
  if (viewport.id !== OVERVIEW_VIEW_ID) return viewport;
  return mainViewportOf(context.deck?.getViewports() ?? []) ?? viewport;
}
