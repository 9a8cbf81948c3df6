import type { BasemapFilter, BasemapStyle, BasemapStyleLayer, LonLat } from '@egret/protocol';

/**
 * The pure half of the vector base map: which features of a tile each style layer draws (source layer, filter,
 * zoom), the labels it places, the characters the label font needs, and moving a GCJ-02 tile's every vertex.
 * The layer factory (./layers/basemap-vector.ts) only turns these into deck.gl layers.
 */

/** A feature of a parsed MVT tile, in longitude/latitude, its source layer in `properties.layerName`. */
export interface TileFeature {
  type: 'Feature';
  geometry: TileGeometry;
  properties: Record<string, unknown>;
}

export type TileGeometry =
  | { type: 'Point'; coordinates: LonLat }
  | { type: 'MultiPoint'; coordinates: LonLat[] }
  | { type: 'LineString'; coordinates: LonLat[] }
  | { type: 'MultiLineString'; coordinates: LonLat[][] }
  | { type: 'Polygon'; coordinates: LonLat[][] }
  | { type: 'MultiPolygon'; coordinates: LonLat[][][] };

/** The source layer's name as the MVT parser records it on each feature. */
export const LAYER_PROPERTY = 'layerName';

/** MapLibre's `$type`: a multi-geometry counts as its single kind. */
export function geometryKind(g: TileGeometry): 'Point' | 'LineString' | 'Polygon' {
  return g.type.replace('Multi', '') as 'Point' | 'LineString' | 'Polygon';
}

/** Whether a feature passes a style filter (pure; the MapLibre legacy filter subset). */
export function matchesFilter(
  filter: BasemapFilter | undefined,
  properties: Record<string, unknown>,
  kind: 'Point' | 'LineString' | 'Polygon',
): boolean {
  if (!filter) return true;
  const value = (key: string) => (key === '$type' ? kind : properties[key]);
  switch (filter[0]) {
    case '==':
      return value(filter[1]) === filter[2];
    case '!=':
      return value(filter[1]) !== filter[2];
    case 'in':
    case '!in': {
      const [op, key, ...values] = filter;
      const found = values.includes(value(key) as string | number | boolean);
      return op === 'in' ? found : !found;
    }
    case 'has':
      return filter[1] === '$type' || properties[filter[1]] !== undefined;
    case '!has':
      return filter[1] !== '$type' && properties[filter[1]] === undefined;
    case 'all':
      return filter.slice(1).every((f) => matchesFilter(f as BasemapFilter, properties, kind));
    case 'any':
      return filter.slice(1).some((f) => matchesFilter(f as BasemapFilter, properties, kind));
    case 'none':
      return !filter.slice(1).some((f) => matchesFilter(f as BasemapFilter, properties, kind));
  }
}

/** A style layer's features in one tile, in the style's order (empty layers left out). */
export interface StyledFeatures {
  layer: BasemapStyleLayer;
  /** The layer's position in the style: labels of later (upper) layers win a collision, as MapLibre places them. */
  order: number;
  features: TileFeature[];
}

/**
 * The style layers a tile draws at a style zoom, each with the features it takes (pure). A fill takes polygons, a
 * line lines and polygon outlines, a symbol anything with its text property.
 */
export function styleTile(style: BasemapStyle, features: readonly TileFeature[], zoom: number): StyledFeatures[] {
  const bySource = new Map<string, TileFeature[]>();
  for (const f of features) {
    const name = String(f.properties[LAYER_PROPERTY] ?? '');
    let list = bySource.get(name);
    if (!list) bySource.set(name, (list = []));
    list.push(f);
  }
  const out: StyledFeatures[] = [];
  style.layers.forEach((layer, order) => {
    if (zoom < layer.minZoom || zoom >= layer.maxZoom) return;
    const taken = (bySource.get(layer.sourceLayer) ?? []).filter((f) => {
      const kind = geometryKind(f.geometry);
      if (layer.type === 'fill' && kind !== 'Polygon') return false;
      if (layer.type === 'line' && kind === 'Point') return false;
      return matchesFilter(layer.filter, f.properties, kind);
    });
    if (taken.length) out.push({ layer, order, features: taken });
  });
  return out;
}

/** `text-field` filled from a feature's properties: `{name}` → its name; empty when a named property is missing. */
export function labelText(field: string, properties: Record<string, unknown>): string {
  let missing = false;
  const text = field.replace(/\{([^{}]+)\}/g, (_, key: string) => {
    const v = properties[key];
    if (v === undefined || v === null || v === '') missing = true;
    return v === undefined || v === null ? '' : String(v);
  });
  return missing ? '' : text.trim();
}

/** A label to place: where, what, how big, and its priority in a collision. */
export interface BasemapLabel {
  position: LonLat;
  text: string;
  size: number;
  color: [number, number, number, number];
  priority: number;
}

/** The middle of a line, halfway along its length. */
function lineMiddle(line: readonly LonLat[]): LonLat {
  const lengths = line.slice(1).map((p, i) => Math.hypot(p[0] - line[i]![0], p[1] - line[i]![1]));
  let half = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (half <= lengths[i]! && lengths[i]! > 0) {
      const t = half / lengths[i]!,
        a = line[i]!,
        b = line[i + 1]!;
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
    half -= lengths[i]!;
  }
  return line[0]!;
}

/** The average of a ring's vertices: inside any roughly convex area (a district, a park, a lake). */
function ringCentre(ring: readonly LonLat[]): LonLat {
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  const sum = pts.reduce<[number, number]>((s, p) => [s[0] + p[0], s[1] + p[1]], [0, 0]);
  return [sum[0] / pts.length, sum[1] / pts.length];
}

/** Where a feature's label goes: a point's place, a line's middle, the centre of an area's outer ring. */
export function labelAnchor(g: TileGeometry): LonLat | null {
  switch (g.type) {
    case 'Point':
      return g.coordinates;
    case 'MultiPoint':
      return g.coordinates[0] ?? null;
    case 'LineString':
      return g.coordinates.length ? lineMiddle(g.coordinates) : null;
    case 'MultiLineString': {
      const longest = [...g.coordinates].sort((a, b) => b.length - a.length)[0];
      return longest?.length ? lineMiddle(longest) : null;
    }
    case 'Polygon':
      return g.coordinates[0]?.length ? ringCentre(g.coordinates[0]) : null;
    case 'MultiPolygon': {
      const biggest = [...g.coordinates].sort((a, b) => (b[0]?.length ?? 0) - (a[0]?.length ?? 0))[0];
      return biggest?.[0]?.length ? ringCentre(biggest[0]) : null;
    }
  }
}

/** The labels of a tile's symbol layers (pure): one per feature with its text, the same text once per layer. */
export function tileLabels(styled: readonly StyledFeatures[]): BasemapLabel[] {
  const labels: BasemapLabel[] = [];
  for (const { layer, order, features } of styled) {
    if (layer.type !== 'symbol' || !layer.textField) continue;
    const seen = new Set<string>();
    for (const f of features) {
      const text = labelText(layer.textField, f.properties);
      if (!text || seen.has(text)) continue;
      const position = labelAnchor(f.geometry);
      if (!position) continue;
      seen.add(text);
      labels.push({ position, text, size: layer.textSize ?? 16, color: layer.color, priority: order });
    }
  }
  return labels;
}

/** The characters a set of labels needs in the font atlas (deck.gl draws only the glyphs it is given). */
export function characterSetOf(labels: readonly { text: string }[]): string[] {
  const chars = new Set<string>();
  for (const l of labels) for (const c of l.text) chars.add(c);
  return [...chars].sort();
}

/** A geometry with every vertex moved (GCJ-02 → WGS-84 for a GCJ-02 tile), pure. */
export function mapGeometry(g: TileGeometry, move: (p: LonLat) => LonLat): TileGeometry {
  switch (g.type) {
    case 'Point':
      return { type: g.type, coordinates: move(g.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map(move) };
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map((l) => l.map(move)) };
    case 'MultiPolygon':
      return { type: g.type, coordinates: g.coordinates.map((p) => p.map((l) => l.map(move))) };
  }
}

/** The style zoom (512-px tiles) of a tile drawn at its own size: a 256-px tile of zoom z shows style zoom z − 1. */
export function styleZoom(tileZ: number, tileSize: number): number {
  return tileZ + Math.log2(tileSize / 512);
}
