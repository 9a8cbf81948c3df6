import type { Layer } from '@deck.gl/core';
import { ClipExtension, CollisionFilterExtension } from '@deck.gl/extensions';
import { GeoJsonLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import { MVTLoader } from '@loaders.gl/mvt';
import type { BasemapInfo, BasemapStyle, LonLat } from '@egret/protocol';
import { THEME } from '../../theme.ts';
import {
  characterSetOf,
  LAYER_PROPERTY,
  mapGeometry,
  styleTile,
  styleZoom,
  tileLabels,
  type BasemapLabel,
  type StyledFeatures,
  type TileFeature,
} from '../basemap-style.ts';
import { gcj02ToWgs84, tileCorners, type TileIndex } from '../basemap-tiles.ts';
import { basemapTileLayer } from './basemap-tile-layer.ts';

/** One vector tile, parsed and styled once when it loads: what each style layer draws, and its labels. */
export interface VectorTile {
  styled: StyledFeatures[];
  labels: BasemapLabel[];
  characterSet: string[];
}

/** Tiles are gzipped by many servers and packages; a browser unpacks them only when the response says so. */
async function gunzipped(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** An MVT tile's features in longitude/latitude on Egret's WGS-84 map (every vertex moved when the tiles are GCJ-02). */
export function parseVectorTile(bytes: ArrayBuffer, index: TileIndex, crs: BasemapInfo['crs']): TileFeature[] {
  const features = MVTLoader.parseSync(bytes, {
    mvt: { shape: 'geojson', coordinates: 'wgs84', tileIndex: index, layerProperty: LAYER_PROPERTY },
    // Parsed here, on the page: loaders.gl's worker would be fetched from a CDN.
    worker: false,
  }) as unknown as TileFeature[];
  if (crs !== 'gcj02') return features;
  return features.map((f) => ({ ...f, geometry: mapGeometry(f.geometry, gcj02ToWgs84) }));
}

/** The tile's bounds on the map (its GCJ-02 corners moved), west, south, east, north: where its drawing is clipped. */
function clipBounds(index: TileIndex, crs: BasemapInfo['crs']): [number, number, number, number] {
  const c = tileCorners(index, crs);
  const lons = c.map((p) => p[0]),
    lats = c.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

const clip = new ClipExtension();
const collide = new CollisionFilterExtension();

/** The deck.gl layers of one tile, in the style's order: its ground, areas and lines clipped to the tile, labels. */
function tileLayers(id: string, tile: VectorTile, index: TileIndex, info: BasemapInfo, style: BasemapStyle): Layer[] {
  const bounds = clipBounds(index, info.crs);
  const layers: Layer[] = [];
  if (style.background) {
    const ring = tileCorners(index, info.crs);
    layers.push(
      new SolidPolygonLayer<LonLat[]>({
        id: `${id}-background`,
        data: [ring],
        getPolygon: (r) => r,
        getFillColor: style.background,
        pickable: false,
      }),
    );
  }
  for (const { layer, features } of tile.styled) {
    if (layer.type === 'symbol') continue;
    const fill = layer.type === 'fill';
    layers.push(
      new GeoJsonLayer({
        id: `${id}-${layer.id}`,
        data: features as unknown as GeoJSON.Feature[],
        filled: fill,
        stroked: !fill || layer.outlineColor !== undefined,
        getFillColor: layer.color,
        getLineColor: fill ? (layer.outlineColor ?? layer.color) : layer.color,
        getLineWidth: fill ? 1 : (layer.width ?? 1),
        lineWidthUnits: 'pixels',
        lineJointRounded: true,
        lineCapRounded: true,
        pickable: false,
        extensions: [clip],
        clipBounds: bounds,
      } as ConstructorParameters<typeof GeoJsonLayer>[0]),
    );
  }
  if (tile.labels.length)
    layers.push(
      new TextLayer<BasemapLabel>({
        id: `${id}-labels`,
        data: tile.labels,
        getPosition: (l) => l.position,
        getText: (l) => l.text,
        getSize: (l) => l.size,
        getColor: (l) => l.color,
        sizeUnits: 'pixels',
        // The glyphs these labels use, from the wall's own (local) font: deck.gl adds them to one shared atlas.
        characterSet: tile.characterSet,
        fontFamily: THEME.font,
        fontSettings: { sdf: true, fontSize: 64, buffer: 8, radius: 8 },
        outlineWidth: style.layers.find((l) => l.type === 'symbol')?.haloWidth ?? 0,
        outlineColor: style.layers.find((l) => l.type === 'symbol')?.haloColor ?? [0, 0, 0, 0],
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        pickable: false,
        // Labels of every tile in one collision group: the upper style layer's label wins, none overlap.
        extensions: [collide],
        collisionGroup: 'basemap-labels',
        getCollisionPriority: (l: BasemapLabel) => Math.min(1000, l.priority),
        collisionTestProps: { sizeScale: 1.2 },
      } as ConstructorParameters<typeof TextLayer<BasemapLabel>>[0]),
    );
  return layers;
}

/**
 * The city's vector base map (MVT) under everything, in the one Deck: deck.gl's TileLayer loads the view's tiles,
 * each parsed on the page and drawn with the city's style — areas and lines as GeoJSON layers in style order,
 * clipped to their tile; labels in the wall's font, kept clear of each other by collision. GCJ-02 tiles have
 * every vertex moved onto WGS-84. Not pickable.
 */
export function vectorBasemapLayer({ info, variant }: { info: BasemapInfo; variant: 'dark' | 'light' }): Layer {
  const style = info.styles![variant];
  return basemapTileLayer<VectorTile>(info, variant, {
    load: async (res, index) => {
      const features = parseVectorTile(await gunzipped(await res.arrayBuffer()), index, info.crs);
      const styled = styleTile(style, features, styleZoom(index.z, info.tileSize));
      const labels = tileLabels(styled);
      return { styled, labels, characterSet: characterSetOf(labels) };
    },
    draw: (id, tile, index) => tileLayers(id, tile, index, info, style),
  });
}
