import type { Viewport } from '@deck.gl/core';
import { TextLayer } from '@deck.gl/layers';
import type { HubConfig, LocalizedNames } from '@egret/protocol';
import type { DistrictLabel } from '../boundaries.ts';
import { declutter, textBox } from '../declutter.ts';
import { fixedLinkLabels, sameLabels, type FixedLinkLabel } from '../fixed-link-labels.ts';
import { glyphsOf } from './text-glyphs.ts';
import { DeclutteredLabelsLayer } from './decluttered-labels.ts';
import { HALO_TEXT } from './halo-text.ts';

export interface FixedLinkLabelsInput {
  crossings: HubConfig['crossings'];
  /** The screen's language: a link's name in it. */
  nameOf: (names: LocalizedNames) => string;
  /** Text size in pixels at the wall's scale. */
  size: number;
  /** The district names drawn over the map, and their size: a link's name gives way to them. */
  districts: readonly DistrictLabel[];
  districtSize: number;
}

/** The last labels made, so that deck.gl sees the same data until a name changes. */
let last: FixedLinkLabel[] = [];

/**
 * The fixed links' names on the outline map (over tiles the tiles name them), in the bridges' gold with the map's
 * dark halo, under the district names in size: a commander tells 海沧大桥 from 厦门大桥 at a glance. Where names
 * would overlap — around the western channel at city view, longer in English — the district names and then the
 * links in the config's order keep their place and the others wait for a closer view (../declutter.ts).
 */
export function fixedLinkLabelsLayer({
  crossings,
  nameOf,
  size,
  districts,
  districtSize,
}: FixedLinkLabelsInput): FixedLinkLabelsLayer {
  const labels = fixedLinkLabels(crossings, nameOf);
  if (!sameLabels(labels, last)) last = labels;
  return new FixedLinkLabelsLayer({ id: 'fixed-link-labels', data: last, size, districts, districtSize });
}

interface FixedLinkLabelsProps {
  data: FixedLinkLabel[];
  size: number;
  districts: readonly DistrictLabel[];
  districtSize: number;
}

/** Lays the names out again when the view or the names change; draws those that fit. */
export class FixedLinkLabelsLayer extends DeclutteredLabelsLayer<FixedLinkLabel, FixedLinkLabelsProps> {
  static override layerName = 'FixedLinkLabelsLayer';

  protected override same(a: readonly FixedLinkLabel[], b: readonly FixedLinkLabel[]): boolean {
    return sameLabels(a, b);
  }

  override renderLayers(): TextLayer<FixedLinkLabel> {
    const { shown } = this.state;
    return new TextLayer<FixedLinkLabel>(
      this.getSubLayerProps({
        ...HALO_TEXT,
        id: 'text',
        data: shown,
        getPosition: (l: FixedLinkLabel) => l.position,
        getText: (l: FixedLinkLabel) => l.text,
        getSize: this.props.size,
        getColor: [240, 217, 168, 255],
        characterSet: glyphsOf(this.props.data),
        fontWeight: 700,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        pickable: false,
      }),
    );
  }

  /** The names that fit in the view: the district names first, then the links in the config's order. */
  protected override fit(viewport: Viewport): FixedLinkLabel[] {
    const { data, size, districts, districtSize } = this.props;
    const box = (text: string, position: readonly [number, number], px: number) => {
      const [x = Number.NaN, y = Number.NaN] = viewport.project([position[0], position[1]]);
      return textBox(text, x, y, px);
    };
    const fits = declutter(
      data.map((l) => box(l.text, l.position, size)),
      districts.map((d) => box(d.text, d.position, districtSize)),
    );
    return data.filter((_, i) => fits[i]);
  }
}
