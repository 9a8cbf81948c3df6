/**
 * The `characterSet` of a TextLayer whose labels come and go: `'auto'` (the glyphs of its text), or one space while
 * it has none. deck.gl 9.4's font atlas for an empty set is a canvas 0 px high, and uploading it is a WebGL error
 * ("texSubImage2D: no canvas") logged once per font setting on every screen with no storm, sensors or event yet.
 * A space gives the atlas one row; the atlas is shared by font setting and grows with the glyphs later labels need.
 */
export function glyphsOf(labels: readonly unknown[]): 'auto' | string {
  return labels.length ? 'auto' : ' ';
}
