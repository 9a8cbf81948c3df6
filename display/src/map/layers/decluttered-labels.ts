import { CompositeLayer, type UpdateParameters, type Viewport } from '@deck.gl/core';
import { mainViewportIn } from '../main-viewport.ts';

/**
 * A text layer's rows laid out where they fit on the screen (../declutter.ts), again whenever the view or the rows
 * change: the fixed links' names and the sensors' readings. A subclass says which rows fit in a viewport and draws
 * `state.shown`; the same rows while the same fit, so deck.gl re-uploads nothing for a pan that changes nothing.
 */
export abstract class DeclutteredLabelsLayer<Row, Props extends { data: Row[] }> extends CompositeLayer<Props> {
  /** `laidOutFor`: the viewport `shown` was fitted in (../layout-before-draw.ts `drawnInOtherView`). */
  declare state: { shown: Row[]; laidOutFor: Viewport };

  /** The rows that fit in `viewport`, in the order they are kept. */
  protected abstract fit(viewport: Viewport): Row[];

  /** Whether two layouts show the same rows (by identity unless a subclass knows better). */
  protected same(a: readonly Row[], b: readonly Row[]): boolean {
    return a.length === b.length && a.every((row, i) => row === b[i]);
  }

  override initializeState(): void {
    this.setState({ shown: this.layout(), laidOutFor: mainViewportIn(this.context) });
  }

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>): boolean {
    return changeFlags.propsOrDataChanged || changeFlags.viewportChanged;
  }

  override updateState(): void {
    const shown = this.layout();
    this.state.laidOutFor = mainViewportIn(this.context);
    if (!this.same(shown, this.state.shown)) this.setState({ shown });
  }

  /** Laid out in the main map's view (../main-viewport.ts). */
  private layout(): Row[] {
    return this.fit(mainViewportIn(this.context));
  }
}
