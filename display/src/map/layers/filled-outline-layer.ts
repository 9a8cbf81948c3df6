import { CompositeLayer, type Layer } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import { THEME } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { ringsMesh, type LineStyle } from '../outline-mesh.ts';
import { FLAT, LineMeshLayer } from './line-mesh-layer.ts';

type DeckGeoJson = ConstructorParameters<typeof GeoJsonLayer>[0]['data'];

/** District fills alternate between the theme's shades, by the feature's index. */
export const fillColor = (index: number) => THEME.map.districtFills[index % THEME.map.districtFills.length]!;

/**
 * Districts filled, with a line along every ring: the districts' polygons (one non-instanced draw) and the rings
 * as one mesh (./line-mesh-layer.ts) — what a GeoJsonLayer with a rounded stroke drew, in two draws instead of one
 * per segment. The main map's fill and its 12-px glow; the overview's districts and their edges.
 */
export class FilledOutlineLayer extends CompositeLayer<{ data: DeckGeoJson; line: LineStyle; scale: number }> {
  static override layerName = 'FilledOutlineLayer';

  override renderLayers(): Layer[] {
    const boundaries = this.props.data as unknown as Boundaries;
    return [
      new GeoJsonLayer(
        this.getSubLayerProps({
          id: 'fill',
          data: this.props.data,
          filled: true,
          stroked: false,
          getFillColor: (_f: unknown, { index }: { index: number }) => fillColor(index),
          // deck.gl's default parameters, as the map's other polygons have: SwiftShader compiles a pipeline per set
          // of draw parameters on its first draw, and one of its own here had a 推屏's first draw pay for it.
          pickable: false,
        }),
      ),
      new LineMeshLayer(
        this.getSubLayerProps({
          id: 'line',
          mesh: ringsMesh(boundaries, this.props.line),
          widthScale: this.props.scale,
          parameters: FLAT,
        }),
      ),
    ];
  }
}
