import type { Layer, View, Viewport } from '@deck.gl/core';

/**
 * A test hook: `?map=off` in a screen's address keeps the map's layers, views and camera but creates no Deck and no
 * WebGL context. End-to-end tests check the wall's layout, text and layer rows at 3840×2160 and 5760×2160 this way in
 * seconds: on a machine whose WebGL is software (SwiftShader) a 4K frame of the map takes a second or more, and the
 * page answers the test only between frames. A real wall never sets it; one WebGL smoke test keeps the real map.
 */
export function mapCanvasOff(search: string = globalThis.location?.search ?? ''): boolean {
  return new URLSearchParams(search).get('map') === 'off';
}

interface StandInProps {
  layers: Layer[];
  views: View[];
  viewState: Record<string, unknown>;
  [prop: string]: unknown;
}

/**
 * What the map attachment uses of a Deck, without drawing anything: it keeps the props it is given (the debug hook
 * reads the layers from them), makes the views' viewports as deck.gl would (so `project` and `views` answer), and
 * picks nothing.
 */
export class DeckStandIn {
  readonly props: StandInProps;
  /** deck.gl's is where a redraw is flagged (./draw-hold.ts); the stand-in draws nothing. */
  readonly layerManager = null;

  constructor(
    private readonly element: HTMLElement,
    props: object,
  ) {
    this.props = { layers: [], views: [], viewState: {}, ...(props as Partial<StandInProps>) };
  }

  setProps(props: object): void {
    Object.assign(this.props, props);
  }

  getViewports(): Viewport[] {
    const width = this.element.clientWidth,
      height = this.element.clientHeight;
    const out: Viewport[] = [];
    for (const view of this.props.views) {
      const viewState = (this.props.viewState[view.id] ?? this.props.viewState) as Record<string, unknown>;
      const viewport = view.makeViewport({ width, height, viewState });
      if (viewport) out.push(viewport);
    }
    return out;
  }

  pickObject(_options: unknown): null {
    return null;
  }

  finalize(): void {}
}
