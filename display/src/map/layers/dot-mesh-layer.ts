import { Layer, picking, project32, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { ShaderModule } from '@luma.gl/shadertools';
import { Geometry, Model } from '@luma.gl/engine';
import { dotMesh, dotsInstanced, sameRows, type DotMesh, type DotStyle } from '../dot-mesh.ts';
import { meshModel } from './mesh-model.ts';

/**
 * Circles of a radius and ring width in pixels, as deck.gl's ScatterplotLayer draws them (the same smoothed edge,
 * fill and ring), from one non-instanced mesh (../dot-mesh.ts) in one draw. On SwiftShader the ScatterplotLayer
 * pays a draw's set-up for every dot; this layer pays it once. The mesh is built and uploaded when the data changes
 * (a new array that does not hold the same objects in the same order) or an update trigger does, and never
 * otherwise: a redraw where only the units moved, or a frame of the pulse's animation (radius scale and opacity are
 * uniforms), uploads nothing. As with deck.gl's layers, accessors are read again only then: a colour that changes
 * for the same object needs a trigger. Pickable as a ScatterplotLayer: `info.index` is the dot's index in the data
 * and `info.object` its datum.
 */

export interface DotMeshLayerProps<T> extends LayerProps, DotStyle<T> {
  data: readonly T[];
  /** Multiplies every radius (the console draws at 0.5 of the wall; the pulse grows by it). */
  radiusScale?: number;
  /** Multiplies every ring width. */
  lineWidthScale?: number;
  filled?: boolean;
  stroked?: boolean;
}

type DotMeshUniforms = { radiusScale: number; lineWidthScale: number; stroked: number; filled: number };

const uniformBlock = /* glsl */ `\
layout(std140) uniform dotMeshUniforms {
  float radiusScale;
  float lineWidthScale;
  float stroked;
  float filled;
} dotMesh;
`;

const dotMeshUniforms = {
  name: 'dotMesh',
  vs: uniformBlock,
  fs: uniformBlock,
  uniformTypes: { radiusScale: 'f32', lineWidthScale: 'f32', stroked: 'f32', filled: 'f32' },
} as const satisfies ShaderModule<DotMeshUniforms>;

// deck.gl 9.4's scatterplot-layer-vertex.glsl (not billboarded, pixel units, antialiased), its per-instance
// attributes now per vertex: `corners` is the instance quad's `positions`, `sizes` its radius and line width.
const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME dot-mesh-layer-vertex-shader
in vec3 positions;
in vec3 positions64Low;
in vec2 corners;
in vec2 sizes;
in vec4 fillColors;
in vec4 lineColors;
in float rowIndexes;
out vec4 vFillColor;
out vec4 vLineColor;
out vec2 unitPosition;
out float innerUnitRadius;
out float outerRadiusPixels;
void main(void) {
  geometry.worldPosition = positions;
  outerRadiusPixels = max(dotMesh.radiusScale * sizes.x, 0.0);
  float lineWidthPixels = max(dotMesh.lineWidthScale * sizes.y, 0.0);
  outerRadiusPixels += dotMesh.stroked * lineWidthPixels / 2.0;
  // A dot of no size collapses to its point (deck.gl would divide by zero here and draw nothing either).
  float edgePadding = outerRadiusPixels > 0.0 ? (outerRadiusPixels + SMOOTH_EDGE_RADIUS) / outerRadiusPixels : 0.0;
  unitPosition = edgePadding * corners;
  geometry.uv = unitPosition;
  geometry.pickingColor = picking_getPickingColorFromIndex(rowIndexes);
  innerUnitRadius = outerRadiusPixels > 0.0 ? 1.0 - dotMesh.stroked * lineWidthPixels / outerRadiusPixels : 1.0;
  vec3 offset = vec3(edgePadding * corners * project_pixel_size(outerRadiusPixels), 0.0);
  DECKGL_FILTER_SIZE(offset, geometry);
  gl_Position = project_position_to_clipspace(positions, positions64Low, offset, geometry.position);
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  vFillColor = vec4(fillColors.rgb, fillColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vFillColor, geometry);
  vLineColor = vec4(lineColors.rgb, lineColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vLineColor, geometry);
}
`;

// deck.gl 9.4's scatterplot-layer-fragment.glsl, antialiased.
const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME dot-mesh-layer-fragment-shader
precision highp float;
in vec4 vFillColor;
in vec4 vLineColor;
in vec2 unitPosition;
in float innerUnitRadius;
in float outerRadiusPixels;
out vec4 fragColor;
void main(void) {
  geometry.uv = unitPosition;
  float distToCenter = length(unitPosition) * outerRadiusPixels;
  float inCircle = smoothedge(distToCenter, outerRadiusPixels);
  if (inCircle == 0.0) {
    discard;
  }
  if (dotMesh.stroked > 0.5) {
    float isLine = smoothedge(innerUnitRadius * outerRadiusPixels, distToCenter);
    if (dotMesh.filled > 0.5) {
      fragColor = mix(vFillColor, vLineColor, isLine);
    } else {
      if (isLine == 0.0) {
        discard;
      }
      fragColor = vec4(vLineColor.rgb, vLineColor.a * isLine);
    }
  } else if (dotMesh.filled < 0.5) {
    discard;
  } else {
    fragColor = vFillColor;
  }
  fragColor.a *= inCircle;
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

const defaultProps: DefaultProps<DotMeshLayerProps<unknown>> = {
  getPosition: { type: 'accessor', value: (d: unknown) => (d as { position: number[] }).position },
  getRadius: { type: 'accessor', value: 1 },
  getLineWidth: { type: 'accessor', value: 1 },
  getFillColor: { type: 'accessor', value: [0, 0, 0, 255] },
  getLineColor: { type: 'accessor', value: [0, 0, 0, 255] },
  radiusScale: { type: 'number', value: 1, min: 0 },
  lineWidthScale: { type: 'number', value: 1, min: 0 },
  filled: true,
  stroked: false,
};

export class DotMeshLayer<T> extends Layer<DotMeshLayerProps<T>> {
  static override layerName = 'DotMeshLayer';
  static override defaultProps = defaultProps as DefaultProps<DotMeshLayerProps<never>>;
  declare state: { model?: Model; mesh?: DotMesh; rows?: readonly T[] };

  override getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, picking, dotMeshUniforms] });
  }

  override initializeState(): void {
    // The mesh and model are made in updateState, which follows at once with the first props.
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    const { changeFlags, props } = params;
    // A new array of the same objects in the same order draws the same dots (../dot-mesh.ts, sameRows).
    const rebuild =
      !this.state.mesh ||
      changeFlags.updateTriggersChanged ||
      (changeFlags.dataChanged && !sameRows(this.state.rows, props.data));
    const mesh = rebuild ? dotMesh(props.data, props) : this.state.mesh!;
    this.setState({
      ...meshModel(this.state, mesh, geometryOf, this.modelFor, changeFlags.extensionsChanged),
      rows: props.data,
    });
  }

  override draw(): void {
    const { model, mesh } = this.state;
    if (!model || !mesh || mesh.count === 0) return;
    const { radiusScale = 1, lineWidthScale = 1, stroked = false, filled = true } = this.props;
    model.shaderInputs.setProps({
      dotMesh: { radiusScale, lineWidthScale, stroked: stroked ? 1 : 0, filled: filled ? 1 : 0 },
    });
    model.draw(this.context.renderPass);
  }

  private modelFor = (geometry: Geometry): Model =>
    new Model(this.context.device, { ...this.getShaders(), id: this.props.id, geometry });
}

function geometryOf(mesh: DotMesh): Geometry {
  return new Geometry({
    topology: 'triangle-list',
    attributes: {
      positions: { size: 3, value: mesh.positions },
      positions64Low: { size: 3, value: mesh.positions64Low },
      corners: { size: 2, value: mesh.corners },
      sizes: { size: 2, value: mesh.sizes },
      fillColors: { size: 4, value: mesh.fillColors, normalized: true },
      lineColors: { size: 4, value: mesh.lineColors, normalized: true },
      rowIndexes: { size: 1, value: mesh.rowIndexes },
    },
    indices: { size: 1, value: mesh.indices },
  });
}

export type DotsLayer<T> = DotMeshLayer<T> | ScatterplotLayer<T>;

/** A layer of dots as the cases' layers want them: in pixels, pickable or not. */
export interface DotsProps<T> extends DotStyle<T> {
  id: string;
  data: readonly T[];
  visible?: boolean;
  opacity?: number;
  pickable?: boolean;
  radiusScale?: number;
  lineWidthScale?: number;
  filled?: boolean;
  stroked?: boolean;
}

/**
 * The dots as one mesh (DotMeshLayer), or with `?dots=instanced` by deck.gl's ScatterplotLayer as before — the
 * benches' baseline. Both take the same props; radii and ring widths are in pixels.
 */
export function dotsLayer<T>(props: DotsProps<T>, instanced = dotsInstanced()): DotsLayer<T> {
  if (!instanced) return new DotMeshLayer<T>(props);
  return new ScatterplotLayer<T>({
    ...props,
    getPosition: props.getPosition as (d: T) => [number, number],
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
  });
}
