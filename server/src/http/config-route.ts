import express from 'express';
import { fixedLinks, type EgretConfig } from '@egret/config';
import { PROTOCOL_VERSION, type HubConfig } from '@egret/protocol';

/** What the display needs from the city's config (`HubConfig` in the protocol), built once. */
export function hubConfig(config: EgretConfig, hubId: string): HubConfig {
  const { city, categories, settings } = config;
  const { note: _note, ...deadlines } = categories.file.deadlines;
  return {
    protocol: PROTOCOL_VERSION,
    hubId,
    city: {
      id: city.id,
      name: city.name,
      bureau: city.bureau,
      timezone: city.timezone,
      center: city.center,
      zoom: city.zoom,
      bbox: city.bbox,
      districts: city.districts.map((d) => ({ code: d.code, name: d.name, population: d.population })),
    },
    categories: { groups: categories.file.groups, entries: [...categories.entries] },
    deadlines,
    boundaries: { crs: 'WGS-84', geojson: config.boundaries }, // loadConfig converts the source CRS
    display: settings.display,
    staleAfterMs: settings.hub.staleAfterMs,
    tickMs: settings.hub.tickMs,
    events: config.events,
    video: {
      origins: config.video.origins,
      maxWallWindows: config.video.maxWallWindows,
      cameras: config.video.cameras,
    },
    // Named in rankings, drawn on the outline map (approximate ends).
    crossings: fixedLinks({ dir: config.dir, city: city.id }),
    basemap: config.basemap.info,
    plans: config.plans,
  };
}

export function configRoute(config: EgretConfig, hubId: string): express.Router {
  const router = express.Router();
  const body = JSON.stringify(hubConfig(config, hubId));
  router.get('/api/config', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'no-cache').send(body);
  });
  return router;
}
