import { mount } from 'svelte';
import { localeFromQuery, translate } from '../i18n/translate.ts';
import { fetchHubConfig } from '../net/config.ts';
import { loadGridMap } from '../net/grid-map.ts';
import { City } from '../state/city.svelte.ts';
import { ReplayApi } from './replay-api.ts';
import { installReplayDebugHook } from './replay-debug.ts';
import ReplayScreen from './ReplayScreen.svelte';
import { ReplaySession } from './replay-session.svelte.ts';
import { holdMsOf, seekPlanOf } from './seek-plan.ts';
import { fetchOnMain, parsedInWorker, parseOnMain, workerFetch } from './worker-fetch.ts';
import SummaryPage from './SummaryPage.svelte';

/** A time from the URL (`?t=`, `?from=`, `?to=`): epoch ms or an ISO time. */
export function timeParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (!v) return undefined;
  const t = /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The replay's answers read in a worker (./worker-fetch.ts), unless `?fetch=main`. A browser that refuses to start
 * the worker at once (Firefox before 114 has no module workers and throws; a CSP may throw too) keeps the page's
 * own fetch: the replay must open whatever the browser.
 */
function replayFetch(): typeof fetch | undefined {
  if (fetchOnMain(location.search) || typeof Worker === 'undefined') return undefined;
  try {
    const worker = new Worker(new URL('./fetch-worker.ts', import.meta.url), { type: 'module' });
    // `?parse=main`: the finished part parsed on the page, as before (the bench's baseline).
    const parseIn = parseOnMain(location.search) ? () => false : parsedInWorker;
    return workerFetch(worker, location.href, undefined, parseIn);
  } catch {
    return undefined;
  }
}

/** Replay mode's only side effects: fetch the city's config, mount, and (for the wall view) start the session. */
export async function bootReplay(target: HTMLElement, route: 'replay' | 'summary'): Promise<void> {
  const params = new URLSearchParams(location.search);
  const asked = localeFromQuery(location.search);
  const fetchFn = route === 'replay' ? replayFetch() : undefined;
  for (;;) {
    try {
      const config = await fetchHubConfig();
      const ctx = new City(config, asked ?? config.display.defaultLocale);
      const api = new ReplayApi(fetchFn, '', params.get('snapshot') === 'json' ? 'json' : 'split');
      target.textContent = '';
      const from = timeParam(params, 'from');
      const to = timeParam(params, 'to');
      if (route === 'summary') {
        const range = from === undefined || to === undefined ? await api.range() : undefined;
        const f = from ?? range?.first ?? 0;
        const t = to ?? range?.last ?? 0;
        mount(SummaryPage, { target, props: { ctx, from: f, to: t, summary: await api.summary(f, t) } });
        return;
      }
      const session = new ReplaySession(
        api,
        seekPlanOf(params.get('seek')),
        holdMsOf(params.get('hold')),
        undefined,
        holdMsOf(params.get('readwait')),
      );
      // Background, as on the live screens: replay draws the grid when the walls did, once it has arrived.
      loadGridMap((map) => (ctx.gridMap = map));
      installReplayDebugHook(session);
      mount(ReplayScreen, { target, props: { session, ctx } });
      const t = timeParam(params, 't');
      await session.open({
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(t !== undefined ? { t } : {}),
      });
      return;
    } catch (err) {
      const box = document.createElement('div');
      box.className = 'boot';
      box.textContent = translate(asked ?? 'zh', 'error.config', { reason: (err as Error).message });
      target.replaceChildren(box);
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}
