import type { Layer } from '@deck.gl/core';

/**
 * `?hide=<layer id>,<layer id>…`: a measuring aid (issue #19). The map keeps those layers in its stack but does not
 * draw them, so `bench:wall` can tell what each layer costs a software-GL draw by leaving it out. Ids as in
 * `__egret.map.layers()`; letter case and spaces do not matter; nothing else is read.
 */
export function hiddenLayerIds(search: string): ReadonlySet<string> {
  const raw = new URLSearchParams(search).get('hide') ?? '';
  return new Set(
    raw
      .split(',')
      .map((id) => id.trim().toLowerCase())
      .filter((id) => id.length > 0),
  );
}

/** The layers with those of `hidden` switched off (still in the stack: deck.gl keeps their buffers). */
export function withHidden(layers: Layer[], hidden: ReadonlySet<string>): Layer[] {
  if (hidden.size === 0) return layers;
  return layers.map((layer) => (hidden.has(layer.id.toLowerCase()) ? layer.clone({ visible: false }) : layer));
}
