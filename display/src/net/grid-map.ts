import { GridMap } from '@egret/protocol';

/** Fetches the city's unit grids (`GET /api/map/grids`, gzipped by the hub); throws on a failed or malformed answer. */
export async function fetchGridMap(fetchFn: typeof fetch = fetch): Promise<GridMap> {
  const res = await fetchFn('/api/map/grids', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`hub answered ${res.status} ${res.statusText}`);
  return GridMap.parse(await res.json());
}

export interface GridMapLoading {
  fetchFn?: typeof fetch;
  /** Wait after the first failure; it doubles after each one, up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Told of each failed attempt and the wait before the next (default: a console warning). */
  onError?: (err: Error, retryInMs: number) => void;
}

/**
 * Loads the grid map in the background and hands it to `onLoaded` once, retrying with backoff until the hub
 * answers (it may be restarting, or the screen not logged in yet). Never blocks or fails the screen: the grid is
 * background, the live picture is not. Returns a function that stops trying.
 */
export function loadGridMap(onLoaded: (map: GridMap) => void, options: GridMapLoading = {}): () => void {
  const { fetchFn = fetch, firstDelayMs = 2_000, maxDelayMs = 60_000 } = options;
  const onError =
    options.onError ??
    ((err, ms) => console.warn(`grid map not loaded (${err.message}); retrying in ${Math.round(ms / 1000)} s`));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = firstDelayMs;
  const attempt = () => {
    fetchGridMap(fetchFn).then(
      (map) => {
        if (!stopped) onLoaded(map);
      },
      (err: unknown) => {
        if (stopped) return;
        onError(err instanceof Error ? err : new Error(String(err)), delay);
        timer = setTimeout(attempt, delay);
        delay = Math.min(maxDelayMs, delay * 2);
      },
    );
  };
  attempt();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
