import type { Layer } from '@deck.gl/core';
import type { Case, HubConfig, LocalizedNames } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import type { Boundaries, DistrictLabel } from '../boundaries.ts';
import { hiddenLayerIds, withHidden } from '../hidden-layers.ts';
import { basemapLayer, type BasemapInput } from './basemap.ts';
import { cameraLayers, type CameraLayersInput } from './cameras.ts';
import { casesLayer } from './cases.ts';
import { coastLayer, fixedLinksLayer, seaLayer } from './outline.ts';
import { districtLabelsLayer } from './district-labels.ts';
import { fixedLinkLabelsLayer } from './fixed-link-labels.ts';
import { dispatchLinesLayer, type DispatchLinesInput } from './dispatch-lines.ts';
import { districtEdgeLayer, districtFillLayer } from './districts.ts';
import { caseCellRings, type GridPicture } from '../grid-picture.ts';
import { gridLayer, gridSelectedLayer } from './grid.ts';
import { eventLayers, type EventPicture } from './major-event.ts';
import type { PlanMapPicture } from '../plan-picture.ts';
import { planLayers } from './plan-points.ts';
import type { SensorPicture } from '../sensor-picture.ts';
import type { StormPicture } from '../storm-picture.ts';
import { replayTrailsLayer, type ReplayTrailsInput } from './replay-trails.ts';
import { selectedCaseLayer } from './selected-case.ts';
import { sensorLayers } from './sensors.ts';
import { stormLayers } from './storm.ts';
import { unitsLayer, type UnitsInput } from './units.ts';
import { wallOverlays, type WallOverlaysInput } from './wall-overlays.ts';

export interface MapLayersInput {
  boundaries: Boundaries;
  labels: DistrictLabel[];
  cases: readonly Case[];
  caseColor: (c: Case) => Rgba;
  units: UnitsInput;
  /** Size of dots, lines and labels relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
  /** The wall's overlays (heat, overdue rings, pulses, a unit's trail) and its layer switches; absent elsewhere. */
  overlays?: WallOverlaysInput;
  /** Lines from dispatched units to their cases (wall and console); no layer when absent. */
  dispatch?: DispatchLinesInput;
  /** The case selected at the console, ringed; `undefined` (the wall) leaves the ring layer out. */
  selectedCase?: Case | null;
  /** Storms: track, forecast cone, wind circles, damaged districts (no layers when absent, as in replay). */
  storm?: StormPicture;
  /** IoT sensors by level, alarms ringed (no layers when absent). */
  sensors?: SensorPicture;
  /** A major event's perimeters, venues, posts and units off them (no layers when absent, as in replay). */
  event?: EventPicture;
  /** The active plans' round points by state and pre-position targets (issue #17); no layers when absent. */
  plan?: PlanMapPicture;
  /** The city's unit grids, and the selected case's cell outlined (no layers when absent, as in replay). */
  grid?: GridPicture;
  /** Without the wall's switches (the console): whether the grids are drawn (default: yes). */
  gridShown?: boolean;
  /** Every unit's recent track, under the units (replay); no layer when absent. */
  tracks?: ReplayTrailsInput;
  /** The video platform's cameras (shown unless the wall's `cameras` switch is off); no layers when absent. */
  cameras?: Omit<CameraLayersInput, 'visible'>;
  /** The city's tile base map, under everything (none: the outline map). */
  basemap?: BasemapInput;
  /** The fixed links to the island, drawn on the outline map (not over tiles, which show their own). */
  crossings?: HubConfig['crossings'];
  /** A crossing's name in the screen's language: the outline map names the fixed links (none: unnamed). */
  crossingName?: (names: LocalizedNames) => string;
}

/** `?hide=…`: layers measured by leaving them out (../hidden-layers.ts). Read once. */
const HIDDEN = typeof location === 'undefined' ? new Set<string>() : hiddenLayerIds(location.search);

/** Every layer of the map, bottom to top. Pure: the same input gives layers with the same ids and props. */
export function mapLayers(input: MapLayersInput): Layer[] {
  return withHidden(stack(input), HIDDEN);
}

function stack(input: MapLayersInput): Layer[] {
  const scale = input.scale ?? 1;
  const o = input.overlays && wallOverlays(input.overlays, input.caseColor, scale);
  // Switched-off layers stay in the stack, hidden: deck.gl keeps their buffers and showing them again is free.
  const shown = (layer: Layer, on: boolean | undefined) => (on === false ? layer.clone({ visible: false }) : layer);
  const visible = input.overlays?.visible;
  // Without the wall's switches (the console) storms, sensors and the event's layers are always shown.
  const storm = input.storm && stormLayers({ picture: input.storm, visible: visible?.storm ?? true, scale });
  const sensors = input.sensors
    ? sensorLayers({
        picture: input.sensors,
        visible: visible?.sensors ?? true,
        scale,
        districts: input.labels,
        districtSize: THEME.labelSize * scale,
      })
    : [];
  const event =
    input.event &&
    eventLayers({
      picture: input.event,
      visible: {
        perimeters: visible?.perimeters ?? true,
        venues: visible?.venues ?? true,
        posts: visible?.posts ?? true,
      },
      scale,
    });
  return [
    // The outline map tells sea from land itself; tiles do it for themselves.
    ...(input.basemap ? [basemapLayer(input.basemap)] : [seaLayer()]),
    // Over tiles the districts are outlines only: the tiles tell land from sea.
    shown(districtFillLayer({ boundaries: input.boundaries, scale }), !input.basemap),
    ...(input.grid ? [shown(gridLayer({ picture: input.grid, scale }), visible?.grid ?? input.gridShown)] : []),
    ...(input.basemap ? [] : [coastLayer({ boundaries: input.boundaries, scale })]),
    districtEdgeLayer({ boundaries: input.boundaries, scale }),
    ...(input.basemap ? [] : [fixedLinksLayer({ boundaries: input.boundaries, crossings: input.crossings, scale })]),
    ...(storm?.areas ?? []),
    ...(o?.belowCases ?? []),
    // Over the heat: in a major event most cases fall inside the perimeters, and their heat would hide the outline.
    ...(event?.areas ?? []),
    ...(storm?.lines ?? []),
    // Over the heat and the event's areas, which would wash it out, and under every case and unit.
    ...(input.grid ? [gridSelectedLayer({ rings: caseCellRings(input.grid, input.selectedCase), scale })] : []),
    shown(casesLayer({ cases: input.cases, colorOf: input.caseColor }, scale), visible?.cases),
    ...(o?.aboveCases ?? []),
    ...sensors,
    ...(input.cameras ? cameraLayers({ ...input.cameras, visible: visible?.cameras ?? true }, scale) : []),
    ...(event?.posts ?? []),
    // Over the cases (a point checked and found wanting becomes a case there) and under the units on their way.
    ...(input.plan
      ? planLayers({
          picture: input.plan,
          visible: visible?.plan ?? true,
          ...(input.dispatch ? { positions: input.dispatch.positions, version: input.dispatch.version } : {}),
          scale,
        })
      : []),
    ...(o?.belowUnits ?? []),
    ...(input.dispatch ? [dispatchLinesLayer(input.dispatch, scale)] : []),
    ...(input.tracks ? [replayTrailsLayer(input.tracks)] : []),
    shown(unitsLayer(input.units, scale), visible?.units),
    ...(input.selectedCase !== undefined ? [selectedCaseLayer(input.selectedCase, scale)] : []),
    ...(storm?.marks ?? []),
    shown(districtLabelsLayer({ labels: input.labels, size: THEME.labelSize * scale }), visible?.labels),
    ...(input.basemap || !input.crossingName
      ? []
      : [
          shown(
            fixedLinkLabelsLayer({
              crossings: input.crossings,
              nameOf: input.crossingName,
              size: THEME.labelSize * 0.6 * scale,
              districts: input.labels,
              districtSize: THEME.labelSize * scale,
            }),
            visible?.labels,
          ),
        ]),
    // Over the district names: during a guard the venues and the strays are what the room reads.
    ...(event?.marks ?? []),
  ];
}
