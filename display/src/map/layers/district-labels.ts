import { TextLayer } from '@deck.gl/layers';
import { THEME } from '../../theme.ts';
import type { DistrictLabel } from '../boundaries.ts';

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
    id: 'district-labels',
    data: labels,
    getPosition: (l) => l.position,
    getText: (l) => l.text,
    getSize: size,
    sizeUnits: 'pixels',
    getColor: THEME.map.label,
    characterSet: 'auto',
    fontFamily: THEME.font,
    fontWeight: 700,
    fontSettings: { sdf: true, fontSize: 96, buffer: 12, radius: 12 },
    outlineWidth: 3,
    outlineColor: THEME.map.labelHalo,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  });
}
