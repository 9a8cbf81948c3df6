import { PROTOCOL_VERSION, readsHubProtocol, type HubConfig } from '@egret/protocol';

/** Why the display cannot start: shown on screen while it retries. */
export class ConfigLoadError extends Error {}

/** Fetches the city's config from the hub (`GET /api/config`). */
export async function fetchHubConfig(fetchFn: typeof fetch = fetch): Promise<HubConfig> {
  let res: Response;
  try {
    res = await fetchFn('/api/config', { headers: { accept: 'application/json' } });
  } catch (err) {
    throw new ConfigLoadError(`hub unreachable (${(err as Error).message})`);
  }
  if (!res.ok) throw new ConfigLoadError(`hub answered ${res.status} ${res.statusText}`);
  const config = (await res.json()) as HubConfig;
  if (!readsHubProtocol(config.protocol)) {
    throw new ConfigLoadError(
      `hub speaks protocol ${String(config.protocol)}, this display ${PROTOCOL_VERSION}: reload`,
    );
  }
  return config;
}
