import { Layer, project32, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import type { ShaderModule } from '@luma.gl/shadertools';
import { Geometry, Model } from '@luma.gl/engine';
import type { LineMesh } from '../line-mesh.ts';
import { meshModel } from './mesh-model.ts';

/**
 * Lines of a width in pixels, drawn from a prepared mesh (../line-mesh.ts) in one non-instanced draw. On SwiftShader
 * deck.gl's PathLayer pays a draw's set-up for every segment (each is an instance); this layer pays it once. The
 * mesh is uploaded when it changes (a new object) and never otherwise: a redraw where only the units moved costs
 * the draw call alone. No picking: the outline map is never clicked.
 */

export interface LineMeshLayerProps extends LayerProps {
  /** The lines, ready to draw: the same object draws without an upload. */
  mesh: LineMesh;
  /** Multiplies every line's width (the console draws at 0.5 of the wall). */
  widthScale?: number;
}

/**
 * Draw parameters for the outline's line meshes: no depth test or depth writes (everything lies on one plane and
 * is drawn in order; on software GL the depth buffer is work per pixel for nothing).
 */
export const FLAT = { depthCompare: 'always', depthWriteEnabled: false } as const satisfies LayerProps['parameters'];

type LineMeshUniforms = { widthScale: number };

const lineMeshUniforms = {
  name: 'lineMesh',
  vs: /* glsl */ `\
layout(std140) uniform lineMeshUniforms {
  float widthScale;
} lineMesh;
`,
  uniformTypes: { widthScale: 'f32' },
} as const satisfies ShaderModule<LineMeshUniforms>;

const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME line-mesh-layer-vertex-shader
in vec3 positions;
in vec3 positions64Low;
in vec2 offsets;
in float widths;
in float limits;
in vec4 colors;
out vec4 vColor;
void main(void) {
  geometry.worldPosition = positions;
  // Offsets are in half widths along Mercator's axes, which are deck.gl's common space: pixels to common units.
  vec2 offsetCommon = project_pixel_size(offsets * widths * lineMesh.widthScale * 0.5);
  // An inner miter point stays within the segments it joins, however wide the line is drawn.
  float reach = length(offsetCommon);
  if (reach > limits) offsetCommon *= limits / reach;
  vec3 offset = vec3(offsetCommon, 0.0);
  gl_Position = project_position_to_clipspace(positions, positions64Low, offset, geometry.position);
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  vColor = vec4(colors.rgb, colors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vColor, geometry);
}
`;

const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME line-mesh-layer-fragment-shader
precision highp float;
in vec4 vColor;
out vec4 fragColor;
void main(void) {
  fragColor = vColor;
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

const defaultProps: DefaultProps<LineMeshLayerProps> = {
  mesh: { type: 'object', value: null as unknown as LineMesh, compare: false },
  widthScale: { type: 'number', value: 1, min: 0 },
};

export class LineMeshLayer extends Layer<LineMeshLayerProps> {
  static override layerName = 'LineMeshLayer';
  static override defaultProps = defaultProps;
  declare state: { model?: Model; mesh?: LineMesh };

  override getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, lineMeshUniforms] });
  }

  override initializeState(): void {
    // The model is made in updateState, which follows at once with the first props.
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    // Another detail level is another mesh: new buffers for the same model.
    this.setState(
      meshModel(this.state, params.props.mesh, geometryOf, this.modelFor, params.changeFlags.extensionsChanged),
    );
  }

  override draw(): void {
    const { model } = this.state;
    if (!model || this.props.mesh.indices.length === 0) return;
    model.shaderInputs.setProps({ lineMesh: { widthScale: this.props.widthScale ?? 1 } });
    model.draw(this.context.renderPass);
  }

  private modelFor = (geometry: Geometry): Model =>
    new Model(this.context.device, { ...this.getShaders(), id: this.props.id, geometry });
}

function geometryOf(mesh: LineMesh): Geometry {
  return new Geometry({
    topology: 'triangle-list',
    attributes: {
      positions: { size: 3, value: mesh.positions },
      positions64Low: { size: 3, value: mesh.positions64Low },
      offsets: { size: 2, value: mesh.offsets },
      widths: { size: 1, value: mesh.widths },
      limits: { size: 1, value: mesh.limits },
      colors: { size: 4, value: mesh.colors },
    },
    indices: { size: 1, value: mesh.indices },
  });
}
