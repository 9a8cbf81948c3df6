import type { Layer } from '@deck.gl/core';
import { TileLayer, type _TileLoadProps as TileLoadProps } from '@deck.gl/geo-layers';
import type { BasemapInfo } from '@egret/protocol';
import { tileUrl, type TileIndex } from '../basemap-tiles.ts';
import { RingedTileset } from './basemap-ringed.ts';

/** How one kind of base map turns a tile's answer into data, and that data into the layers that draw it. */
export interface TileKind<T> {
  load(res: Response, index: TileIndex): Promise<T>;
  draw(id: string, data: T, index: TileIndex): Layer | Layer[] | null;
}

type Callbacks<T> = Pick<TileLayer<T | null>['props'], 'getTileData' | 'renderSubLayers'>;

/** Callbacks made once per base map and variant: a layer re-made on every state change keeps the same props. */
const made = new WeakMap<BasemapInfo, Map<string, unknown>>();

function callbacks<T>(info: BasemapInfo, variant: 'dark' | 'light', kind: TileKind<T>): Callbacks<T> {
  let byVariant = made.get(info);
  if (!byVariant) made.set(info, (byVariant = new Map()));
  let c = byVariant.get(variant) as Callbacks<T> | undefined;
  if (!c) {
    const template = info.tiles[variant];
    c = {
      getTileData: async ({ index, signal }: TileLoadProps) => {
        const res = await fetch(tileUrl(template, info.subdomains, index), { signal, credentials: 'same-origin' });
        // A tile the service does not have (open sea, outside the package) is simply not drawn.
        return res.ok ? kind.load(res, index) : null;
      },
      renderSubLayers: (props) => (props.data ? kind.draw(props.id, props.data, props.tile.index) : null),
    };
    byVariant.set(variant, c);
  }
  return c;
}

/**
 * The city's base map under everything, raster or vector alike: deck.gl's TileLayer loads the view's tiles from the
 * city's service (or the hub's package) and `kind` draws each. GCJ-02 tiles are loaded a ring wider
 * (./basemap-ringed.ts): moved onto WGS-84 they no longer cover the view edge to edge. Not pickable: clicks go to
 * what is drawn over it.
 */
export function basemapTileLayer<T>(info: BasemapInfo, variant: 'dark' | 'light', kind: TileKind<T>): Layer {
  const { getTileData, renderSubLayers } = callbacks(info, variant, kind);
  return new TileLayer<T | null>({
    id: 'basemap',
    data: info.tiles[variant],
    minZoom: info.minZoom,
    maxZoom: info.maxZoom,
    tileSize: info.tileSize,
    ...(info.crs === 'gcj02' ? { TilesetClass: RingedTileset } : {}),
    getTileData,
    renderSubLayers,
    pickable: false,
    updateTriggers: { getTileData: [info.tiles[variant], info.crs, info.kind, variant] },
  });
}
