import type { Geometry, Model } from '@luma.gl/engine';

/** What a mesh layer keeps: its one Model and the mesh whose buffers it holds. */
export interface MeshModelState<M> {
  model?: Model;
  mesh?: M;
}

/**
 * The one Model of a layer that draws a prepared mesh (line-mesh-layer, segment-mesh-layer, dot-mesh-layer): made
 * with the first mesh; given the new mesh's buffers when the mesh is another object, so its shaders and pipeline
 * stay; made again only when the layer's extensions change (its shaders do). The same mesh object costs nothing:
 * a redraw where only other layers changed uploads nothing here. Returns the state to keep.
 */
export function meshModel<M>(
  kept: MeshModelState<M>,
  mesh: M,
  geometryOf: (mesh: M) => Geometry,
  make: (geometry: Geometry) => Model,
  extensionsChanged: boolean,
): Required<MeshModelState<M>> {
  let model = kept.model;
  if (extensionsChanged) {
    model?.destroy();
    model = undefined;
  }
  if (!model) return { model: make(geometryOf(mesh)), mesh };
  if (mesh !== kept.mesh) model.setGeometry(geometryOf(mesh));
  return { model, mesh };
}
