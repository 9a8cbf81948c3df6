import { CompositeLayer, type GetPickingInfoParams, type PickingInfo, type UpdateParameters } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { debugCounters } from '../../debug.ts';
import { mainViewportIn } from '../main-viewport.ts';
import { unitDotStyle } from './unit-dot-style.ts';
import { mercatorX, mercatorY } from '../mercator.ts';
import { MAX_UNIT_DOTS, UNIT_CELL_PX, unitCells, type UnitCells, type UnitRows } from '../unit-cells.ts';

/** Units this far (pixels at scale 1, beyond two cells) off the screen's edge are still drawn: their dots reach in. */
const MARGIN_PX = 20;

/** A viewport's [west, south, east, north] as [minX, minY, maxX, maxY] in world pixels at `worldScale`, plus `margin`. */
export function viewInWorldPixels(
  bounds: readonly number[],
  worldScale: number,
  margin: number,
): [number, number, number, number] {
  const [west = -180, south = -85, east = 180, north = 85] = bounds;
  return [
    mercatorX(west) * worldScale - margin,
    mercatorY(north) * worldScale - margin,
    mercatorX(east) * worldScale + margin,
    mercatorY(south) * worldScale + margin,
  ];
}

export interface UnitCellsLayerProps {
  /** The units picture's rows (one per frame slot). */
  rows: UnitRows;
  /** Bumped whenever the rows' contents change (the arrays are reused). */
  version: number;
  /** Size of dots and rings relative to the 4K wall. */
  scale: number;
  /** At most this many dots (./unit-cells.ts). */
  maxDots?: number;
  /** The gathering before its table and kept arrays (`CellGrid.exact`, `?units=exact`). */
  exact?: boolean;
}

/** What a click on a gathered dot finds: the unit whose colours it wears, and how many units it holds. */
export interface UnitCellPick {
  slot: number;
  count: number;
}

/**
 * The units gathered into screen cells (../unit-cells.ts), drawn as one ringed ScatterplotLayer of the occupied
 * cells. The cells follow the zoom, not the viewport: they are worked out again when the rows change (a new picture)
 * or the zoom does, never for a pan. A pick answers the slot of the unit the dot wears, so a dot of one unit picks
 * that unit as before.
 */
export class UnitCellsLayer extends CompositeLayer<UnitCellsLayerProps> {
  static override layerName = 'UnitCellsLayer';
  declare state: {
    cells: UnitCells | null;
    /** The sublayer's data: a new object only with new cells, so deck.gl re-uploads nothing for a pan. */
    data: unknown;
    worldScale: number;
    /** The view the cells were gathered for, rounded to pixels: a pan gathers again (units off it are not drawn). */
    viewKey: string;
    version: number;
    scale: number;
  };

  override initializeState(): void {
    this.setState({ cells: null, data: null, worldScale: 0, viewKey: '', version: -1, scale: 0 });
  }

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>): boolean {
    return changeFlags.propsOrDataChanged || changeFlags.viewportChanged;
  }

  override updateState({ props }: UpdateParameters<this>): void {
    const viewport = mainViewportIn(this.context);
    const worldScale = viewport.scale;
    const cellPx = UNIT_CELL_PX * props.scale;
    const view = viewInWorldPixels(viewport.getBounds(), worldScale, 2 * cellPx + MARGIN_PX * props.scale);
    const viewKey = view.map(Math.round).join(' ');
    const { cells, version, scale } = this.state;
    if (
      cells &&
      version === props.version &&
      worldScale === this.state.worldScale &&
      scale === props.scale &&
      viewKey === this.state.viewKey
    )
      return;
    const next = unitCells(props.rows, {
      worldScale,
      cellPx,
      maxDots: props.maxDots ?? MAX_UNIT_DOTS,
      view,
      ...(props.exact ? { exact: true } : {}),
    });
    debugCounters.unitDots = next.length;
    this.setState({
      cells: next,
      data: {
        length: next.length,
        attributes: {
          getPosition: { value: next.positions, size: 2 },
          getFillColor: { value: next.colors, size: 4, normalized: true },
          getLineColor: { value: next.lineColors, size: 4, normalized: true },
          getRadius: { value: next.radii, size: 1 },
        },
      },
      worldScale,
      viewKey,
      version: props.version,
      scale: props.scale,
    });
  }

  override getPickingInfo({ info }: GetPickingInfoParams): PickingInfo {
    const cells = this.state.cells;
    if (!cells || info.index < 0 || info.index >= cells.length) return info;
    const pick: UnitCellPick = { slot: cells.slots[info.index]!, count: cells.counts[info.index]! };
    return { ...info, index: pick.slot, object: pick };
  }

  override renderLayers(): ScatterplotLayer {
    const { scale } = this.props;
    return new ScatterplotLayer(
      this.getSubLayerProps({
        id: 'dots',
        data: this.state.data,
        ...unitDotStyle(scale),
        updateTriggers: {
          getPosition: [this.state.version, this.state.worldScale],
          getFillColor: [this.state.version, this.state.worldScale],
          getLineColor: [this.state.version, this.state.worldScale],
          getRadius: [this.state.version, this.state.worldScale],
        },
      }),
    );
  }
}
