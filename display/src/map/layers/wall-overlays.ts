import type { Layer } from '@deck.gl/core';
import { MapLayer, type Case } from '@egret/protocol';
import type { Rgba } from '../../theme.ts';
import { heatLayer } from './heat.ts';
import { overdueLayer } from './overdue.ts';
import { pulseLayer } from './pulse.ts';
import { trailLayer } from './trail.ts';

/** Which of the switchable layers (protocol `MapLayer`) are drawn: one flag each. */
export type LayerVisibility = Readonly<Record<MapLayer, boolean>>;

/** The flags with exactly the layers in `on` drawn. */
export function visibilityOf(on: ReadonlySet<MapLayer>): Record<MapLayer, boolean> {
  return Object.fromEntries(MapLayer.options.map((k) => [k, on.has(k)])) as Record<MapLayer, boolean>;
}

/** What the wall draws over the base map besides cases and units, and which layers are switched on. */
export interface WallOverlaysInput {
  visible: LayerVisibility;
  /** The cases the heat aggregates: today's, or the mode's subject (`heatCases`, map/heat-picture.ts). */
  today: readonly Case[];
  /** Open cases past their deadline. */
  overdue: readonly Case[];
  /** Cases that just arrived, pulsing. */
  fresh: readonly Case[];
  /** The pulse animation's phase, 0–1. */
  pulsePhase: number;
  /** The selected unit's recent track. */
  trail: { path: [number, number][]; version: number };
}

const NO_TRAIL = { path: [] as [number, number][], version: 0 };

/** The overlays of the day's heat and the overdue cases under these switches, with nothing pulsing and no trail. */
export function stillOverlays(
  visible: LayerVisibility,
  today: readonly Case[],
  overdue: readonly Case[],
): WallOverlaysInput {
  return { visible, today, overdue, fresh: [], pulsePhase: 0, trail: NO_TRAIL };
}

/** The overlays in their three places in the stack: under the cases, over the cases, under the units. */
export interface WallOverlayLayers {
  belowCases: Layer[];
  aboveCases: Layer[];
  belowUnits: Layer[];
}

/**
 * The wall's overlay layers, all present all the time (hidden with `visible: false` when switched off, so a mode
 * switch changes one prop and re-uploads nothing).
 */
export function wallOverlays(input: WallOverlaysInput, caseColor: (c: Case) => Rgba, scale = 1): WallOverlayLayers {
  const { visible } = input;
  return {
    belowCases: [heatLayer({ cases: input.today, visible: visible.heat, scale })],
    aboveCases: [
      overdueLayer({ cases: input.overdue, visible: visible.overdue, scale }),
      pulseLayer({ cases: input.fresh, phase: input.pulsePhase, visible: visible.pulse, colorOf: caseColor, scale }),
    ],
    belowUnits: [trailLayer({ ...input.trail, visible: visible.trail, scale })],
  };
}
