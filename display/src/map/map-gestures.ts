import type { MapViewState } from '@deck.gl/core';
import { untrack } from 'svelte';
import type { MapCamera } from './map-camera.svelte.ts';
import { panBy, ZOOM_OUT_BELOW_CITY, zoomAround } from './view.ts';

/** A drag shorter than this (pixels) is still a click. */
const CLICK_SLOP_PX = 5;
/** Zoom levels per pixel of wheel travel (a mouse notch is ~100 px: half a level). */
const WHEEL_ZOOM_PER_PX = 0.005;

/** A pointer position in the element's own (unscaled) pixels: the stage may be scaled to fit the window. */
export function localPoint(element: HTMLElement, e: MouseEvent): [number, number] {
  const r = element.getBoundingClientRect();
  return [
    ((e.clientX - r.left) * element.clientWidth) / Math.max(1, r.width),
    ((e.clientY - r.top) * element.clientHeight) / Math.max(1, r.height),
  ];
}

export interface MapGestures {
  /** Whether the click now arriving ends a drag (not a pick); asking clears it. */
  takeDragClick(): boolean;
  detach(): void;
}

/**
 * The console's own pan and zoom on a map element: wheel and double-click zoom about the pointer (never further out
 * than a little below the fitted city), a drag beyond the click slop pans. The camera is the map's; the Deck keeps
 * `pointerEvents: 'none'` and `controller: false`.
 */
export function attachGestures(
  element: HTMLElement,
  camera: MapCamera,
  view: () => MapViewState,
  fitted: () => MapViewState,
): MapGestures {
  let drag: { from: [number, number]; view: MapViewState; moved: boolean } | null = null;
  let dragClick = false;
  const zoomAt = (e: MouseEvent, dz: number) => {
    camera.view = zoomAround(
      untrack(view),
      element.clientWidth,
      element.clientHeight,
      localPoint(element, e),
      dz,
      untrack(fitted).zoom - ZOOM_OUT_BELOW_CITY,
    );
  };
  const wheel = (e: WheelEvent) => {
    e.preventDefault();
    const px = e.deltaY * (e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? element.clientHeight : 1);
    zoomAt(e, Math.max(-1, Math.min(1, -px * WHEEL_ZOOM_PER_PX)));
  };
  const pointerdown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag = { from: localPoint(element, e), view: untrack(view), moved: false };
  };
  const pointermove = (e: PointerEvent) => {
    if (!drag || (e.buttons & 1) === 0) return;
    const [x, y] = localPoint(element, e);
    const dx = x - drag.from[0],
      dy = y - drag.from[1];
    if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP_PX) return;
    if (!drag.moved) element.setPointerCapture(e.pointerId);
    drag.moved = true;
    camera.view = panBy(drag.view, element.clientWidth, element.clientHeight, dx, dy);
  };
  const pointerup = () => {
    dragClick = drag?.moved ?? false;
    drag = null;
  };
  const dblclick = (e: MouseEvent) => zoomAt(e, 1);
  element.addEventListener('wheel', wheel, { passive: false });
  element.addEventListener('pointerdown', pointerdown);
  element.addEventListener('pointermove', pointermove);
  element.addEventListener('pointerup', pointerup);
  element.addEventListener('pointercancel', pointerup);
  element.addEventListener('dblclick', dblclick);
  element.style.touchAction = 'none';
  return {
    takeDragClick: () => {
      const was = dragClick;
      dragClick = false;
      return was;
    },
    detach: () => {
      element.removeEventListener('wheel', wheel);
      element.removeEventListener('pointerdown', pointerdown);
      element.removeEventListener('pointermove', pointermove);
      element.removeEventListener('pointerup', pointerup);
      element.removeEventListener('pointercancel', pointerup);
      element.removeEventListener('dblclick', dblclick);
    },
  };
}
