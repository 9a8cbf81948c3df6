import { CompositeLayer, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { Case, Urgency } from '@egret/protocol';
import { debugCounters } from '../../debug.ts';
import { mainViewportIn } from '../main-viewport.ts';
import { HEAT_CELL_FRACTION, heatBins, heatBinScale, heatFromPoints } from '../heat-bins.ts';

export interface HeatInput {
  /** Today's cases: a new array only when a case was added (the layer re-aggregates on every new array). */
  cases: readonly Case[];
  visible: boolean;
  /** Size relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
}

/** Heat per case by urgency: one critical case weighs like a handful of ordinary ones. */
export const HEAT_WEIGHT: Readonly<Record<Urgency, number>> = { normal: 1, urgent: 3, critical: 6 };

/** Cold to hot, transparent at the cold end so the districts stay readable under it. */
export const HEAT_COLOURS: [number, number, number, number][] = [
  [30, 64, 175, 0],
  [37, 99, 235, 90],
  [16, 185, 129, 140],
  [250, 204, 21, 170],
  [249, 115, 22, 200],
  [239, 68, 68, 220],
];

/**
 * Where today's cases are, as heat (spread on the GPU). Hidden rather than dropped when switched off, so switching
 * it back on costs one aggregation at most. The cases are gathered into cells a fraction of the blur across first
 * (../heat-bins.ts); `?heat=points` hands deck.gl every case in a 1024² texture as before (the benches' baseline).
 */
export function heatLayer({ cases, visible, scale = 1 }: HeatInput): HeatBinsLayer<Case> | HeatmapLayer<Case> {
  const before = heatFromPoints();
  const props = {
    id: 'case-heat',
    data: cases,
    visible,
    getPosition: (c: Case) => c.position,
    getWeight: (c: Case) => HEAT_WEIGHT[c.urgency],
    // Wide enough that neighbouring cases merge into areas: the heat says where, the dots say what.
    radiusPixels: Math.max(16, Math.round(150 * scale)),
    intensity: 1.5,
    threshold: 0.03,
    colorRange: HEAT_COLOURS,
    // The blur is ~20 texels wide in a 512² texture at any scale (the view's longer side: 7.5 px a texel on the 4K
    // wall, where the radius is 150 px): as smooth as 1024² on screen, and a quarter of the aggregation's work — its
    // max pass draws a point per texel, ~0.4 s of a software-GL draw at 1024² (docs/performance.md).
    weightsTextureSize: before ? 1024 : 512,
    pickable: false,
  };
  return before ? new HeatmapLayer<Case>(props) : new HeatBinsLayer<Case>(props);
}

export interface HeatBinsLayerProps<T> extends LayerProps {
  data: readonly T[];
  getPosition: (d: T) => readonly [number, number] | readonly number[];
  getWeight: (d: T) => number;
  radiusPixels: number;
  intensity: number;
  threshold: number;
  colorRange: [number, number, number, number][];
  weightsTextureSize: number;
}

const defaultProps: DefaultProps<HeatBinsLayerProps<unknown>> = {
  getPosition: { type: 'accessor', value: (d: unknown) => (d as { position: [number, number] }).position },
  getWeight: { type: 'accessor', value: () => 1 },
  radiusPixels: { type: 'number', value: 150, min: 1 },
  intensity: { type: 'number', value: 1, min: 0 },
  threshold: { type: 'number', value: 0.05, min: 0, max: 1 },
  colorRange: { type: 'array', value: HEAT_COLOURS, compare: true },
  weightsTextureSize: { type: 'number', value: 512 },
};

/**
 * deck.gl's HeatmapLayer over the points gathered into cells (../heat-bins.ts). The cells are worked out again when
 * the points change (a new array) or the zoom crosses a whole level, and only while the layer is shown: a hidden
 * heat keeps its last cells, so its HeatmapLayer gets no new data and spends no aggregation on a picture nobody sees
 * (deck.gl aggregates a hidden HeatmapLayer's new data all the same).
 */
export class HeatBinsLayer<T> extends CompositeLayer<HeatBinsLayerProps<T>> {
  static override layerName = 'HeatBinsLayer';
  static override defaultProps = defaultProps as DefaultProps<HeatBinsLayerProps<never>>;
  declare state: {
    /** The bins as binary attributes: a new object only with new bins, so the heat re-aggregates only then. */
    binary: unknown;
    /** What the bins were made from: the points' array, the zoom level's scale and the radius. */
    from: { data: readonly T[] | null; binScale: number; radiusPixels: number };
  };

  override initializeState(): void {
    this.setState({
      binary: { length: 0, attributes: {} },
      from: { data: null, binScale: 0, radiusPixels: 0 },
    });
  }

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>): boolean {
    return changeFlags.propsOrDataChanged || changeFlags.viewportChanged;
  }

  override updateState({ props }: UpdateParameters<this>): void {
    if (!props.visible) return;
    const viewport = mainViewportIn(this.context);
    const binScale = heatBinScale(viewport.scale);
    const { from } = this.state;
    if (from.data === props.data && from.binScale === binScale && from.radiusPixels === props.radiusPixels) return;
    const bins = heatBins(
      props.data,
      props.getPosition,
      props.getWeight,
      props.radiusPixels * HEAT_CELL_FRACTION,
      binScale,
    );
    debugCounters.heatPoints = bins.length;
    this.setState({
      binary: {
        length: bins.length,
        attributes: {
          getPosition: { value: bins.positions, size: 2 },
          getWeight: { value: bins.weights, size: 1 },
        },
      },
      from: { data: props.data, binScale, radiusPixels: props.radiusPixels },
    });
  }

  override renderLayers(): HeatmapLayer {
    const { radiusPixels, intensity, threshold, colorRange, weightsTextureSize } = this.props;
    return new HeatmapLayer(
      this.getSubLayerProps({
        id: 'heatmap',
        data: this.state.binary,
        radiusPixels,
        intensity,
        threshold,
        colorRange,
        weightsTextureSize,
      }),
    );
  }
}
