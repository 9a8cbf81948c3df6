import { TextLayer } from '@deck.gl/layers';
import type { HubConfig, LocalizedNames } from '@egret/protocol';
import { fixedLinkLabels, sameLabels, type FixedLinkLabel } from '../fixed-link-labels.ts';
import { glyphsOf } from './text-glyphs.ts';
import { HALO_TEXT } from './halo-text.ts';

export interface FixedLinkLabelsInput {
  crossings: HubConfig['crossings'];
  /** The screen's language: a link's name in it. */
  nameOf: (names: LocalizedNames) => string;
  /** Text size in pixels at the wall's scale. */
  size: number;
}

/** The last labels made, so that deck.gl sees the same data until a name changes. */
let last: FixedLinkLabel[] = [];

/**
 * The fixed links' names on the outline map (over tiles the tiles name them), in the bridges' gold with the map's
 * dark halo, under the district names in size: a commander tells 海沧大桥 from 厦门大桥 at a glance.
 */
export function fixedLinkLabelsLayer({ crossings, nameOf, size }: FixedLinkLabelsInput): TextLayer<FixedLinkLabel> {
  const labels = fixedLinkLabels(crossings, nameOf);
  if (!sameLabels(labels, last)) last = labels;
  return new TextLayer<FixedLinkLabel>({
    ...HALO_TEXT,
    id: 'fixed-link-labels',
    data: last,
    getPosition: (l) => l.position,
    getText: (l) => l.text,
    getSize: size,
    getColor: [240, 217, 168, 255],
    characterSet: glyphsOf(last),
    fontWeight: 700,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  });
}
