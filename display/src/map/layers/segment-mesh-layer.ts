import { Layer, project32, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import type { ShaderModule } from '@luma.gl/shadertools';
import { Geometry, Model } from '@luma.gl/engine';
import { segmentMesh, type SegmentMesh, type SegmentStyle } from '../segment-mesh.ts';
import { meshModel } from './mesh-model.ts';

/**
 * Straight lines of a width in pixels, as deck.gl's LineLayer draws them (butt ends, no antialiasing), from one
 * non-instanced mesh (../segment-mesh.ts) in one draw: on SwiftShader the LineLayer pays a draw's set-up for every
 * line. Built and uploaded when the data or an update trigger changes (the dispatch lines' moving ends: a trigger per
 * frame of the units, as the LineLayer re-reads them), the width scale a uniform. Not pickable.
 */
export interface SegmentMeshLayerProps<T> extends LayerProps, SegmentStyle<T> {
  data: readonly T[];
  widthScale?: number;
  widthMinPixels?: number;
}

type SegmentMeshUniforms = { widthScale: number; widthMinPixels: number };

const segmentMeshUniforms = {
  name: 'segmentMesh',
  vs: /* glsl */ `\
layout(std140) uniform segmentMeshUniforms {
  float widthScale;
  float widthMinPixels;
} segmentMesh;
`,
  uniformTypes: { widthScale: 'f32', widthMinPixels: 'f32' },
} as const satisfies ShaderModule<SegmentMeshUniforms>;

// deck.gl 9.4's line-layer-vertex.glsl (no wrapping of longitudes, pixel widths), its instance attributes per vertex.
const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME segment-mesh-layer-vertex-shader
in vec3 sources;
in vec3 sources64Low;
in vec3 targets;
in vec3 targets64Low;
in vec2 corners;
in float widths;
in vec4 colors;
out vec4 vColor;
void main(void) {
  geometry.worldPosition = sources;
  geometry.worldPositionAlt = targets;
  vec4 sourceCommon;
  vec4 targetCommon;
  vec4 source = project_position_to_clipspace(sources, sources64Low, vec3(0.), sourceCommon);
  vec4 target = project_position_to_clipspace(targets, targets64Low, vec3(0.), targetCommon);
  vec4 p = mix(source, target, corners.x);
  geometry.position = mix(sourceCommon, targetCommon, corners.x);
  geometry.uv = corners;
  float widthPixels = max(widths * segmentMesh.widthScale, segmentMesh.widthMinPixels);
  vec2 along = (target.xy - source.xy) * project.viewportSize;
  // A line of no length draws nothing (the LineLayer's normalize() gives NaN there: nothing either).
  vec2 dir = length(along) > 0.0 ? normalize(along) : vec2(0.0);
  vec3 offset = vec3(vec2(-dir.y, dir.x) * corners.y * widthPixels / 2.0, 0.0);
  DECKGL_FILTER_SIZE(offset, geometry);
  DECKGL_FILTER_GL_POSITION(p, geometry);
  gl_Position = p + vec4(project_pixel_size_to_clipspace(offset.xy), 0.0, 0.0);
  vColor = vec4(colors.rgb, colors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vColor, geometry);
}
`;

const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME segment-mesh-layer-fragment-shader
precision highp float;
in vec4 vColor;
out vec4 fragColor;
void main(void) {
  fragColor = vColor;
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

const defaultProps: DefaultProps<SegmentMeshLayerProps<unknown>> = {
  getSourcePosition: { type: 'accessor', value: (d: unknown) => (d as { sourcePosition: number[] }).sourcePosition },
  getTargetPosition: { type: 'accessor', value: (d: unknown) => (d as { targetPosition: number[] }).targetPosition },
  getWidth: { type: 'accessor', value: 1 },
  getColor: { type: 'accessor', value: [0, 0, 0, 255] },
  widthScale: { type: 'number', value: 1, min: 0 },
  widthMinPixels: { type: 'number', value: 0, min: 0 },
};

export class SegmentMeshLayer<T> extends Layer<SegmentMeshLayerProps<T>> {
  static override layerName = 'SegmentMeshLayer';
  static override defaultProps = defaultProps as DefaultProps<SegmentMeshLayerProps<never>>;
  declare state: { model?: Model; mesh?: SegmentMesh };

  override getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, segmentMeshUniforms] });
  }

  override initializeState(): void {
    // The mesh and model are made in updateState, which follows at once with the first props.
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    const { changeFlags, props } = params;
    const rebuild = !this.state.mesh || changeFlags.dataChanged || changeFlags.updateTriggersChanged;
    const mesh = rebuild ? segmentMesh(props.data, props) : this.state.mesh!;
    this.setState(meshModel(this.state, mesh, geometryOf, this.modelFor, changeFlags.extensionsChanged));
  }

  override draw(): void {
    const { model, mesh } = this.state;
    if (!model || !mesh || mesh.count === 0) return;
    const { widthScale = 1, widthMinPixels = 0 } = this.props;
    model.shaderInputs.setProps({ segmentMesh: { widthScale, widthMinPixels } });
    model.draw(this.context.renderPass);
  }

  private modelFor = (geometry: Geometry): Model =>
    new Model(this.context.device, { ...this.getShaders(), id: this.props.id, geometry });
}

function geometryOf(mesh: SegmentMesh): Geometry {
  return new Geometry({
    topology: 'triangle-list',
    attributes: {
      sources: { size: 3, value: mesh.sources },
      sources64Low: { size: 3, value: mesh.sources64Low },
      targets: { size: 3, value: mesh.targets },
      targets64Low: { size: 3, value: mesh.targets64Low },
      corners: { size: 2, value: mesh.corners },
      widths: { size: 1, value: mesh.widths },
      colors: { size: 4, value: mesh.colors, normalized: true },
    },
    indices: { size: 1, value: mesh.indices },
  });
}
