import type { CategoryStandard, Urgency } from './entities.ts';
import type { CameraSpec } from './cameras.ts';
import type { LonLat } from './geo.ts';
import type { PlanDef } from './plans.ts';

/**
 * What `GET /api/config` answers: everything the display needs from the city's config, so the display never reads
 * config files itself. Plain types (the config package owns the schemas; this is their served form).
 */
export interface HubConfig {
  protocol: number;
  hubId: string;
  city: {
    id: string;
    name: LocalizedNames;
    bureau: LocalizedNames;
    timezone: string;
    center: LonLat;
    zoom: number;
    /** [minLon, minLat, maxLon, maxLat] */
    bbox: [number, number, number, number];
    districts: Array<{ code: string; name: LocalizedNames; population: number }>;
  };
  categories: {
    /** Group id → names and colour (RGB). */
    groups: Record<string, LocalizedNames & { color: [number, number, number] }>;
    entries: Array<{
      code: string;
      standard: CategoryStandard;
      kind: 'matter' | 'event';
      name: LocalizedNames;
      component?: LocalizedNames;
      group: string;
      mapsTo?: string;
      note?: string;
    }>;
  };
  /** Deadline policy: hours from filing (立案) to the deadline, by urgency; a category overrides its group. */
  deadlines: {
    default: Partial<Record<Urgency, number>>;
    byGroup: Record<string, Partial<Record<Urgency, number>>>;
    byCategory: Record<string, Partial<Record<Urgency, number>>>;
  };
  /** District outlines (GeoJSON FeatureCollection, properties.code = district code) and their CRS. */
  boundaries: {
    /** Always WGS-84: the config loader converts boundary data drawn on GCJ-02. */
    crs: 'WGS-84';
    geojson: {
      type: 'FeatureCollection';
      features: Array<{
        type: 'Feature';
        properties: Record<string, unknown>;
        geometry: { type: string; coordinates: unknown };
      }>;
    };
  };
  display: { defaultLocale: 'zh' | 'en'; timezone: string };
  /** A unit (or the link) with no news for this long, in real ms, is drawn as stale: at 60× a fix is 60 world-s old between two ticks. */
  staleAfterMs: number;
  /** Position frame period (real ms). */
  tickMs: number;
  /**
   * The city's fixed road crossings (bridges, tunnels) by id, so the display can name the `crossing` reason of a
   * squad ranking (`{ via: 'xiamen-bridge' }` → 厦门大桥). Optional: without it the display shows the id.
   */
  crossings?: Array<{
    id: string;
    name: LocalizedNames;
    /** What it is and where its ends are (WGS-84, approximate): the outline map draws it. */
    kind?: 'bridge' | 'tunnel' | 'causeway';
    ends?: [LonLat, LonLat];
    approximate?: boolean;
  }>;
  /**
   * Major events the city guards (重大活动保障, e.g. the Straits Forum): while one is on (world time in [from, to)),
   * its perimeters tighten the deadlines of cases filed inside them, units on its posts must keep within `radiusM`,
   * and the wall draws venues, perimeters and posts.
   */
  events?: MajorEventInfo[];
  /** The city's tile base map (`cities/<city>/basemap.json`); absent or null: the outline map, no tiles. */
  basemap?: BasemapInfo | null;
  /** The video platform (`cameras.json`): the configured cameras, the origins video may come from, the walls' limit. */
  video?: { origins: string[]; maxWallWindows: number; cameras: CameraSpec[] };
  /**
   * The command manual's plans (`config/plans/*.json`, issue #17), so screens can name levels and actions and show
   * progress. Point sets are not sent: inspections and pre-position orders carry their positions.
   */
  plans?: PlanDef[];
}

/**
 * A tile base map as the display draws it: every source kind (XYZ, WMTS, ArcGIS, the hub's own package) is
 * resolved by the config loader into one URL template with `{z}`, `{x}`, `{y}` (and `{s}` for a subdomain).
 * Raster tiles are pictures; vector tiles (MVT) are drawn by the display with the city's style (`styles`).
 */
export interface BasemapInfo {
  kind: 'raster' | 'vector';
  /** Vector tiles only: the style of each variant, resolved from the city's MapLibre-style JSON. */
  styles?: { dark: BasemapStyle; light: BasemapStyle };
  /** Templates by variant: the wall draws `dark`; a console may draw `light` (the dark one when there is none). */
  tiles: { dark: string; light: string };
  /** Values of `{s}`, taken in turn by tile. */
  subdomains: string[];
  /** The tiles' own coordinate system: `gcj02` tiles are moved onto WGS-84 when drawn. */
  crs: 'wgs84' | 'gcj02';
  attribution: string;
  minZoom: number;
  maxZoom: number;
  tileSize: number;
}

/** An RGBA colour, 0–255 each. */
export type Rgba = [number, number, number, number];

/**
 * A style filter, the MapLibre legacy subset: `["==", key, value]`, `["!=", …]`, `["in", key, …values]`,
 * `["!in", …]`, `["has", key]`, `["!has", key]`, and `["all"|"any"|"none", …filters]`; the key `$type` is the
 * geometry's type (`Point`, `LineString`, `Polygon`).
 */
export type BasemapFilter =
  | ['==' | '!=', string, string | number | boolean]
  | ['in' | '!in', string, ...(string | number | boolean)[]]
  | ['has' | '!has', string]
  | ['all' | 'any' | 'none', ...BasemapFilter[]];

/** One layer of a vector base map's style, drawn in style order: areas, lines or labels of one source layer. */
export interface BasemapStyleLayer {
  id: string;
  type: 'fill' | 'line' | 'symbol';
  sourceLayer: string;
  filter?: BasemapFilter;
  /** Style zooms (512-px tiles, deck.gl's view zoom): shown from minZoom up to, not including, maxZoom. */
  minZoom: number;
  maxZoom: number;
  /** Fill, line or text colour, opacity folded into its alpha. */
  color: Rgba;
  /** Fill only: the outline's colour, when the style gives one. */
  outlineColor?: Rgba;
  /** Line only: the width in pixels. */
  width?: number;
  /** Symbol only: the label, `{name}` replaced by the feature's property; its size in pixels, its halo. */
  textField?: string;
  textSize?: number;
  haloColor?: Rgba;
  haloWidth?: number;
}

export interface BasemapStyle {
  /** The ground under every tile; none: the page's own. */
  background: Rgba | null;
  layers: BasemapStyleLayer[];
}

export interface MajorEventInfo {
  id: string;
  name: LocalizedNames;
  from: number;
  to: number;
  venues: Array<{ id: string; name: LocalizedNames; position: LonLat; approximate: boolean }>;
  perimeters: Array<{ id: string; name: LocalizedNames; ring: LonLat[]; approximate: boolean }>;
  posts: Array<{ id: string; name: LocalizedNames; position: LonLat; radiusM: number }>;
  /** Hours from filing to deadline inside a perimeter, for these category groups. */
  deadlines: { groups: string[]; hours: Partial<Record<Urgency, number>> };
}

/** A name in Chinese and English. */
export interface LocalizedNames {
  zh: string;
  en: string;
}
