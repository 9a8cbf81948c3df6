import { Layer, type DefaultProps, type LayerProps } from '@deck.gl/core';
import type { Rgba } from '../../theme.ts';

/**
 * One colour over the whole of its view, drawn by clearing the colour buffer (issue #19): the sea under the
 * outline map. As a polygon it cost SwiftShader (software GL) a blended, depth-tested fill of every pixel of the
 * map — ~40 ms of the GPU process per 1080p draw, four times that at 4K — where a clear is a fill of memory. It
 * must be the first layer of its view (it covers whatever was drawn there before it) and its colour opaque. Where
 * the pass cannot clear (not WebGL) nothing is drawn and the canvas's own clear shows. Never picked (deck.gl leaves
 * layers that are not pickable out of its picking passes, so a clear never reaches the picking buffer).
 */

export interface ClearLayerProps extends LayerProps {
  color: Rgba;
}

/** The render pass deck.gl draws into, on WebGL: luma.gl's WEBGLRenderPass clears one colour attachment. */
interface ClearingPass {
  clearColorBuffer?: (drawBuffer: number, value: Float32Array) => void;
}

const defaultProps: DefaultProps<ClearLayerProps> = {
  color: { type: 'color', value: [0, 0, 0, 255] },
};

export class ClearLayer extends Layer<ClearLayerProps> {
  static override layerName = 'ClearLayer';
  static override defaultProps = defaultProps;

  override initializeState(): void {
    // Nothing to hold: no buffers, no model.
  }

  override draw(): void {
    const pass = this.context.renderPass as unknown as ClearingPass;
    const [r, g, b, a = 255] = this.props.color;
    pass.clearColorBuffer?.(0, new Float32Array([r / 255, g / 255, b / 255, a / 255]));
  }
}
