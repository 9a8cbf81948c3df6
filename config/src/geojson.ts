/** A GeoJSON FeatureCollection as the config files hold it (district boundaries): only what the loaders read. */
export interface GeoJsonFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{
    type: 'Feature';
    properties: Record<string, unknown>;
    geometry: { type: string; coordinates: unknown };
  }>;
}
