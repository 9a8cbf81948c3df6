import type { Layer } from '@deck.gl/core';
import { TileLayer, type _TileLoadProps as TileLoadProps } from '@deck.gl/geo-layers';
import { BitmapLayer } from '@deck.gl/layers';
import type { BasemapInfo } from '@egret/protocol';
import { tileCorners, tileUrl } from '../basemap-tiles.ts';
import { RingedTileset } from './basemap-ringed.ts';
import { vectorBasemapLayer } from './basemap-vector.ts';

export interface BasemapInput {
  /** The city's tile base map as the hub serves it: the same object for the life of the page. */
  info: BasemapInfo;
  /** The wall draws dark; a console may ask for light. */
  variant: 'dark' | 'light';
}

/** Callbacks made once per base map, so that a layer re-made on every state change keeps the same props. */
const made = new WeakMap<
  BasemapInfo,
  Map<string, Pick<TileLayer<HTMLImageElement | null>['props'], 'getTileData' | 'renderSubLayers'>>
>();

function callbacks(info: BasemapInfo, variant: 'dark' | 'light') {
  let byVariant = made.get(info);
  if (!byVariant) made.set(info, (byVariant = new Map()));
  let c = byVariant.get(variant);
  if (!c) {
    const template = info.tiles[variant];
    c = {
      getTileData: async ({ index, signal }: TileLoadProps) => {
        const res = await fetch(tileUrl(template, info.subdomains, index), { signal, credentials: 'same-origin' });
        // A tile the service does not have (sea, outside the package) is simply not drawn.
        if (!res.ok) return null;
        // An <img>, not an ImageBitmap: the bitmap layer of a tile is re-made whenever the map's layers are, and
        // re-uploads its image; an ImageBitmap once uploaded can come back detached ("texSubImage2D: no canvas").
        const url = URL.createObjectURL(await res.blob());
        try {
          const img = new Image();
          img.src = url;
          await img.decode();
          return img;
        } finally {
          URL.revokeObjectURL(url);
        }
      },
      renderSubLayers: (props) => {
        const image = props.data;
        if (!image) return null;
        return new BitmapLayer({
          id: props.id,
          image,
          bounds: tileCorners(props.tile.index, info.crs),
          pickable: false,
        });
      },
    };
    byVariant.set(variant, c);
  }
  return c;
}

/**
 * The city's base map under everything; a vector one is drawn by ./basemap-vector.ts. The raster one: deck.gl's TileLayer loads the tiles of the view from the city's
 * service (or the hub's package), each drawn as a bitmap where it belongs on the WGS-84 map — GCJ-02 tiles moved
 * onto WGS-84 (./basemap-tiles.ts). Not pickable: clicks go to what is drawn over it.
 */
export function basemapLayer({ info, variant }: BasemapInput): Layer {
  if (info.kind === 'vector') return vectorBasemapLayer({ info, variant });
  const { getTileData, renderSubLayers } = callbacks(info, variant);
  return new TileLayer<HTMLImageElement | null>({
    id: 'basemap',
    data: info.tiles[variant],
    minZoom: info.minZoom,
    maxZoom: info.maxZoom,
    tileSize: info.tileSize,
    ...(info.crs === 'gcj02' ? { TilesetClass: RingedTileset } : {}),
    getTileData,
    renderSubLayers,
    pickable: false,
    updateTriggers: { getTileData: [info.tiles[variant], info.crs] },
  });
}
