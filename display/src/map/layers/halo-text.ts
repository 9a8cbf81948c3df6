import { THEME } from '../../theme.ts';

/**
 * What every text on the map shares: sizes in pixels, the wall's font (with CJK glyphs) on an SDF atlas, and the
 * dark halo that an SDF atlas allows, which keeps a label readable over dots, tiles and fills. Spread first; a layer
 * sets its own size, colour, anchors, a wider halo or picking after it.
 */
export const HALO_TEXT = {
  sizeUnits: 'pixels',
  fontFamily: THEME.font,
  fontSettings: { sdf: true, fontSize: 96, buffer: 12, radius: 12 },
  outlineWidth: 3,
  outlineColor: THEME.map.labelHalo,
} as const;
