import {
  CompositeLayer,
  type DefaultProps,
  type LayerProps,
  type UpdateParameters,
  type Viewport,
} from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { BitmapLayer } from '@deck.gl/layers';
import type { Case, Urgency } from '@egret/protocol';
import { debugCounters } from '../../debug.ts';
import { mainViewportIn } from '../main-viewport.ts';
import { HEAT_CELL_FRACTION, heatBins, heatBinScale, heatFromPoints, type HeatBins } from '../heat-bins.ts';
import {
  frameServes,
  heatFrame,
  heatOnGpu,
  heatPixels,
  heatWeights,
  type HeatFrame,
  type HeatView,
} from '../heat-image.ts';
import { mercatorX, mercatorY } from '../mercator.ts';

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
 * Where today's cases are, as heat. Hidden rather than dropped when switched off, so switching it back on costs one
 * aggregation at most. The cases are gathered into cells a fraction of the blur across first (../heat-bins.ts), and
 * the cells spread into a picture on the CPU (../heat-image.ts) that the map draws as one rectangle. The benches'
 * baselines: `?heat=gpu` spreads the cells with deck.gl's HeatmapLayer in a 512² texture, `?heat=points` hands it
 * every case in a 1024² texture.
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
  return before ? new HeatmapLayer<Case>(props) : new HeatBinsLayer<Case>({ ...props, onGpu: heatOnGpu() });
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
  /** Spread by deck.gl's HeatmapLayer (the GPU) rather than into a picture on the CPU. */
  onGpu: boolean;
}

const defaultProps: DefaultProps<HeatBinsLayerProps<unknown>> = {
  getPosition: { type: 'accessor', value: (d: unknown) => (d as { position: [number, number] }).position },
  getWeight: { type: 'accessor', value: () => 1 },
  radiusPixels: { type: 'number', value: 150, min: 1 },
  intensity: { type: 'number', value: 1, min: 0 },
  threshold: { type: 'number', value: 0.05, min: 0, max: 1 },
  colorRange: { type: 'array', value: HEAT_COLOURS, compare: true },
  weightsTextureSize: { type: 'number', value: 512 },
  onGpu: false,
};

/** The main view's box in the Mercator world and its scale (the map is never rotated nor tilted). */
function heatViewOf(viewport: Viewport): HeatView {
  const [west, north] = viewport.unproject([0, 0]) as [number, number];
  const [east, south] = viewport.unproject([viewport.width, viewport.height]) as [number, number];
  return { box: [mercatorX(west), mercatorY(north), mercatorX(east), mercatorY(south)], scale: viewport.scale };
}

/**
 * The points gathered into cells (../heat-bins.ts), spread into a picture (../heat-image.ts) drawn by a BitmapLayer —
 * or, `onGpu`, by deck.gl's HeatmapLayer. The cells are worked out again when the points change (a new array) or the
 * zoom crosses a whole level, the picture when the cells change, the view leaves it or its scale changes (the blur is
 * in screen pixels); both only while the layer is shown: a hidden heat keeps its last picture and spends nothing on
 * one nobody sees (deck.gl's HeatmapLayer aggregates a hidden layer's new data all the same).
 */
export class HeatBinsLayer<T> extends CompositeLayer<HeatBinsLayerProps<T>> {
  static override layerName = 'HeatBinsLayer';
  static override defaultProps = defaultProps as DefaultProps<HeatBinsLayerProps<never>>;
  declare state: {
    bins: HeatBins | null;
    /** The bins as binary attributes (`onGpu`): a new object only with new bins, so the heat re-aggregates only then. */
    binary: unknown;
    /** What the bins were made from: the points' array, the zoom level's scale and the radius. */
    from: { data: readonly T[] | null; binScale: number; radiusPixels: number };
    /** The picture and where it lies (not `onGpu`), and the bins and look it shows. */
    picture: {
      image: ImageData;
      frame: HeatFrame;
      bins: HeatBins;
      look: Pick<HeatBinsLayerProps<T>, 'intensity' | 'threshold' | 'colorRange'>;
      /** Nothing weighs (no case today): not drawn at all — a transparent rectangle over the map still costs a fill. */
      empty: boolean;
    } | null;
  };

  override initializeState(): void {
    this.setState({
      bins: null,
      binary: { length: 0, attributes: {} },
      from: { data: null, binScale: 0, radiusPixels: 0 },
      picture: null,
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
    if (from.data !== props.data || from.binScale !== binScale || from.radiusPixels !== props.radiusPixels) {
      const bins = heatBins(
        props.data,
        props.getPosition,
        props.getWeight,
        props.radiusPixels * HEAT_CELL_FRACTION,
        binScale,
      );
      debugCounters.heatPoints = bins.length;
      this.setState({
        bins,
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
    if (!props.onGpu) this.updatePicture(props, viewport);
  }

  /** A new picture when the cells, the look or the view call for one (see the class's comment). */
  private updatePicture(props: HeatBinsLayerProps<T>, viewport: Viewport): void {
    const { bins, picture } = this.state;
    if (!bins) return;
    const view = heatViewOf(viewport);
    const look = { intensity: props.intensity, threshold: props.threshold, colorRange: props.colorRange };
    if (
      picture &&
      picture.bins === bins &&
      picture.look.intensity === look.intensity &&
      picture.look.threshold === look.threshold &&
      picture.look.colorRange === look.colorRange &&
      frameServes(picture.frame, view)
    )
      return;
    debugCounters.heatPictures++;
    const frame = heatFrame(view, props.radiusPixels);
    const { pixels, max } = heatPixels(heatWeights(bins, frame, props.radiusPixels), {
      intensity: look.intensity,
      threshold: look.threshold,
      colours: look.colorRange,
    });
    this.setState({
      picture: { image: new ImageData(pixels, frame.width, frame.height), frame, bins, look, empty: !(max > 0) },
    });
  }

  override renderLayers(): HeatmapLayer | BitmapLayer | null {
    const { radiusPixels, intensity, threshold, colorRange, weightsTextureSize, onGpu } = this.props;
    if (!onGpu) {
      const { picture } = this.state;
      if (!picture || picture.empty) return null;
      return new BitmapLayer(
        this.getSubLayerProps({ id: 'picture', image: picture.image, bounds: picture.frame.bounds, pickable: false }),
      );
    }
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
