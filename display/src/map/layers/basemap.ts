import type { Layer } from '@deck.gl/core';
import { BitmapLayer } from '@deck.gl/layers';
import type { BasemapInfo } from '@egret/protocol';
import { tileCorners } from '../basemap-tiles.ts';
import { basemapTileLayer, type TileKind } from './basemap-tile-layer.ts';
import { vectorBasemapLayer } from './basemap-vector.ts';

export interface BasemapInput {
  /** The city's tile base map as the hub serves it: the same object for the life of the page. */
  info: BasemapInfo;
  /** The wall draws dark; a console may ask for light. */
  variant: 'dark' | 'light';
}

/** Raster tiles: each an image, drawn as a bitmap where it belongs on the WGS-84 map (./basemap-tiles.ts). */
function rasterKind(info: BasemapInfo): TileKind<HTMLImageElement> {
  return {
    load: async (res) => {
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
    draw: (id, image, index) => new BitmapLayer({ id, image, bounds: tileCorners(index, info.crs), pickable: false }),
  };
}

/**
 * The city's base map under everything: raster tiles here, vector ones by ./basemap-vector.ts, both loaded by one
 * TileLayer (./basemap-tile-layer.ts). GCJ-02 tiles are moved onto WGS-84 (./basemap-tiles.ts).
 */
export function basemapLayer({ info, variant }: BasemapInput): Layer {
  if (info.kind === 'vector') return vectorBasemapLayer({ info, variant });
  return basemapTileLayer(info, variant, rasterKind(info));
}
