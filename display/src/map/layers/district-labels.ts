import { TextLayer } from '@deck.gl/layers';
import { THEME } from '../../theme.ts';
import type { DistrictLabel } from '../boundaries.ts';
import { HALO_TEXT } from './halo-text.ts';

export interface DistrictLabelsInput {
  /** The same array until the language changes. */
  labels: DistrictLabel[];
  /** Text size in pixels at the wall's scale. */
  size?: number;
}

/**
 * District names on the map. Chinese needs `characterSet: 'auto'` (the default atlas is ASCII only) and a font
 * with CJK glyphs; an SDF atlas lets the names carry a dark halo that keeps them readable over dots.
 */
export function districtLabelsLayer({ labels, size = THEME.labelSize }: DistrictLabelsInput): TextLayer<DistrictLabel> {
  return new TextLayer<DistrictLabel>({
    ...HALO_TEXT,
    id: 'district-labels',
    data: labels,
    getPosition: (l) => l.position,
    getText: (l) => l.text,
    getSize: size,
    getColor: THEME.map.label,
    characterSet: 'auto',
    fontWeight: 700,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  });
}
