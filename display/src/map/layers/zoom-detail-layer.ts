import { CompositeLayer, type Layer, type UpdateParameters } from '@deck.gl/core';
import { detailLevel } from '../outline-detail.ts';
import { mainViewportIn } from '../main-viewport.ts';

export interface ZoomDetailLayerProps {
  /** The layer to draw at a detail level (../outline-detail.ts; null: every point). Its id is replaced. */
  draw: (level: number | null) => Layer;
}

/**
 * A layer of the outline map drawn at the detail its zoom can show (../outline-detail.ts): the level follows the
 * main map's zoom and `draw` is asked again only when the level changes or the props do; the data it picks for a
 * level is cached, so deck.gl re-uploads nothing while the level stays.
 */
export class ZoomDetailLayer extends CompositeLayer<ZoomDetailLayerProps> {
  static override layerName = 'ZoomDetailLayer';
  declare state: { level: number | null };

  override initializeState(): void {
    this.setState({ level: this.levelNow() });
  }

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>): boolean {
    return changeFlags.propsOrDataChanged || (changeFlags.viewportChanged && this.levelNow() !== this.state.level);
  }

  override updateState(): void {
    this.setState({ level: this.levelNow() });
  }

  override renderLayers(): Layer {
    return this.props.draw(this.state.level).clone(this.getSubLayerProps({ id: 'detail' }));
  }

  /** The main map's level: deck.gl may update layers while the overview's viewport is the active one. */
  private levelNow(): number | null {
    return detailLevel(mainViewportIn(this.context).zoom);
  }
}
